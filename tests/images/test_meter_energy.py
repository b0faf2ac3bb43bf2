"""The metered consumption from the meter table's row: taken only when the row adds up, and once."""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.image.meter import metered_kwh


def test_a_row_whose_readings_give_its_consumption_is_read_with_or_without_a_constant() -> None:
    assert metered_kwh("1234567 Energia Ativa Unico 1.500,00 1.640,00 1,00000 140,00") == Decimal(140)
    assert metered_kwh("0000111222 kWh Total 20010 20066 56") == Decimal(56)
    assert metered_kwh("M1 Energia Ativa 100 110 2,00 20") == Decimal(20)


def test_rows_that_do_not_add_up_or_are_not_active_energy_give_nothing() -> None:
    assert metered_kwh("1234567 Energia Ativa Unico 1.500,00 1.640,00 1,00000 150,00") is None
    assert metered_kwh("1234567 Energia Reativa kvarh 100 160 60") is None
    assert metered_kwh("HISTORICO 2025 140 30 Dias") is None


def test_two_meter_rows_that_disagree_give_nothing() -> None:
    text = "Energia Ativa Total 100 150 50\nEnergia Ativa Total 200 260 60"
    assert metered_kwh(text) is None


def test_readings_printed_with_a_decimal_point_are_read_and_checked_alike() -> None:
    assert metered_kwh("1234567-ABC-001 ENERGIA ATIVA - KWH HFP 10000.00 10150.00 1.00 150.00") == Decimal(150)
    assert metered_kwh("1234567-ABC-001 ENERGIA ATIVA - KWH HFP 10000.00 10150.00 1.00 140.00") is None
    # A point before three digits is a thousands point, as before: "9.905 10.077 1,00000 172,00".
    assert metered_kwh("15000000 Energia Ativa 9.905 10.077 1,00000 172,00") == Decimal(172)
