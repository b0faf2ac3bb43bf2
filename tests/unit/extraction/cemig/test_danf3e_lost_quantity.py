"""CEMIG's DANF3E item rows as OCR reads them when a one-digit quantity is lost."""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.distributors.cemig.danf3e import _parse_rows, whole_quantity

TABLE = "\n".join(
    [
        "Itens da Fatura\tUnid.\tQuant.\tPreço unit (R$) com tributos\tValor (R$)",
        "Energia Elétrica\tkWh\t50\t0,95954601\t47,96\t0,95954601",
        # The quantity 7 lost: tariff and amount shifted into its columns.
        "Energia comp. adicional\tkWh\t0,74906000\t-5,24\t0,74906000",
        "TOTAL\t42,72",
    ]
)


def test_a_lost_quantity_is_the_whole_kwh_the_tariff_prices_at_the_amount_and_is_named() -> None:
    items, computed = _parse_rows(TABLE, ocr=True)
    lost = items[1]
    assert (lost.quantity, lost.unit_price, lost.amount) == (Decimal(7), Decimal("0.74906000"), Decimal("-5.24"))
    assert computed == ("Energia comp. adicional",)


def test_a_text_layer_row_is_never_completed() -> None:
    items, computed = _parse_rows(TABLE, ocr=False)
    assert computed == ()
    assert items[1].quantity == Decimal("0.74906000")


def test_no_quantity_when_no_whole_count_prices_to_the_cent() -> None:
    assert whole_quantity("0,74906000", "5,24") == "7"
    assert whole_quantity("0,74906000", "5,30") is None
    assert whole_quantity("0,00900000", "0,05") is None  # a kWh more or less would stay within the cent
