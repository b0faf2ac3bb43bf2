"""Both Energisa forms as OCR reads them: labels and rows, with what no check confirms flagged."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from faturas.domain.invoice import ItemKind
from faturas.domain.reference_month import ReferenceMonth
from faturas.extraction.distributors.detection import choose_layout
from faturas.extraction.distributors.energisa import DISTRIBUTOR
from faturas.extraction.distributors.energisa.danf3e import LAYOUT as DANF3E
from faturas.extraction.distributors.energisa.matricula import LAYOUT as MATRICULA
from faturas.extraction.distributors.energisa.ocr_form import client_confirmed, printed_description
from faturas.extraction.extract import extract_from_text
from faturas.extraction.pdf_text import PdfText

#: An invented DANF3E as OCR reads it: rows across the page, a tab between boxes, the labels read.
DANF3E_OCR = """ENERGISA MATO GROSSO DO SUL - DISTR. DE ENERGIA S.A.
CNPJ 15.413.826/0001-50 Insc. Est. 28.105.553-0
FULANO DE TAL
CÓDIGO DO CLIENTE
RUA DAS FLORES 100 - CENTRO\t3/1234567-8
CÓDIGO DA INSTALAÇÃO
Roteiro: 01-0002-003-0004
X1234567890
REF: MÊS / ANO\tVENCIMENTO\tTOTAL A PAGAR
MAR/2025\t22/04/2025\tR$ 1.240,00
NOTA FISCAL Nº 012.345.678 - SÉRIE :001
ITENS DA FATURA\tUnid. Quant\t(R$)
Consumo em kWh\tkWh\t1000\t1,100000 1.100,00\t50,00\t1.100,00\t17\t187,00 0,900000
Adic B Amarela\t60,00\t3,00\t60,00\t17\t10,20
LANCAMENTOS E SERVICOS
CONT IL PUB-CIP MUNICIPAL\t80,00\t0,00\t0,00\t0,00
TOTAL: 1.240,00\t53,00\t1.160,00\t197,20
X1234567890\tkWh\tTotal\t5000\t6000\t1\t1000
CADASTRE SUA FATURA EM DÉBITO AUTOMÁTICO UTILIZANDO O CÓDIGO: 00012345678
Nosso-Número\tNr Documento\tData de Vencimento Valor do Documento
109/12345678-0\t1234567-2025-03-3\t22/04/2025\t1.240,00
"""

#: An invented MATRÍCULA form as OCR reads it: the accent of its label lost, the taxes box beside the items.
MATRICULA_OCR = """ENERGISA MATO GROSSO - DISTRIBUIDORA DE ENERGIA S.A.
CNPJ 03.467.321/0001-99
MATRICULA: 7654321-2025-8-9\tData de Apresentação: 13/08/2025
Utilize o Código:\t0007654321-0
CÓDIGO DO CLIENTE
7/7654321-0\tNOTA FISCAL Nº: 001.234.567 - Série: 002
CÓDIGO DA INSTALAÇÃO
CNPJ/CPF/RANI: 1X.XXX.XXX/XXX1-55
Y9876543210\thttps://www.sefaz.mt.gov.br/nf3e/consulta
REF: MÊS / ANO\tVENCIMENTO\tTOTAL A PAGAR
Agosto / 2025\t20/08/2025\tR$ 150,00\t1502500010035274 - 13/08/2025 15:44:04
Itens da Fatura\tUnid.\tcom tributos\tValor (R$)
PIS\t100,00 0,6757\t0,68
Consumo em kWh\t100,00\t1,000000\t100,00\t5,00\t100,00 17\t17,00\t0,800000
COFINS\t100,00 3,1122\t3,11
Energia Atv Injetada GDII\t40,00\t1,000000\t-40,00
ATUALIZACAO MONETARIA 07/2025\t50,00
MULTA 07/2025\t40,00
TOTAL:\t150,00
Y9876543210\tEnergia ativa em kWh\tPonta\t5000\t5100\t1\t100
"""


def _ocr(text: str) -> PdfText:
    return PdfText((text,), from_ocr=True)


def test_an_ocr_read_of_each_form_chooses_its_layout() -> None:
    assert choose_layout(DISTRIBUTOR, _ocr(DANF3E_OCR)) is DANF3E
    assert choose_layout(DISTRIBUTOR, _ocr(MATRICULA_OCR)) is MATRICULA


def test_the_danf3e_read_by_ocr_takes_its_codes_from_their_labels_and_its_items_from_rows() -> None:
    invoice = extract_from_text(_ocr(DANF3E_OCR))
    assert (invoice.client_number, invoice.installation_number) == ("3/1234567-8", "X1234567890")
    assert (invoice.reference_month, invoice.due_date) == (ReferenceMonth(2025, 3), date(2025, 4, 22))
    assert invoice.total_amount == Decimal("1240.00")
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("Consumo em kWh", Decimal("1100.00")),
        ("Adic. B. Amarela", Decimal("60.00")),
        ("CONT.IL.PUB-CIP MUNICIPAL", Decimal("80.00")),
    ]
    consumption = invoice.items[0]
    assert (consumption.unit, consumption.quantity, consumption.unit_price) == ("kWh", 1000, Decimal("1.100000"))
    assert invoice.energy_kwh == 1000
    assert invoice.public_lighting_amount == Decimal("80.00")
    # The client code is printed again in the automatic-debit code: nothing is left unconfirmed.
    assert invoice.warnings == ()


def test_the_matricula_read_by_ocr_skips_the_taxes_box_and_keeps_the_months_of_its_charges() -> None:
    invoice = extract_from_text(_ocr(MATRICULA_OCR))
    assert (invoice.client_number, invoice.installation_number) == ("7/7654321-0", "Y9876543210")
    assert invoice.reference_month == ReferenceMonth(2025, 8)
    assert [(item.description, item.amount, item.kind) for item in invoice.items] == [
        ("Consumo em kWh", Decimal("100.00"), ItemKind.ENERGY),
        ("Energia Atv Injetada GDII", Decimal("-40.00"), ItemKind.COMPENSATED),
        ("ATUALIZAÇÃO MONETÁRIA 07/2025", Decimal("50.00"), ItemKind.OTHER),
        ("MULTA 07/2025", Decimal("40.00"), ItemKind.OTHER),
    ]
    assert (invoice.energy_kwh, invoice.compensated_kwh) == (Decimal("100.00"), Decimal("40.00"))
    assert invoice.warnings == ()


def test_a_description_outside_the_vocabulary_is_kept_as_read_and_flagged_through_validation() -> None:
    text = DANF3E_OCR.replace("Adic B Amarela", "Adlc B Amarcla")
    invoice = extract_from_text(_ocr(text))
    assert invoice.items[1].description == "Adlc B Amarcla"
    assert invoice.needs_review
    assert any(warning.check == "ocr_unknown_item" and "items" in warning.fields for warning in invoice.warnings)


def test_a_client_code_printed_only_once_is_flagged() -> None:
    text = DANF3E_OCR.replace("UTILIZANDO O CÓDIGO: 00012345678", "")
    invoice = extract_from_text(_ocr(text))
    assert invoice.client_number == "3/1234567-8"
    assert [warning.fields for warning in invoice.warnings if warning.check == "ocr_seen_once"] == [("client_number",)]


def test_descriptions_are_written_as_printed_when_only_punctuation_accents_or_case_were_lost() -> None:
    assert printed_description("Adic B Vermelha") == "Adic. B. Vermelha"
    assert printed_description("CONT IL PUB-CIP MUNICIPAL") == "CONT.IL.PUB-CIP MUNICIPAL"
    assert printed_description("ATUALIZACAO MONETARIA 12/2024") == "ATUALIZAÇÃO MONETÁRIA 12/2024"
    assert printed_description("Energia Atv Injetada GDII mUC 9/2025 mPT") == "Energia Atv Injetada GDII mUC 9/2025 mPT"
    assert printed_description("Adic B Vermelho") is None
    assert printed_description("MULTA 12/20") is None


def test_a_client_code_is_confirmed_by_its_number_and_check_digit_printed_elsewhere() -> None:
    assert client_confirmed("3/1234567-8", "3/1234567-8\nCÓDIGO: 00012345678")
    assert client_confirmed("3/1234567-8", "3/1234567-8\nUtilize o Código: 0001234567-8")
    assert not client_confirmed("3/1234567-8", "3/1234567-8\nCÓDIGO: 00012345679")
    assert not client_confirmed("3/1234567-8", "3/1234567-8 and 3/1234567-8")


def test_without_its_label_the_installation_is_the_code_below_the_client_code() -> None:
    invoice = extract_from_text(_ocr(DANF3E_OCR.replace("CÓDIGO DA INSTALAÇÃO\n", "")))
    assert invoice.installation_number == "X1234567890"
