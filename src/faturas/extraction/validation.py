"""What makes a read trustworthy: sums, check digits, readings and plausible dates.

A bill that fails a check is returned with warnings (and so ``needs_review``), never refused and
never silently accepted.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from faturas.domain.invoice import Invoice, ValidationWarning
from faturas.extraction.check_digits import access_key_is_valid, payment_line_blocks_are_valid

#: IBGE state codes, the first two digits of an NF3e access key.
STATE_CODES = {
    "11", "12", "13", "14", "15", "16", "17", "21", "22", "23", "24", "25", "26", "27", "28", "29",
    "31", "32", "33", "35", "41", "42", "43", "50", "51", "52", "53",
}  # fmt: skip

#: How far after the start of the reference month a due date may plausibly fall.
MAX_DUE_DELAY = timedelta(days=200)


#: The checks validate() makes. Other warnings on an invoice are its template's (an OCR read the
#: template could not confirm) and are kept: validating again replaces only these.
CHECKS = frozenset(
    {"items_missing", "items_sum", "payment_line_digits", "payment_line_total", "access_key", "readings",
     "reference_month", "due_date"}
)  # fmt: skip


#: The figures templates take from the billed lines: doubtful, or missing, when the lines are.
ITEM_FIGURES = ("energy_kwh", "scee_kwh", "compensated_kwh", "public_lighting_amount")


def validate(invoice: Invoice, bill_text: str, today: date | None = None) -> Invoice:
    """Return the invoice with one warning per failed check (sub-invoices checked on their own), after
    the template's own warnings."""
    today = today or date.today()
    subs = tuple(validate(sub, bill_text, today) for sub in invoice.sub_invoices)
    warnings = [
        *_check_items_sum(invoice),
        *_check_payment_line(invoice),
        *_check_access_key(invoice, bill_text),
        *_check_readings(invoice),
        *_check_dates(invoice, today),
    ]
    kept = tuple(warning for warning in invoice.warnings if warning.check not in CHECKS)
    # dataclasses.replace without its loop over the fields: an Invoice's __dict__ holds exactly its fields
    # (a frozen dataclass without init=False fields or cached properties; a unit test keeps it so).
    return type(invoice)(**{**vars(invoice), "sub_invoices": subs, "warnings": (*kept, *warnings)})


def _check_items_sum(invoice: Invoice) -> list[ValidationWarning]:
    fields: tuple[str, ...]
    if invoice.sub_invoices:
        parts = sum((sub.total_amount for sub in invoice.sub_invoices), Decimal(0))
        label, fields = "faturas agrupadas", ("sub_invoices", "total_amount")
    elif invoice.items:
        parts = sum((item.amount for item in invoice.items), Decimal(0))
        label, fields = "itens", ("items", "total_amount", *ITEM_FIGURES)
    else:
        return [ValidationWarning("items_missing", "Nenhum item faturado foi lido.", ("items", *ITEM_FIGURES))]
    if parts == invoice.total_amount:
        return []
    return [
        ValidationWarning(
            "items_sum",
            f"A soma dos {label} (R$ {parts}) difere do total (R$ {invoice.total_amount}).",
            fields,
        )
    ]


def _check_payment_line(invoice: Invoice) -> list[ValidationWarning]:
    line = invoice.payment_line
    if line is None:
        return []
    if not payment_line_blocks_are_valid(line):
        return [
            ValidationWarning(
                "payment_line_digits", "A linha digitável tem dígito verificador inválido.", ("payment_line",)
            )
        ]
    value = Decimal(int(line[4:11] + line[12:16])) / 100
    if value == invoice.total_amount:
        return []
    return [
        ValidationWarning(
            "payment_line_total",
            f"O valor da linha digitável (R$ {value}) difere do total (R$ {invoice.total_amount}).",
            ("payment_line", "total_amount"),
        )
    ]


def _check_access_key(invoice: Invoice, bill_text: str) -> list[ValidationWarning]:
    key = invoice.access_key
    if key is None:
        return []
    problems = []
    if not access_key_is_valid(key):
        problems.append("dígito verificador inválido")
    if key[:2] not in STATE_CODES:
        problems.append(f"código de estado {key[:2]} inexistente")
    if not _cnpj_printed(key[6:20], bill_text):
        problems.append(f"CNPJ {key[6:20]} não aparece na fatura")
    issued = invoice.issue_date
    key_month = (2000 + int(key[2:4]), int(key[4:6]))
    if issued is not None and key_month != (issued.year, issued.month):
        problems.append(f"mês de emissão {key[4:6]}/{key[2:4]} difere da data de emissão")
    if not problems:
        return []
    return [ValidationWarning("access_key", "Chave de acesso NF3e: " + "; ".join(problems) + ".", ("access_key",))]


def _cnpj_printed(cnpj: str, text: str) -> bool:
    """Whether the CNPJ is printed on its own; the digits inside the key itself do not count."""
    parts = (cnpj[:2], cnpj[2:5], cnpj[5:8], cnpj[8:12], cnpj[12:])
    # The lookbehind follows the first digits so the search can skip ahead to them (see common_fields).
    first = parts[0]
    pattern = first + rf"(?<!\d{first})" + r"[\s./-]?" + r"[\s./-]?".join(parts[1:]) + r"(?!\d)"
    return re.search(pattern, text) is not None


def _check_readings(invoice: Invoice) -> list[ValidationWarning]:
    warnings = []
    for reading in invoice.meter_readings:
        previous, current, constant, printed = (
            reading.previous,
            reading.current,
            reading.constant,
            reading.consumption,
        )
        if previous is None or current is None or constant is None or printed is None:
            continue
        expected = (current - previous) * constant
        if expected != printed:
            warnings.append(
                ValidationWarning(
                    "readings",
                    f"Leituras de {reading.quantity}: ({current} − {previous}) × {constant} = {expected}, "
                    f"mas a fatura informa {printed}.",
                    ("meter_readings",),
                )
            )
    return warnings


def _check_dates(invoice: Invoice, today: date) -> list[ValidationWarning]:
    month = invoice.reference_month
    if month is None:
        return []
    warnings = []
    if not date(2000, 1, 1) <= month.first_day() <= today + timedelta(days=62):
        warnings.append(
            ValidationWarning("reference_month", f"Mês de referência improvável: {month.label}.", ("reference_month",))
        )
    due = invoice.due_date
    if due is not None and not month.first_day() <= due <= month.first_day() + MAX_DUE_DELAY:
        warnings.append(
            ValidationWarning(
                "due_date",
                f"Vencimento {due:%d/%m/%Y} improvável para a referência {month.label}.",
                ("due_date",),
            )
        )
    return warnings
