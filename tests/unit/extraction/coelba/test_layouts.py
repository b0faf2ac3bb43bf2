"""COELBA's collective bill (summary plus one invoice per page) and its single bill."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.distributors.coelba import DISTRIBUTOR, collective, single
from faturas.extraction.distributors.detection import choose_layout, detect_distributor
from faturas.extraction.pdf_text import PdfText
from faturas.extraction.validation import validate
from tests.unit.extraction.coelba import invented_bills

TODAY = date(2024, 7, 1)


def test_each_bill_is_detected_as_coelba_in_its_layout() -> None:
    for document, layout in (
        (invented_bills.collective(), collective.LAYOUT),
        (invented_bills.single(), single.LAYOUT),
    ):
        assert detect_distributor(document, DISTRIBUTORS) is DISTRIBUTOR
        assert choose_layout(DISTRIBUTOR, document) is layout


def test_the_collective_bill_has_its_total_and_no_items_of_its_own() -> None:
    invoice = collective.LAYOUT.extract(invented_bills.collective())
    assert invoice.collective_account == "9900000001"
    assert invoice.total_amount == Decimal("932.50")
    assert invoice.reference_month == ReferenceMonth(2024, 5)
    assert invoice.due_date == date(2024, 6, 20)
    assert invoice.items == ()
    assert invoice.installation_number is None
    assert invoice.client_number == "1000000009"  # the one client all its invoices belong to
    assert invoice.holder_name == "PREFEITURA INVENTADA"


def test_each_invoice_page_is_a_sub_invoice() -> None:
    subs = collective.LAYOUT.extract(invented_bills.collective()).sub_invoices
    assert [(sub.installation_number, sub.nota_fiscal_number, sub.total_amount) for sub in subs] == [
        ("7000001", "600000001", Decimal("867.50")),
        ("7000002", "600000002", Decimal("65.00")),
    ]
    assert [len(sub.items) for sub in subs] == [5, 2]


def test_a_correct_collective_read_passes_validation() -> None:
    document = invented_bills.collective()
    invoice = validate(collective.LAYOUT.extract(document), document.text, TODAY)
    assert not invoice.needs_review


def test_sub_invoices_that_miss_the_collective_total_are_flagged() -> None:
    pages = invented_bills.collective().pages
    document = PdfText((invented_bills.summary_page("1.000,00", 2), *pages[1:]))
    invoice = validate(collective.LAYOUT.extract(document), document.text, TODAY)
    assert [warning.check for warning in invoice.warnings] == ["items_sum"]


def test_a_summary_without_its_account_names_the_missing_field() -> None:
    pages = invented_bills.collective().pages
    document = PdfText((pages[0].replace("COLETIVA\n9900000001", "COLETIVA\n"), *pages[1:]))
    with pytest.raises(FieldsMissing) as error:
        collective.LAYOUT.extract(document)
    assert "collective_account" in error.value.fields


def test_the_single_bill_reads_with_the_same_page_parser_and_its_payment_line() -> None:
    document = invented_bills.single()
    invoice = validate(single.LAYOUT.extract(document), document.text, TODAY)
    assert invoice.layout == "coelba.invoice"
    assert (invoice.installation_number, invoice.total_amount) == ("7000001", Decimal("867.50"))
    assert invoice.payment_line is not None and invoice.barcode is not None
    assert invoice.warnings == ()


def test_a_payment_line_for_another_value_is_flagged() -> None:
    document = invented_bills.single(stub_total="800,00")
    invoice = validate(single.LAYOUT.extract(document), document.text, TODAY)
    assert [warning.check for warning in invoice.warnings] == ["payment_line_total"]


@pytest.mark.parametrize("bill", [invented_bills.collective, invented_bills.single], ids=["collective", "single"])
def test_rows_ending_in_a_space_as_pdfium_prints_them_read_the_same(bill: Callable[[], PdfText]) -> None:
    document = bill()
    spaced = PdfText(tuple(page.replace("\n", " \n") for page in document.pages))
    layout = choose_layout(DISTRIBUTOR, document)
    assert layout.extract(spaced) == layout.extract(document)
