"""FamilyLayout: one group's bill form, read from OCR text, parametrised by a FamilySpec."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from faturas.domain.invoice import Invoice, ItemKind, LineItem, ValidationWarning
from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing, InvalidDate
from faturas.extraction.common_fields import barcode_from_payment_line, find_access_key, find_payment_line
from faturas.extraction.distributors.family.commas import restore_fee_amount
from faturas.extraction.distributors.family.header import (
    Headline,
    find_headlines,
    labelled,
    labelled_amount,
    labelled_date,
    labelled_month,
    parse_amount,
    parse_month,
)
from faturas.extraction.distributors.family.items import parse_item_rows, repair_energy_row
from faturas.extraction.distributors.family.vocabulary import numbered_description, printed_description
from faturas.extraction.numbers import parse_date
from faturas.extraction.pdf_text import PdfText

T = TypeVar("T")


@dataclass(frozen=True)
class FamilySpec:
    """What differs between the groups that share a form: names, labels and the items table's shape."""

    template: str  # "equatorial.danf3e"
    distributor: str  # the group as reported
    #: Text every bill of the form prints (beyond the group's cues): tells the form from the group's others.
    form_marker: re.Pattern[str]
    #: Labels before the codes; the value is the first run of digits (of the given lengths) after them.
    installation_labels: tuple[str, ...]
    client_labels: tuple[str, ...] = ()
    installation_code: str = r"\d{6,12}"
    client_code: str = r"\d{6,12}"
    #: How far after a code's label its value may stand (OCR puts a box's value a row or two below).
    code_reach: int = 120
    #: The same for the client code, when its box stands further from its value than the installation's.
    client_reach: int | None = None
    #: Whether the form's client and installation codes are always different numbers: a client code
    #: equal to the installation was then read from the wrong box, and is dropped.
    distinct_codes: bool = False
    #: Codes whose shape is the group's alone ("W1234567890"), found anywhere when no label leads to one.
    installation_shape: re.Pattern[str] | None = None
    client_shape: re.Pattern[str] | None = None
    #: The client code as OCR splits it at spaces ("3/1 1 781 50 -7"), read after the client's labels
    #: and joined when it then has the client code's shape (see _split_code).
    client_split: str | None = None
    month_labels: tuple[str, ...] = (r"REF\W{0,3}M[EÊ]S\s?/?\s?ANO", r"M[EÊ]S\s?/\s?ANO", r"Conta\s?m[eê]s")
    due_labels: tuple[str, ...] = (r"VENCIMENTO",)
    total_labels: tuple[str, ...] = (r"TOTAL\s?A\s?PAGAR",)
    #: The items table: the line after ``items_start`` up to the first line matching ``items_end``.
    items_start: re.Pattern[str] = re.compile(r"Itens de fatura|Descri..o|ITENS|Pre.o\s?Uni?t", re.IGNORECASE)
    items_end: re.Pattern[str] = re.compile(r"^TOTAL\b|Hist.rico|Tributos|^INFORMA", re.IGNORECASE | re.MULTILINE)
    #: Rows that print several header fields together (the payment stub, "CÓDIGO DO CLIENTE … VENCIMENTO
    #: …"), with named groups among client, installation, month, due and total; they fill what the
    #: month-date-amount row and the labels left empty.
    stubs: tuple[re.Pattern[str], ...] = ()
    #: Rows inside the items table that are not billed lines (a subtotal: "Total Distribuidora").
    items_skip: re.Pattern[str] | None = None
    #: Whether a fee row's amount is its last amount (Equatorial) or its first (after the description).
    fee_amount_last: bool = False
    #: A code printed before each item's description (EDP's CCI column), cut off the row.
    item_code: re.Pattern[str] | None = None
    #: The item descriptions the form prints (without their reference month): a garbled read close to
    #: one of them is put back to it (see family/vocabulary.py).
    descriptions: tuple[str, ...] = ()
    #: The words the form prints before a document number ("ICMS-CDE NF", "Multa-NF "): a line read
    #: with them and a number, its punctuation or spacing garbled, is put back to them (vocabulary.py).
    numbered_descriptions: tuple[str, ...] = ()
    #: The items table's own total row ("TOTAL: 54,05"), its figure in group ``total``: the bill's total
    #: when the header's was not read, only if the billed lines add up to it.
    table_total: re.Pattern[str] | None = None


class FamilyLayout:
    def __init__(self, spec: FamilySpec) -> None:
        self.spec = spec
        self.name = spec.template

    def matches(self, document: PdfText) -> bool:
        return self.spec.form_marker.search(document.text) is not None

    def extract(self, document: PdfText) -> Invoice:
        spec, text = self.spec, document.text
        payment_line = find_payment_line(text)
        headlines = find_headlines(text)
        headline: Headline | None = headlines[0] if headlines else None
        stub = _stub_values(text, spec.stubs)
        month = _first(
            [headline.month if headline else None, _month(stub.get("month"))]
            + [labelled_month(text, label) for label in spec.month_labels]
        )
        due = _first(
            [headline.due_date if headline else None, _date(stub.get("due"))]
            + [labelled_date(text, label) for label in spec.due_labels]
        )
        total = _first(
            [headline.total if headline else None, _amount(stub.get("total"))]
            + [labelled_amount(text, label) for label in spec.total_labels]
        )
        if total is None and payment_line is not None:
            total = Decimal(int(payment_line[4:11] + payment_line[12:16])) / 100
        if total is None:
            total = self._table_total(text)
        if total is None:
            raise FieldsMissing(["total_amount"], spec.template)
        installation = (
            stub.get("installation")
            or _code(text, spec.installation_labels, spec.installation_code, spec.code_reach)
            or _shaped(text, spec.installation_shape)
        )
        client = (
            stub.get("client")
            or _code(
                text, spec.client_labels, spec.client_code, spec.client_reach or spec.code_reach, spec.client_split
            )
            or _shaped(text, spec.client_shape)
        )
        if spec.distinct_codes and client is not None and client == installation:
            client = None
        items, repaired = self._repaired(self._item_rows(text), total)
        energy = next((item.quantity for item in items if item.kind is ItemKind.ENERGY and item.unit), None)
        lighting = [item.amount for item in items if item.kind is ItemKind.PUBLIC_LIGHTING]
        return Invoice(
            distributor=spec.distributor,
            layout=spec.template,
            installation_number=installation,
            client_number=client,
            reference_month=month,
            due_date=due,
            total_amount=total,
            items=items,
            energy_kwh=energy,
            public_lighting_amount=sum(lighting, Decimal(0)) if lighting else None,
            access_key=find_access_key(text),
            payment_line=payment_line,
            barcode=barcode_from_payment_line(payment_line) if payment_line else None,
            warnings=repaired,
        )

    def _repaired(self, rows: list[str], total: Decimal) -> tuple[tuple[LineItem, ...], tuple[ValidationWarning, ...]]:
        """The items, with the one energy row OCR read without its quantity rebuilt when the bill's
        arithmetic proves it (see repair_energy_row), and the warning that flags the rebuilt row."""
        items = self._items(rows, total)
        if sum((item.amount for item in items), Decimal(0)) == total:
            return items, ()
        rebuilt = repair_energy_row(list(items), rows, total)
        if rebuilt is None:
            return items, ()
        replaced = tuple(rebuilt if item.quantity is None and item.description == rebuilt.description else item
                         for item in items)  # fmt: skip
        warning = ValidationWarning(
            "ocr_item_rebuilt",
            f"Item refeito pela soma da fatura (quantidade, preço ou valor ilegíveis): {rebuilt.description}.",
            ("items",),
        )
        return replaced, (warning,)

    def _table_total(self, text: str) -> Decimal | None:
        """The items table's total row, also when its comma was lost ("5405"), if the lines add up to it."""
        match = self.spec.table_total.search(text) if self.spec.table_total else None
        if match is None:
            return None
        token = match.group("total")
        digits = re.fullmatch(r"[1-9]\d{2,}", token)
        total = Decimal(token) / 100 if digits else parse_amount(token)
        if total is None:
            return None
        items = self._items(self._item_rows(text), total)
        return total if items and sum((item.amount for item in items), Decimal(0)) == total else None

    def _items(self, rows: list[str], total: Decimal) -> tuple[LineItem, ...]:
        spec = self.spec
        items = tuple(parse_item_rows(rows, spec.fee_amount_last, spec.item_code))
        if sum((item.amount for item in items), Decimal(0)) != total:
            # Fee amounts whose comma OCR lost ("579"): kept only when every line then adds up to the total.
            restored = tuple(
                parse_item_rows([restore_fee_amount(row) for row in rows], spec.fee_amount_last, spec.item_code)
            )
            if restored != items and sum((item.amount for item in restored), Decimal(0)) == total:
                items = restored
        return tuple(dataclasses.replace(item, description=self.form_wording(item.description)) for item in items)

    def form_wording(self, description: str) -> str:
        """A read description put back to the form's own wording when it clearly is one of its lines."""
        numbered = numbered_description(description, self.spec.numbered_descriptions)
        return numbered if numbered != description else printed_description(description, self.spec.descriptions)

    def _item_rows(self, text: str) -> list[str]:
        start = self.spec.items_start.search(text)
        if start is None:
            return []
        body = text[text.find("\n", start.end()) + 1 :]
        end = self.spec.items_end.search(body)
        rows = (body[: end.start()] if end else body).splitlines()
        skip = self.spec.items_skip
        return [row for row in rows if skip is None or not skip.search(row)]


#: How far past a label's reach a code that starts within it may run (the longest code printed).
CODE_OVERRUN = 20


#: A code of a fixed number of digits ("\\d{10}"): its length.
_FIXED_LENGTH = re.compile(r"\\d\{(\d+)\}")
#: Two runs of digits OCR split a fixed-length code into ("000301 6068"), each at least three long.
_SPLIT_RUNS = r"\d{3,} \d{3,}"


def _code(text: str, labels: tuple[str, ...], code: str, reach: int, split: str | None = None) -> str | None:
    value = rf"(?<![\w./-])({code})(?![\w./-])"
    # A code is matched past the reach too: one the reach would cut is read whole, not as its first digits.
    found = _first(labelled(text, label, value, reach, overrun=CODE_OVERRUN) for label in labels)
    return found if found is not None else _split_code(text, labels, code, reach, split)


def _split_code(text: str, labels: tuple[str, ...], code: str, reach: int, split: str | None) -> str | None:
    """A code OCR split at spaces ("000301 6068", "3/1 1 781 50 -7"): the first ``split`` after its
    label, its spaces taken out, when that has the code's shape. Without a ``split``, only a code of
    a fixed length is joined, from two runs of digits that make exactly that length: codes of varying
    length are not, as two numbers side by side could make one."""
    if split is None:
        split = _SPLIT_RUNS if _FIXED_LENGTH.fullmatch(code) else None
    if split is None:
        return None
    value = rf"(?<![\w./-])({split})(?![\w./-])"
    for label in labels:
        found = labelled(text, label, value, reach, overrun=CODE_OVERRUN)
        if found is not None:
            joined = found.replace(" ", "")
            return joined if re.fullmatch(code, joined) else None
    return None


def _shaped(text: str, shape: re.Pattern[str] | None) -> str | None:
    match = shape.search(text) if shape is not None else None
    return None if match is None else re.sub(r"\s", "", match.group(0))


def _stub_values(text: str, stubs: tuple[re.Pattern[str], ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pattern in stubs:
        match = pattern.search(text)
        if match is not None:
            for name, value in match.groupdict().items():
                if value is not None:
                    values.setdefault(name, value)
    return values


def _month(token: str | None) -> ReferenceMonth | None:
    return None if token is None else parse_month(token)


def _date(token: str | None) -> date | None:
    if token is None:
        return None
    try:
        return parse_date(token)
    except InvalidDate:
        return None


def _amount(token: str | None) -> Decimal | None:
    return None if token is None else parse_amount(token)


def _first(values: Iterable[T | None]) -> T | None:
    return next((value for value in values if value is not None), None)
