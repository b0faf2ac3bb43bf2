"""The groups read from images: detection tells sister concessions apart; each form's header and items.

Invented bills in the shape OCR gives them (rows of a phone screenshot, labels garbled where OCR
garbles them); every name, code and amount here is made up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import UnsupportedLayout
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.extract import extract_from_image_text, extract_from_text
from faturas.extraction.image.detect import detect_image_distributor
from faturas.extraction.pdf_text import PdfText

EQUATORIAL_AL = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
equatorial. CNPJ: 12.272.084/0001-00 Equatorial Alagoas Distribuidora de Energia S.A.
FULANO DE TAL CPF: ***.000.00*-** INSTALAÇÃO: 2000000011
ContaMês vencimento TotalaPagar Protocolo de autorização: 1234
01/2026 21/01/2026 R$ 141,50
Itens de Fatura Quant. Preço Unit(R$) Tarifa PIS/ ICMS Valor(R$)
com Tributos Unit(R$) COFINS(R$) R$ ICMS 100,00 19,0000 19,00
Consumo (kWh) 100 1,000000 0,800000 5,00 19,00 100,00 PIS 100,00 1,1000 1,10
Adicional Bandeira 0,07 0,29 1,50 COFINS 100,00 5,0000 5,00
ITENS FINANCEIROS
Cip-Ilum Pub Pref Munic 40,00
REAVISO DE VENCIMENTO
Nome do Cliente: C.c: Unidade de Leitura: Competência: Vencimento: Valor cobrado (R$):
FULANO DE TAL 3000000001 AB12CD34 01/2026 141,50
"""

CEEE = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
CEEE equatorial COMPANHIA ESTADUAL DE DISTRIBUIÇÃO DE ENERGIA ELÉTRICA GRUPO EQUATORIAL
CNPJ: 08.467.115/0001-00
Conta mês Vencimento Total a pagar
10/2025 20/12/2025 R$40,00
Itens de fatura Unid. Quant. Preço unit (R$) Valor (R$)
CONSUMO TUSD kWh 50 0,500000 25,00 1,00 25,00 12% 3,00 0,400000
MULTA CONTA ANTERIOR 15,00
TOTAL 40,00
"""

NEOENERGIA_PE = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA Neoenergia
COMPANHIA ENERGÉTICA DE PERNAMBUCO CNPJ 10.835.932/0001-08
NOME DO CLIENTE: FULANO DE TAL CÓDIGO DA INSTALAÇÃO 1234567
REF:MES/ANO TOTAL A PAGAR R$ VENCIMENTO
ITENS DA FATURA PREÇO UNIT VALOR PIS/ BASE CALC ICMS (R$) TARIFA
Consumo-TUSD kWh 100,00 0,60000000 60,00 2,00 60,00 20,50 12,30 0,48000000
Ilum. Púb. Municipal 8,00
TOTAL DA FATURA 68,00
09/2025 CÓDIGO DO CLIENTE 7000000001 VENCIMENTO 16/09/2025 TOTAL A PAGAR R$ 68,00
"""


def _read(text: str) -> PdfText:
    return PdfText((text,))


@pytest.mark.parametrize(
    ("text", "group"),
    [
        (EQUATORIAL_AL, "EQUATORIAL"),
        (CEEE, "CEEE"),
        (NEOENERGIA_PE, "NEOENERGIA"),
        (NEOENERGIA_PE.replace("COMPANHIA ENERGÉTICA DE PERNAMBUCO CNPJ 10.835.932/0001-08", "Cosern"), "COSERN"),
        (NEOENERGIA_PE.replace("COMPANHIA ENERGÉTICA DE PERNAMBUCO CNPJ 10.835.932/0001-08", "Elektro"), "ELEKTRO"),
        ("Conta de energia CPFL Piratininga cpfl.com.br Ref: mês/ano", "CPFL"),
        ("Conta de energia RGE boleto contadigital.cpfl.com.br CPFL Ref: mês/ano", "RGE"),
    ],
)
def test_sister_concessions_are_told_apart(text: str, group: str) -> None:
    assert detect_image_distributor(_read(text), DISTRIBUTORS).name == group


def test_equatorial_reads_the_conta_contrato_the_installation_the_headline_and_items() -> None:
    invoice = extract_from_image_text(_read(EQUATORIAL_AL))
    assert (invoice.distributor, invoice.layout) == ("EQUATORIAL", "equatorial.danf3e")
    assert (invoice.client_number, invoice.installation_number) == ("3000000001", "2000000011")
    assert invoice.reference_month == ReferenceMonth(2026, 1)
    assert (invoice.due_date, invoice.total_amount) == (date(2026, 1, 21), Decimal("141.50"))
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("Consumo (kWh)", Decimal("100.00")),
        ("Adicional Bandeira", Decimal("1.50")),
        ("Cip-Ilum Pub Pref Munic", Decimal("40.00")),
    ]
    assert invoice.energy_kwh == Decimal(100)
    assert invoice.public_lighting_amount == Decimal("40.00")
    assert invoice.warnings == ()  # the items add up; no payment line is printed in this text


def test_ceee_reads_the_equatorial_form_under_its_own_name() -> None:
    invoice = extract_from_image_text(_read(CEEE))
    assert (invoice.distributor, invoice.layout) == ("CEEE", "ceee.danf3e")
    assert (invoice.reference_month, invoice.due_date) == (ReferenceMonth(2025, 10), date(2025, 12, 20))
    assert [(item.description, item.quantity, item.amount) for item in invoice.items] == [
        ("CONSUMO TUSD", Decimal(50), Decimal("25.00")),
        ("MULTA CONTA ANTERIOR", None, Decimal("15.00")),
    ]


def test_neoenergia_reads_its_stub_when_the_headline_row_is_lost() -> None:
    invoice = extract_from_image_text(_read(NEOENERGIA_PE))
    assert (invoice.client_number, invoice.installation_number) == ("7000000001", "1234567")
    assert (invoice.reference_month, invoice.due_date) == (ReferenceMonth(2025, 9), date(2025, 9, 16))
    assert invoice.total_amount == Decimal("68.00")
    assert sum(item.amount for item in invoice.items) == invoice.total_amount


def test_elektro_puts_the_stub_code_in_the_installation() -> None:
    text = NEOENERGIA_PE.replace("COMPANHIA ENERGÉTICA DE PERNAMBUCO CNPJ 10.835.932/0001-08", "Elektro Redes S.A.")
    invoice = extract_from_image_text(_read(text.replace("CÓDIGO DA INSTALAÇÃO 1234567", "")))
    assert (invoice.distributor, invoice.installation_number, invoice.client_number) == ("ELEKTRO", "7000000001", None)


def test_a_text_layer_bill_of_an_image_only_group_is_refused_not_read_by_image_templates() -> None:
    with pytest.raises(UnsupportedLayout):
        extract_from_text(_read(EQUATORIAL_AL))


def test_a_cnpj_that_lost_its_first_digits_still_names_the_distributor_but_never_confirms_it() -> None:
    # "09.095.183/0001-40" (Energisa Paraíba) read without its first two digits, the name garbled.
    text = "DANF3E ENERGIA ELETRICA EPERGISA PARADA 095.183/0001-40\nREF: MES / ANO VENCIMENTO TOTAL A PAGAR\n"
    assert detect_image_distributor(_read(text), DISTRIBUTORS).name == "ENERGISA"


def test_month_abbreviations_are_read_in_any_case() -> None:
    invoice = extract_from_image_text(_read(CEEE.replace("10/2025 20/12/2025", "Out /2025 20/12/2025")))
    assert invoice.reference_month == ReferenceMonth(2025, 10)


EDP_SP = """\
EDP SAO PAULO DISTRIBUICAO DE ENERGIA S.A. CNPJ 02.302.100/0001-06
FULANO DE TAL Nº da instalação VENCIMENTO Total a Pagar
RUA INVENTADA 1 00000-000 CIDADE - SP 0100000001 18/09/2025 R$ 50,00
Protocolo de autorização: 1234 05/09/2025 às 22:31:00
"""


def test_edp_reads_its_stub_and_never_takes_a_timestamp_for_the_due_date() -> None:
    invoice = extract_from_image_text(_read(EDP_SP))
    assert (invoice.distributor, invoice.installation_number) == ("EDP", "0100000001")
    assert (invoice.due_date, invoice.total_amount) == (date(2025, 9, 18), Decimal("50.00"))
    without_stub = extract_from_image_text(_read(EDP_SP.replace("0100000001 18/09/2025 R$ 50,00", "R$ 50,00")))
    assert without_stub.due_date is None  # the only other date is the protocol's timestamp


EDP_ES = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
EDP ES DISTRIB DE ENERGIA SA CNPJ 28152650000171
FULANO DE TAL CÓDIGO DA INSTALAÇAR 05/08/2025 04/09/2025 30
RUA INVENTADA 1 0000000001
CÓDIGO DO CLIENTE
0400000002
REF: MES /ANO VENCIMENTO TOTAL A PAGAR
SET/2025 18/09/2025 62,00
Detalhes do faturamento
CCI Descrição Unid Quantidade Preço Unit (R$) Valor Total R$ PIS/COFINS
0605TUSD - Consumo kWh 100,0000 0,50000000 50,00 2,00 50,00 17,000 8,50 0,40000000
Adicional Bandeira Vermelha 2 kWh 100,0000 0,10000000 10,00 0,50 10,00 17,000 1,70 0,08000000
0805 Multa Ref.: Ago/25 2,00 0,00000000
TOTAL 62,00 2,50 60,00 10,20
"""


def test_edp_reads_an_installation_label_whose_last_letters_ocr_turned_and_items_after_their_code() -> None:
    invoice = extract_from_image_text(_read(EDP_ES))
    assert (invoice.installation_number, invoice.client_number) == ("0000000001", "0400000002")
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("TUSD - Consumo", Decimal("50.00")),
        ("Adicional Bandeira Vermelha 2", Decimal("10.00")),
        ("Multa Ref.: Ago/25", Decimal("2.00")),
    ]
    assert invoice.energy_kwh == Decimal("100.0000")


def test_edp_sao_paulo_reads_the_client_code_of_its_client_box() -> None:
    text = EDP_SP.replace("RUA INVENTADA 1 00000-000 CIDADE - SP", "COD. IDENT. 0300000003 CIDADE - SP")
    assert extract_from_image_text(_read(text)).client_number == "0300000003"


RGE = """\
RGE SUL DISTRIBUIDORA DE ENERGIA S.A. CNPJ 02.016.440/0001-62
Código da Instalação 3000000009
Ref: mês/ano Vencimento Total a pagar
JAN/2026 19/01/2026 R$ 140,50
Descrição 900000000001 da o Unid. Med. Quant. Tarifa ANEEL Tarifa com tributos Valor
Consumo Uso Sistema [KWN-TUSO JAN/26 ava 100,0000 0,50000000 0,60000000 60,00 60,00
Consumo - TE JAN/26 kV 100,0000 0,30000000 0,40000000 40,00 40,00
Adicional de Bandeira Amarela JAN/26 kV 5,50 5,50
Tot Dssbudora 105,50
DÉBITOS DE OUTROS SERVIÇOS
Contribuição Custeio IP-CIP JAN/26 35,00
Total consolidado 140,50
"""


def test_rge_reads_the_lighting_after_the_distributors_subtotal_which_is_not_an_item() -> None:
    invoice = extract_from_image_text(_read(RGE))
    assert invoice.distributor == "RGE"
    assert [(item.description, item.unit, item.quantity, item.amount) for item in invoice.items] == [
        ("Consumo Uso Sistema [KWh]-TUSD JAN/26", "kWh", Decimal(100), Decimal("60.00")),
        ("Consumo - TE JAN/26", "kWh", Decimal(100), Decimal("40.00")),
        ("Adicional de Bandeira Amarela JAN/26", "kWh", None, Decimal("5.50")),
        ("Contribuição Custeio IP-CIP JAN/26", None, None, Decimal("35.00")),
    ]
    assert sum(item.amount for item in invoice.items) == invoice.total_amount


LIGHT = """\
LIGHT SERVICOS DE ELETRICIDADE S.A. CNPJ 60.444.437/0001-46
FULANO DE TAL CODIGO DA INSTALACAO 0400000001
REF: MES/ANO VENCIMENTO TOTAL A PAGAR
MAI/2025 13/06/2025 R$ 130,00
Itens de fatura Unid. Quant. Preco unit com tributos Valor
Energia Elétrica k h kWh 100 1,20000 120,00 PIS/PASEP 110,00 0,89% 0,98
Contrib llum Pública Municipal 10,00
Adicional Bandeiras - Já incluído no Valor a Pagar
Bandeira Amarela 4,50
TOTAL 1,00 5,00
CODIGO DO CLIENTE 20000001
"""


def test_light_puts_a_garbled_description_back_and_stops_at_the_flags_notice() -> None:
    invoice = extract_from_image_text(_read(LIGHT))
    assert [(item.description, item.unit, item.quantity, item.amount) for item in invoice.items] == [
        ("Energia Elétrica kWh", "kWh", Decimal(100), Decimal("120.00")),
        ("Contrib Ilum Pública Municipal", None, None, Decimal("10.00")),
    ]
