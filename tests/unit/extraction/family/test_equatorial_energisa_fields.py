"""Equatorial and Energisa forms read from images: a total read from the bank slip when the header's
figures are garbled, the meter table kept out of the items, a client code OCR split at spaces.

Invented bills in the shape OCR gives them; every name, code and amount here is made up.
"""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.extract import extract_from_image_text
from faturas.extraction.ocr.normalise import normalise_ocr_text
from faturas.extraction.pdf_text import PdfText

#: The coloured box's figures garbled past reading; the slip prints the amount under its label; the
#: meter table's header lost "Medidor" as its first word.
EQUATORIAL = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
Equatorial Maranhão Distribuidora de Energia S.A. CNPJ: 06.272.793/0001-84
CPF: INSTALAÇÃO: ***.000.00"-** 2000000011 Parceiro de Negócio
301 3000000001 0000001
— rizods ContaMês "vencimento ouranoos nszo6ã TotalaPagar [JMR a mid RR Protocolo ce autorização: 3000000000000001 -
INFORMAÇÕES PARA O CLIENTE
A tarifa na sua conta de luz agora é zero para consumo até 80kWh, conforme a medida publicada pelo Governo.
Itens de Fatura Quant. Preço Unit.(R$) Tarifa PIS/ ICMS Valor(R$)
Consumo (kWh) 100 1,000000 0,800000 5,00 19,00 100,00 PIS 100,00 1,1000 1,10
Benefício Tarifário Líquido 20.,00- S| MAR/25
Cip-llum Pub Pref Munic 40,00
CI ESSEIAGIES Anterior Medidor
17000000001 Energia Injotada ATIVO TOTAL 1,00 400 kWh
USO DO BANCO CARTEIRA ESPÉCIE MOEDA QUANTIDADE VALOR (=) VALOR DOCUMENTO
INFORMAÇÕES DE RESPONSABIL 17 BENEFICIÁRIO RS ED 120,00 AA
"""

ENERGISA = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
ENERGISA SERGIPE-DISTRIB ENERGIA SA CNPJ 13.017.462/0001-63
FULANO DE TAL CÓDIGO DO CLIENTE
RUA INVENTADA 1 - BAIRRO 3/1 2 345 67 -8
CÓDIGO DA INSTALAÇÃO
W1000000001
REF: MÊS / ANO VENCIMENTO TOTAL A PAGAR
Jul / 2025 06/08/2025 R$ 50,00
ITENS DA FATURA Unid. Quant Preço unit Valor
CONTRIB ILUM PUBLICA 50,00 0,00 000
TOTAL: 50,00
"""


def _read(text: str) -> PdfText:
    # As the image pipeline gives it to the templates: OCR's confusions undone ("20.,00-").
    return PdfText((normalise_ocr_text(text),), from_ocr=True)


def test_equatorial_reads_the_total_from_the_bank_slip_and_stops_the_items_at_the_meter_table() -> None:
    invoice = extract_from_image_text(_read(EQUATORIAL))
    assert invoice.total_amount == Decimal("120.00")
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("Consumo (kWh)", Decimal("100.00")),
        ("Benefício Tarifário Líquido", Decimal("-20.00")),
        ("Cip-Ilum Pub Pref Munic", Decimal("40.00")),
    ]
    assert not any(warning.check == "items_sum" for warning in invoice.warnings)


def test_energisa_joins_a_client_code_split_at_spaces_into_its_printed_shape() -> None:
    assert extract_from_image_text(_read(ENERGISA)).client_number == "3/1234567-8"


def test_energisa_leaves_a_split_client_code_without_its_check_digit_unread() -> None:
    unread = ENERGISA.replace("3/1 2 345 67 -8", "3/1 2 345 67 -/")
    assert extract_from_image_text(_read(unread)).client_number is None
