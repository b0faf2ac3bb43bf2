"""Both Energisa forms read from OCR text: rows across the page, labels included.

The text layer of these forms prints values without labels (or in writer order), which the text-layer
templates rely on. An OCR read is different: rows across the page, the labels drawn as graphics read
like any text ("CÓDIGO DO CLIENTE" above "10/1234567-8"), the items table one row per item. So a
scanned bill is read by labels and rows, and whatever OCR could have garbled without a check to catch
it (a description outside the group's billing vocabulary, a client code printed only once) is
flagged for review.
"""

from __future__ import annotations

import re

from faturas.domain.invoice import Invoice, LineItem, ValidationWarning
from faturas.errors import FieldsMissing
from faturas.extraction.common_fields import find_access_key
from faturas.extraction.distributors.energisa.bank_slip import payment_codes
from faturas.extraction.distributors.energisa.common import (
    DISTRIBUTOR_NAME,
    compensated_kwh,
    energy_kwh,
    item_kind,
    public_lighting_amount,
)
from faturas.extraction.distributors.family.header import find_headlines, labelled
from faturas.extraction.distributors.family.items import parse_item_rows
from faturas.extraction.numbers import strip_accents
from faturas.extraction.pdf_text import PdfText

_CLIENT_LABEL = r"C.DIGO DO CLIENTE"
_INSTALLATION_LABEL = r"C.DIGO DA INSTALA..O"
#: "10/1234567-8": the regional code, the client and its check digit. Seven digits at most: the bank
#: slip's "Nosso-Número" ("109/12345678-0") has eight.
_CLIENT = r"(?<![\w/])(\d{1,3}/\d{6,7}-\d)(?![\w/-])"
#: "W1234567890", "D1234567890", "00000R12345", "01234567890": eleven characters, mostly digits.
_INSTALLATION = r"(?<![\w/.-])((?=(?:[A-Z]?\d){9})[A-Z0-9]{11})(?![\w/.-])"
#: How far after its label a code may stand: its box's value is a row or two below, past the text
#: OCR reads from the boxes beside it (the address, the route).
_CODE_REACH = 200

_ITEMS_START = re.compile(r"^ITENS DA FATURA\b", re.IGNORECASE | re.MULTILINE)
_ITEMS_END = re.compile(r"^TOTAL\b", re.MULTILINE)
#: The taxes box stands beside the MATRÍCULA items: its rows ("COFINS 412,30 4,1234 17,00", the
#: label's first letters sometimes lost) are not items.
_TAX_ROW = re.compile(r"^(?:PIS|PASEP|PIS/PASEP|C?O?F[I1]NS|ICMS)$")

#: The descriptions Energisa bills print, as printed; a variable part (a month, the generating unit's
#: month) follows some of them. An OCR read is matched ignoring case, accents, spaces and punctuation,
#: which small print loses ("Adic B Vermelha"), and written as printed.
VOCABULARY = (
    "Consumo em kWh",
    "Custo de Disponibilidade",
    "Adic. B. Amarela",
    "Adic. B. Vermelha",
    "CONT.IL.PUB-CIP MUNICIPAL",
    "Contrib de Ilum Pub",
    "Energia Atv Injetada GDII",
    "Ajuste GDII - TRF Reduzida(Lei 14.300/22) - Conv.",
    "BÔNUS ITAIPU - LEI 10438/2002",
    "ATUALIZAÇÃO MONETÁRIA",
    "MULTA",
    "JUROS DE MORA",
    "PAGTO DUPLICIDADE ( - )",
    "DEBITO A COMPENSAR",
)
#: The variable tails: "08/2025" (the month a charge refers to), "mUC 9/2025 mPT" (a GD II credit's).
_TAIL = re.compile(r"\s+(\d{2}/\d{4}|mUC \d{1,2}/\d{4} mPT)$")


def _key(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", strip_accents(text).upper())


_BY_KEY = {_key(description): description for description in VOCABULARY}


def read_ocr_form(document: PdfText, template: str) -> Invoice:
    """The invoice an OCR read of either form gives, with warnings for what no check confirms."""
    text = document.text
    headlines = find_headlines(text)
    headline = headlines[0] if headlines else None
    client = labelled(text, _CLIENT_LABEL, _CLIENT, _CODE_REACH) or _first(_CLIENT, text)
    # The installation's box stands right below the client's: when OCR misses the light label, the
    # code after the client code is the installation (confirmed by its second printing, policy.py).
    installation = labelled(text, _INSTALLATION_LABEL, _INSTALLATION, _CODE_REACH) or (
        labelled(text, re.escape(client), _INSTALLATION, _CODE_REACH) if client else None
    )
    missing = [
        name
        for name, value in (
            ("client_number", client),
            ("installation_number", installation),
            ("reference_month", headline),
            ("due_date", headline),
            ("total_amount", headline),
        )
        if value is None
    ]
    if missing or headline is None:
        raise FieldsMissing(missing, template)
    items, unknown = parse_ocr_items(text)
    payment_line, barcode = payment_codes(text)
    warnings = []
    if unknown:
        warnings.append(
            ValidationWarning(
                "ocr_unknown_item",
                "Descrição de item lida por OCR fora do vocabulário da Energisa: " + "; ".join(unknown) + ".",
                ("items",),
            )
        )
    if client is not None and not client_confirmed(client, text):
        warnings.append(
            ValidationWarning(
                "ocr_seen_once",
                "Leitura por OCR não confirmada em outro ponto da fatura: Nº do cliente.",
                ("client_number",),
            )
        )
    return Invoice(
        distributor=DISTRIBUTOR_NAME,
        layout=template,
        installation_number=installation,
        client_number=client,
        reference_month=headline.month,
        due_date=headline.due_date,
        total_amount=headline.total,
        items=items,
        energy_kwh=energy_kwh(items),
        compensated_kwh=compensated_kwh(items),
        public_lighting_amount=public_lighting_amount(items),
        access_key=find_access_key(text),
        payment_line=payment_line,
        barcode=barcode,
        warnings=tuple(warnings),
    )


def parse_ocr_items(text: str) -> tuple[tuple[LineItem, ...], list[str]]:
    """The items table's rows as items, and the descriptions outside the vocabulary."""
    start = _ITEMS_START.search(text)
    if start is None:
        return (), []
    body = text[text.find("\n", start.end()) + 1 :]
    end = _ITEMS_END.search(body)
    rows = (body[: end.start()] if end else body).splitlines()
    items, unknown = [], []
    for item in parse_item_rows(rows, fee_amount_last=False):
        if _TAX_ROW.match(item.description.upper()):
            continue
        # Where the unit column is blank (the MATRÍCULA form) the row parser takes the description's
        # own "kWh" for the unit: "Consumo em kWh 100,00 …".
        description = printed_description(item.description) or (
            printed_description(item.description + " kWh") if item.unit else None
        )
        if description is None:
            unknown.append(item.description)
            description = item.description
        kind = item_kind(description)
        items.append(LineItem(description, item.amount, item.unit, item.quantity, item.unit_price, kind))
    return tuple(items), unknown


def printed_description(read: str) -> str | None:
    """The description as the bill prints it, when the OCR read is one of the vocabulary's."""
    tail = _TAIL.search(read)
    head = read[: tail.start()] if tail else read
    printed = _BY_KEY.get(_key(head))
    if printed is None:
        return None
    return f"{printed} {tail.group(1)}" if tail else printed


def client_confirmed(client: str, text: str) -> bool:
    """Whether the client code's number and check digit are printed again: the automatic-debit code
    ("00012345678" or "0001234567-8") and the payment stub's document number carry them."""
    number, check = client.split("/", 1)[1].split("-")
    return re.search(rf"(?<![\d/])0*{number}-?{check}(?!\d)", text.replace(client, "")) is not None


def _first(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None
