"""Row patterns matched over "\\n" + text (a literal the regex engine skips ahead to, not a multi-line "^"):
a row on the text's first line, rows on consecutive lines and a row right after a page break are all read."""

from __future__ import annotations

import re
from decimal import Decimal

from faturas.extraction.distributors.celesc.danf3e_tables import parse_items as celesc_items
from faturas.extraction.distributors.cemig.details import meter_readings
from faturas.extraction.distributors.coelba.invoice_page import group_invoice_pages
from faturas.extraction.distributors.coelba.invoice_tables import (
    first_reading_dates,
    parse_history,
    parse_meter_readings,
    parse_taxes,
)
from faturas.extraction.distributors.energisa.matricula_history import parse_history as matricula_history
from faturas.extraction.text_search import line_start


def test_coelba_taxes_on_the_first_line() -> None:
    taxes = parse_taxes("INFORMAÇÕES DE TRIBUTOS\n100,00 18,00 18,00 100,00 1,00 1,00 100,00 4,00 4,00\nfim")
    assert [tax.name for tax in taxes] == ["ICMS", "PIS", "COFINS"]
    assert taxes[2].amount == Decimal("4.00")


def test_coelba_meter_rows_from_the_first_line_on() -> None:
    rows = (
        "1234 CAT 01/03/2025 1.000 31/03/2025 1.300 30 1 300\n"
        "1234 CRT 01/03/2025 10 31/03/2025 12 30 1 2\n"
        "x 1234 CAT 01/03/2025 1.000 31/03/2025 1.300 30 1 300\n"
    )
    assert [(reading.quantity, reading.consumption) for reading in parse_meter_readings(rows)] == [
        ("CAT", Decimal(300)),
        ("CRT", Decimal(2)),
    ]
    assert first_reading_dates(rows) == ("01/03/2025", "31/03/2025", 30)


def test_coelba_history_under_a_header_on_the_first_line() -> None:
    history = parse_history("HISTÓRICO DO CONSUMO\nMÊS kWh\nMAR 25 150\nFEV 25 140\nfim 1")
    assert [record.kwh for record in history] == [Decimal(150), Decimal(140)]


def test_coelba_page_marks_at_the_top_of_a_page() -> None:
    heading = "NOTA FISCAL | FATURA | CONTA DE ENERGIA ELÉTRICA"
    pages = [f"1/2\n{heading}\nA", "2/2\ncontinua", f"{heading}\n 1/1 \nB"]
    assert [number for number, _ in group_invoice_pages(pages)] == [1, 3]


def test_cemig_meter_rows_need_the_unit_before_the_first_digit() -> None:
    text = (
        "Tipo de Medição\n"
        "Energia kWh 1.000 1.300 1 300\n"
        "  Demanda kW AB12 10 12 1 2\n"
        "Consumo 2 kWh 1 2 3 4\n"
        "kg e kWh 5 6 7 8\n"
    )
    assert [(reading.quantity, reading.meter) for reading in meter_readings(text)] == [
        ("Energia kWh", None),
        ("Demanda kW", "AB12"),
        ("kg e kWh", None),
    ]


def test_celesc_item_row_on_the_first_line() -> None:
    row = "Consumo TE kWh 100 0,50 50,00 1,00 50,00 17,00 8,50 0,40\nTOTAL 50,00 1,00 50,00 17,00 8,50 0,40 1 2"
    assert [(item.description, item.amount) for item in celesc_items(row)] == [("Consumo TE", Decimal("50.00"))]


def test_energisa_matricula_chart_from_the_first_line_and_not_inside_a_line() -> None:
    from faturas.extraction.distributors.energisa.matricula_history import parse_history

    months = [f"{name}/25" for name in ("JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV")]
    labels = ["NOV/24", "DEZ/24", *months]
    values = [f"{100 + index},00" for index in range(13)]
    chart = "\n".join(values) + "\n" + "\n".join(labels)
    history = parse_history(chart + "\nfim")
    assert len(history) == 13 and history[-1].month.month == 11
    assert parse_history("x" + chart) == parse_history("x" + "\n".join(values[1:]) + "\n" + "\n".join(labels))
    assert parse_history("pág. 2\n" + chart) == history


def test_energisa_bank_slip_line_read_from_its_first_dot() -> None:
    from faturas.extraction.distributors.energisa.bank_slip import payment_codes

    line = "12345.67890 12345.678901 12345.678901 1 99990000012345"
    barcode = "1234" + "1" + "99990000012345" + "56789" + "1234567890" + "1234567890"
    assert payment_codes(line) == (None, barcode)
    assert payment_codes(f"Linha: {line}\n") == (None, barcode)
    assert payment_codes("9" + line) == (None, None)  # six digits before the first dot
    assert payment_codes(f"x.{line}") == (None, barcode)


def test_energisa_chart_on_the_first_line_and_right_after_a_short_block() -> None:
    values = [f"{100 + index},00" for index in range(13)]
    labels = [f"{month}/24" for month in ("JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV")]
    labels += ["DEZ/24", "JAN/25"]
    chart = "\n".join([*values, *labels])
    for text in (chart, f"9,00\nJAN/23\n{chart}"):
        history = matricula_history(f"{text}\nJAN/25 30")
        assert len(history) == 13
        assert history[-1].days == 30


def test_line_start_matches_where_a_multi_line_caret_does() -> None:
    texts = [
        "Valor a Pagar",
        "x\nValor a Pagar",
        "x Valor a Pagar",
        "x\fValor a Pagar",
        "\n\nValor a Pagar\nValor a Pagar",
    ]
    caret = re.compile(r"^Valor a Pagar", re.MULTILINE)
    opening = re.compile(line_start("Valor a Pagar"), re.MULTILINE)
    for text in texts:
        assert [match.span() for match in opening.finditer(text)] == [match.span() for match in caret.finditer(text)]
    assert opening.pattern.startswith("V")  # what the regex engine skips ahead to
