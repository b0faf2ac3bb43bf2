"""How two OCR reads of an image become one invoice: clean only when everything agrees (no Tesseract)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from faturas.extraction.extract import extract_from_image_text
from faturas.extraction.image.read import ImageReads, judge_reads
from faturas.synthetic.identifiers import format_payment_line, payment_line_of, utility_barcode

#: An invented Light bill in OCR's row shape; {due} and {line} vary per test.
BILL = """\
LIGHT SERVICOS DE ELETRICIDADE S.A. CNPJ 60.444.437/0001-46
FULANO DE TAL CODIGO DA INSTALACAO 0400000001
REF: MES/ANO VENCIMENTO TOTAL A PAGAR
MAI/2025 {due} R$ 130,00
Itens de fatura Unid. Quant. Preco unit com tributos Valor
Energia Eletrica kWh 100 1,20000 120,00
Contrib Ilum Publica Municipal 10,00
TOTAL 130,00
CODIGO DO CLIENTE 20000001
{line}
{stub}
"""

#: The payment stub repeats the codes and the due date, which is what confirms them.
STUB = "20000001 0400000001 {due} R$ 130,00"

LINE = format_payment_line(payment_line_of(utility_barcode(Decimal("130.00"), "0" * 25, "0053")))


def _reads(*texts: str, width: int = 1080) -> ImageReads:
    return ImageReads(tuple((text, text) for text in texts), mean_confidence=85.0, source_width=width)


def _bill(due: str = "13/06/2025", line: str = LINE, stub: str = STUB) -> str:
    return BILL.format(due=due, line=line, stub=stub.format(due=due))


def test_two_agreeing_reads_with_items_total_and_payment_line_in_accord_are_clean() -> None:
    text = _bill()
    invoice = judge_reads(_reads(text, text), extract_from_image_text)
    assert invoice.warnings == ()
    assert (invoice.text_source, invoice.due_date, invoice.total_amount) == (
        "ocr_image",
        date(2025, 6, 13),
        Decimal("130.00"),
    )


def test_a_field_only_one_read_found_is_kept_and_flagged() -> None:
    first = _bill(due="")  # the first read lost the due date
    second = _bill()
    invoice = judge_reads(_reads(first, second), extract_from_image_text)
    assert invoice.due_date == date(2025, 6, 13)
    assert invoice.needs_review
    flagged = {field for warning in invoice.warnings for field in warning.fields}
    assert "due_date" in flagged


def test_without_a_payment_line_or_the_distributor_cnpj_the_read_is_never_clean() -> None:
    text = _bill(line="").replace("CNPJ 60.444.437/0001-46", "")
    invoice = judge_reads(_reads(text, text), extract_from_image_text)
    checks = {warning.check for warning in invoice.warnings}
    assert {"image_payment_line_missing", "image_distributor_unconfirmed"} <= checks


def test_a_page_too_small_to_read_flags_every_field() -> None:
    text = _bill()
    invoice = judge_reads(_reads(text, text, width=300), extract_from_image_text)
    flagged = {field for warning in invoice.warnings for field in warning.fields}
    assert {"client_number", "installation_number", "total_amount", "items"} <= flagged


def test_codes_and_due_date_printed_only_once_are_not_trusted_even_when_both_reads_agree() -> None:
    text = _bill(stub="")
    invoice = judge_reads(_reads(text, text), extract_from_image_text)
    flagged = {field for warning in invoice.warnings for field in warning.fields}
    assert {"installation_number", "due_date", "client_number"} <= flagged


def test_a_fee_figure_read_otherwise_replaces_the_items_only_when_they_then_add_up_to_the_total() -> None:
    garbled = _bill().replace("Municipal 10,00", "Municipal 16,00")  # most variants read a 0 as a 6
    proven = _shapes(_bill())
    wrong = _shapes(_bill().replace("Municipal 10,00", "Municipal 18,00"))
    reads = ImageReads(((garbled, garbled), (garbled, garbled)), 85.0, 1080, (wrong, proven))
    invoice = judge_reads(reads, extract_from_image_text)
    assert [item.amount for item in invoice.items] == [Decimal("120.00"), Decimal("10.00")]
    assert invoice.public_lighting_amount == Decimal("10.00")
    assert not any(warning.check == "items_sum" for warning in invoice.warnings)
    # No alternative adds up: the read's own items stay, and the sum is flagged.
    reads = ImageReads(((garbled, garbled), (garbled, garbled)), 85.0, 1080, (wrong,))
    invoice = judge_reads(reads, extract_from_image_text)
    assert [item.amount for item in invoice.items] == [Decimal("120.00"), Decimal("16.00")]
    assert any(warning.check == "items_sum" for warning in invoice.warnings)
    assert invoice.needs_review


def _shapes(text: str) -> tuple[str, str]:
    return (text, text)
