"""The synthetic bills themselves: consistent identifiers, the text shape of CEMIG's DANF3E, determinism."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings

from faturas.domain.formatting import format_number
from faturas.extraction.check_digits import access_key_is_valid, mod10_digit, payment_line_blocks_are_valid
from faturas.extraction.common_fields import barcode_from_payment_line, find_access_key, find_payment_line
from faturas.extraction.pdf_text import pdf_to_text
from faturas.synthetic import BillItem, SyntheticBill, random_bill, render_cemig_danf3e, write_bills
from tests.synthetic.strategies import bills


def _item_line(item: BillItem) -> str:
    parts = [item.description]
    if item.unit is not None:
        parts.append(item.unit)
    if item.quantity is not None:
        parts.append(format_number(item.quantity, 0))
    if item.unit_price is not None:
        parts.append(format_number(item.unit_price, 8))
    parts.append(format_number(item.amount, 2))
    return " ".join(parts)


def test_the_same_seed_renders_the_same_bytes() -> None:
    first = render_cemig_danf3e(random_bill(random.Random(42)))
    again = render_cemig_danf3e(random_bill(random.Random(42)))
    other = render_cemig_danf3e(random_bill(random.Random(43)))
    assert first == again
    assert first != other


@settings(max_examples=40, deadline=None)
@given(bills())
def test_identifiers_carry_valid_check_digits_and_the_total(bill: SyntheticBill) -> None:
    assert access_key_is_valid(bill.access_key)
    assert bill.access_key[6:20] == "06981180000116"
    assert bill.access_key[2:6] == f"{bill.issue_date:%y%m}"
    assert payment_line_blocks_are_valid(bill.payment_line)
    assert barcode_from_payment_line(bill.payment_line) == bill.barcode
    assert Decimal(int(bill.barcode[4:15])) / 100 == bill.total
    assert int(bill.barcode[3]) == mod10_digit(bill.barcode[:3] + bill.barcode[4:])


@settings(max_examples=25, deadline=None)
@given(bills())
def test_the_page_reads_in_the_text_shape_of_cemig_danf3e(bill: SyntheticBill) -> None:
    text = pdf_to_text(render_cemig_danf3e(bill)).text
    lines = text.splitlines()
    assert lines[0] == "Valores Faturados"
    for item in bill.items:
        assert any(line.startswith(_item_line(item)) for line in lines), _item_line(item)
    assert f"TOTAL {format_number(bill.total, 2)}" in text
    assert f" {bill.client_number} {bill.installation_number}" in text
    assert f"{bill.reference_month.label} {bill.due_date:%d/%m/%Y} {format_number(bill.total, 2)}" in text
    assert f"NOTA FISCAL Nº {bill.nota_fiscal_number} - SÉRIE 000" in text
    assert f"Data de emissão: {bill.issue_date:%d/%m/%Y}" in text
    assert find_access_key(text) == bill.access_key
    assert find_payment_line(text) == bill.payment_line
    assert "CNPJ 06.981.180/0001-16" in text
    assert "DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA" in text
    assert len(lines[lines.index("MÊS/ANO Cons. kWh Média kWh/Dia Dias") + 1 :][:13]) == 13


def test_the_long_subclass_wraps_under_the_class_as_on_real_bills() -> None:
    bill = next(
        bill for bill in (random_bill(random.Random(seed)) for seed in range(200)) if bill.subclass.startswith("Outros")
    )
    text = pdf_to_text(render_cemig_danf3e(bill)).text
    assert f"{bill.customer_class} Outros serviços {bill.tariff_modality} Anterior Atual Nº de dias Próxima" in text
    assert f"{bill.supply_type} e outras atividades {bill.reading_dates.previous:%d/%m}" in text


def test_write_bills_gives_distinct_invoices(tmp_path: Path) -> None:
    paths = write_bills(tmp_path / "bills", 12, seed=7)
    assert len(paths) == 12
    assert len({path.name for path in paths}) == 12
    assert len({path.read_bytes() for path in paths}) == 12
    assert [path.name for path in write_bills(tmp_path / "again", 12, seed=7)] == [path.name for path in paths]
