"""One COELBA (Neoenergia) invoice as printed on its own page(s): a single bill or one of a collective bill."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from faturas.domain.invoice import Invoice, ItemKind, LineItem, ReadingDates, TariffFlag
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.common_fields import barcode_from_payment_line, find_access_key, find_payment_line
from faturas.extraction.distributors.coelba.invoice_ocr import INVOICE_HEADING_OCR_RE, label_value_ocr, parse_items_ocr
from faturas.extraction.distributors.coelba.invoice_tables import (
    consumption_kwh,
    first_component_kwh,
    first_reading_dates,
    parse_history,
    parse_items,
    parse_meter_readings,
    parse_taxes,
)
from faturas.extraction.numbers import NUMBER, parse_date, parse_decimal, parse_reference_month, strip_accents
from faturas.extraction.text_search import find, require

DISTRIBUTOR_NAME = "COELBA"
TEMPLATE = "coelba.invoice"

_DATE = r"(\d{2}/\d{2}/\d{4})"
#: The heading every invoice page prints (page 1 of a collective bill prints another).
INVOICE_HEADING_RE = re.compile(r"NOTA FISCAL \| FATURA \| CONTA DE ENERGIA EL.TRICA")
#: "1/1", "1/2": which page of its invoice a page is.
#: These two are matched over "\n" + text: a pattern that opens with a literal lets the regex engine
#: skip ahead to it, one that opens with a multi-line "^" is tried at every position.
_PAGE_OF_RE = re.compile(r"\n[ \t]*(\d{1,2})/(\d{1,2})[ \t]*$", re.MULTILINE)
_CLASSIFICATION_RE = re.compile(r"\nCLASSIFICA..O\s*\n(.+)\n(.+)$", re.MULTILINE)
_SUPPLY_RE = re.compile(r"(Monof.sico|Bif.sico|Trif.sico)", re.IGNORECASE)
_FLAG_ITEM_RE = re.compile(r"\bBandeira\s+(Escassez\s+H\w+|\w+(?:\s+P(?:atamar\s*)?\d)?)", re.IGNORECASE)
_FLAG_NOTE_RE = re.compile(r"bandeira em vigor . a (Verde|Amarela|Vermelha(?: Patamar \d| P\d)?|Escassez H.drica)")
_SUPPLY_NAMES = {"MONOFASICO": "Monofásico", "BIFASICO": "Bifásico", "TRIFASICO": "Trifásico"}


@dataclass(frozen=True)
class _Classification:
    customer_class: str | None = None
    subclass: str | None = None
    tariff_modality: str | None = None
    supply_type: str | None = None


def label_value(label: str, text: str) -> str | None:
    """The value printed on the line below a label ("CONTA CONTRATO" / "0200000001")."""
    # "\n" + label over "\n" + text, not a multi-line "^": the search skips ahead to the label's start.
    return find(rf"\n{label}[ \t]*\n[ \t]*(\S.*?)[ \t]*$", "\n" + text, flags=re.MULTILINE)


def group_invoice_pages(pages: Sequence[str], ocr: bool = False) -> list[tuple[int, str]]:
    """Each invoice's pages (first page number, 1-based, and text joined by form feeds).

    A page marked "2/2" continues the invoice before it.
    """
    heading = INVOICE_HEADING_OCR_RE if ocr else INVOICE_HEADING_RE
    groups: list[tuple[int, list[str]]] = []
    for number, page in enumerate(pages, start=1):
        marker = _PAGE_OF_RE.search("\n" + page)
        continues = marker is not None and int(marker.group(1)) > 1
        if continues and groups:
            groups[-1][1].append(page)
        elif heading.search(page):
            groups.append((number, [page]))
    return [(number, "\f".join(texts)) for number, texts in groups]


def read_invoice(text: str, ocr: bool = False) -> Invoice:
    """One invoice; ``ocr`` reads the OCR shapes (labels behind a box corner, the items after their heading)."""
    value = label_value_ocr if ocr else label_value
    fields = require(
        TEMPLATE,
        installation_number=value(r"N. DA INSTALA..O", text),
        client_number=value(r"N. DO CLIENTE", text),
        reference_month=value(r"M.S/ANO", text),
        due_date=value("DATA DE VENCIMENTO", text) or value("VENCIMENTO", text),
        total_amount=find(rf"TOTAL DA FATURA[ \t]+({NUMBER})", text) or value(r"TOTAL A PAGAR \(R\$\)", text),
    )
    month = parse_reference_month(fields["reference_month"])
    items = parse_items_ocr(text) if ocr else parse_items(text)
    classification = _classification(text)
    payment_line = find_payment_line(text)
    issued = label_value(r"DATA DA EMISS.O DA NOTA FISCAL", text)
    return Invoice(
        distributor=DISTRIBUTOR_NAME,
        layout=TEMPLATE,
        installation_number=fields["installation_number"],
        client_number=fields["client_number"],
        reference_month=month,
        due_date=parse_date(fields["due_date"]),
        total_amount=parse_decimal(fields["total_amount"]),
        items=items,
        energy_kwh=consumption_kwh(items),
        scee_kwh=first_component_kwh(items, ItemKind.SCEE),
        compensated_kwh=first_component_kwh(items, ItemKind.COMPENSATED),
        public_lighting_amount=_amount_of(items, ItemKind.PUBLIC_LIGHTING),
        holder_name=label_value("DADOS DO CLIENTE", text),
        access_key=find_access_key(text),
        nota_fiscal_number=label_value(r"N.MERO DA NOTA FISCAL", text),
        issue_date=parse_date(issued) if issued else None,
        payment_line=payment_line,
        barcode=barcode_from_payment_line(payment_line) if payment_line else None,
        customer_class=classification.customer_class,
        subclass=classification.subclass,
        tariff_modality=classification.tariff_modality,
        supply_type=classification.supply_type,
        reading_dates=_reading_dates(text),
        meter_readings=parse_meter_readings(text),
        tariff_flags=_tariff_flags(items, text, month),
        taxes=parse_taxes(text),
        consumption_history=parse_history(text),
    )


def _classification(text: str) -> _Classification:
    """ "B3 PODER PUBLICO - MUNICIPAL" over "Conv. Monômia - Trifásico": subgroup, class, subclass; modality, supply."""
    match = _CLASSIFICATION_RE.search("\n" + text)
    if match is None:
        return _Classification()
    class_line, supply_line = (part.strip() for part in match.groups())
    customer_class, _, subclass = re.sub(r"^[A-D]\d\w?\s+", "", class_line).partition(" - ")
    modality, _, supply = supply_line.rpartition(" - ")
    supply_match = _SUPPLY_RE.fullmatch(supply.strip())
    return _Classification(
        customer_class=customer_class.strip() or None,
        subclass=subclass.strip() or None,
        tariff_modality=modality.strip() or None,
        supply_type=_SUPPLY_NAMES[strip_accents(supply_match.group(1)).upper()] if supply_match else None,
    )


def _reading_dates(text: str) -> ReadingDates | None:
    first = first_reading_dates(text)
    following = find(rf"DATA PREVISTA DA PR.XIMA LEITURA:\s*{_DATE}", text)
    if first is None:
        return None
    previous, current, days = first
    return ReadingDates(parse_date(previous), parse_date(current), days, parse_date(following) if following else None)


def _tariff_flags(items: Sequence[LineItem], text: str, month: ReferenceMonth) -> tuple[TariffFlag, ...]:
    """The flags billed ("Acréscimo Bandeira AMARELA"); without one, the flag in force on the reading date."""
    billed = [_flag_name(match.group(1)) for item in items if (match := _FLAG_ITEM_RE.search(item.description))]
    if not billed:
        note = _FLAG_NOTE_RE.search(text)
        billed = [note.group(1)] if note else []
    return tuple(TariffFlag(month, flag) for flag in dict.fromkeys(billed))


def _flag_name(printed: str) -> str:
    """ "VERMELHA P1" → "Vermelha P1": names capitalised, levels kept."""
    return " ".join(word.capitalize() if word.isalpha() else word for word in printed.split())


def _amount_of(items: Sequence[LineItem], kind: ItemKind) -> Decimal | None:
    amounts = [item.amount for item in items if item.kind is kind]
    return sum(amounts, Decimal(0)) if amounts else None
