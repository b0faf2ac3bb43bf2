"""Items of a photographed Energisa bill: the table found under a header read in capitals, cut at the
table below it, descriptions put back from their letters or from the other read (no Tesseract)."""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.distributors.energisa.image_form import LAYOUT
from faturas.extraction.extract import extract_from_image_text
from faturas.extraction.image.read import ImageReads, judge_reads
from faturas.extraction.ocr.normalise import normalise_ocr_text

#: An invented Energisa bill as a night photo reads it: the energy row's description garbled, commas
#: lost, no "TOTAL:" row read; {energy} is the energy row.
PHOTO = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
ENERGISA SERGIPE-DISTRIB ENERGIA SA CNPJ 13.017.462/0001-63
FULANO DE TAL CÓDIGO DO CLIENTE
RUA INVENTADA 1 - BAIRRO 3/1234567-8
CÓDIGO DA INSTALAÇÃO
W1000000001
REF: MÊS / ANO VENCIMENTO TOTAL A PAGAR
Jul / 2025 06/08/2025 R$ 80,00
o ITENS DA FATURA Unid Quant (R$) (R$)
{energy}
ER Adi B Vermelha 12,00
EE LANÇAMENTOS E SERVIÇOS
Fa CONTRIB SERVILUM PUBLICA 800
Es
CONSUMO FATURADO Nº DIAS FAT Tributo Base de Alíquota Valor (R$)
Esta erre PISPASEP COFINS 4167 41,57 08795 40510 036 168
"""

GARBLED = "Cansunto am A KWm 75 0800000 6000"

#: The other read: the energy row's description legible, the rest of the page unreadable.
OTHER = "Dk? a HE Cs\n* e Consumo em kif kKWH 75 0,800000 60,00 181 45,19 20\n"


def _reads(first: str, second: str) -> ImageReads:
    texts = normalise_ocr_text(first), normalise_ocr_text(second)
    return ImageReads(((texts[0], texts[0]), (texts[1], texts[1])), 85.0, 1080)


def test_descriptions_read_without_spaces_or_with_the_unit_column_are_the_forms() -> None:
    assert LAYOUT.form_wording("Fa CONTRIB SERVILUM PUBLICA") == "CONTRIB SERV ILUM PUBLICA"
    assert LAYOUT.form_wording("Consumo em kif kKWH") == "Consumo em kWh"
    assert LAYOUT.form_wording("Consumo em kWh Ponta") == "Consumo em kWh Ponta"  # a word more: another line
    assert LAYOUT.form_wording("CONTRIB SERVILUM") == "CONTRIB SERVILUM"


def test_the_items_under_a_capitals_header_stop_at_the_billed_consumption_table() -> None:
    invoice = judge_reads(_reads(PHOTO.format(energy=GARBLED), OTHER), extract_from_image_text)
    assert [(item.description, item.quantity, item.unit_price, item.amount) for item in invoice.items] == [
        ("Consumo em kWh", Decimal("75"), Decimal("0.800000"), Decimal("60.00")),
        ("Adic. B. Vermelha", None, None, Decimal("12.00")),
        ("CONTRIB SERV ILUM PUBLICA", None, None, Decimal("8.00")),
    ]
    assert invoice.energy_kwh == Decimal("75")
    assert invoice.needs_review  # one read only: never clean


def test_a_description_is_taken_from_the_other_read_only_from_a_row_with_the_same_figures() -> None:
    other = OTHER.replace("0,800000", "0,700000")
    invoice = judge_reads(_reads(PHOTO.format(energy=GARBLED), other), extract_from_image_text)
    assert invoice.items[0].description == "Cansunto am A KWm"
    assert invoice.items[0].amount == Decimal("60.00")
