"""Invented CEMIG bills in the shape PDFium prints them (every name and number made up)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from faturas.extraction.pdf_text import PdfText
from faturas.synthetic.identifiers import format_payment_line, nf3e_access_key, payment_line_of, utility_barcode

DANF3E_TOTAL = Decimal("2345.67")
DANF3E_KEY = nf3e_access_key(date(2024, 12, 28), "0", "123456789", "87654321")
DANF3E_BARCODE = utility_barcode(DANF3E_TOTAL, "1122334455667788990012345")
DANF3E_PAYMENT_LINE = payment_line_of(DANF3E_BARCODE)

#: Items with thousands separators, a negative extra item, an unseen fee and the tax columns filled.
DANF3E_ITEMS = """Energia Elétrica kWh 1.500 1,01000000 1.515,00 20,00 1.515,00 18,00 272,70 0,80000000
Energia SCEE s/ ICMS kWh 1.200 0,60000000 720,00 9,00 0,00 0,00 0,00 0,55000000
Energia compensada GD I kWh 1.200 0,55000000 -660,00 0,00 0,00 0,00 0,00 0,55000000
Energia comp. adicional kWh 10 0,80000000 -8,00 0,00 0,00 0,00 0,00 0,80000000
Contrib Ilum Publica Municipal 61,12
Taxa de Religação 2ª via 30,55
Ressarcimento de Danos -13,00
Multa 2% sobre conta de 11/2024 700,00
TOTAL 2.345,67 29,00 1.515,00 272,70
Bandeira Amarela - Já Incluído no valor a pagar 12,34"""


def _pdfium_shape(text: str) -> PdfText:
    """PDFium ends most rows with a space after the last cell; every line gets one here."""
    return PdfText(pages=("\n".join(f"{line} " for line in text.split("\n")),))


def _history(first_year: int, first_month: int) -> str:
    names = ("JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ")
    rows = []
    year, month = first_year, first_month
    for index in range(13):
        rows.append(f"{names[month - 1]}/{year % 100:02d} {1000 + index} {33 + index},33 30")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return "\n".join(rows)


def danf3e(items: str = DANF3E_ITEMS, series_line: str = "NOTA FISCAL Nº 123456789 - SÉRIE 000") -> PdfText:
    text = f"""Valores Faturados
Itens da Fatura Unid. Quant. Preço Unit Valor (R$) PIS/COFINS Base Calc. Aliq. ICMS Tarifa Unit.
ICMS ICMS
{items}
Histórico de Consumo
MÊS/ANO Cons. kWh Média kWh/Dia Dias
{_history(2024, 12)}
Reservado ao Fisco
Base de cálculo (R$) Alíquota (%) Valor (R$)
ICMS 1.515,00 18,00 272,70
PASEP 1.400,00 0,65 9,10
COFINS 1.400,00 3,00 42,00
Fale com CEMIG: 116 - CEMIG Torpedo 29810 - Ouvidoria CEMIG: 0800 000 0000
Código de Débito Automático Instalação Vencimento Total a pagar
008999888777 3999888777 10/01/2025 R$2.345,67
Dezembro/2024 {format_payment_line(DANF3E_PAYMENT_LINE)}
MARIA INVENTADA DE TESTE 12345678
RUA DAS FLORES 100 AP 2
JARDIM IMAGINARIO
30000-000 CIDADE FICTICIA, MG
CPF 000.0**.***-**
 Nº DO CLIENTE Nº DA INSTALAÇÃO
 7999888777 3999888777
 Referente a Vencimento Valor a pagar (R$)
 DEZ/2024 10/01/2025 2.345,67
{series_line}
Data de emissão: 28/12/2024
Consulte pela chave de acesso em:
http://www.sped.fazenda.mg.gov.br/spedmg/nf3e
chave de acesso:
{DANF3E_KEY}
Protocolo de autorização: 1312400000000000
Classe Subclasse Modalidade Tarifária Datas de Leitura
Comercial Outros serviços Convencional B3 Anterior Atual Nº de dias Próxima
Trifásico e outras atividades 27/11 27/12 30 28/01
Informações Técnicas
Tipo de Medição Medição Leitura Leitura Constante Consumo kWh
Anterior Atual de Multiplicação
Energia kWh XYZ123456789 10.000 11.500 1 1.500
Energia Injetada kWh XYZ123456789 2.000 2.100 1 100
DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA SEGUNDA VIA
CEMIG DISTRIBUIÇÃO S.A. CNPJ 06.981.180/0001-16 / INSC. ESTADUAL 062.322136.0087.
Informações Gerais
SALDO ATUAL DE
GERAÇÃO: 1.234,56 kWh. Tarifa vigente conforme resolução. NOV/24 Band. Amarela - DEZ/24 Band. Verm.
P2.
"""
    return _pdfium_shape(text)


SECOND_COPY_ITEMS = """Custo de Disponibilidade 150,00
En comp. kWh ISENTA 1.100 0,70000000 770,00
Energia injetada kWh HFP 1.100 0,70000000 -770,00
Encargos/Cobranças
Contrib Ilum Publica Municipal 45,00
Juros Moratórios 1,23"""


def second_copy(items: str = SECOND_COPY_ITEMS, headline: str = "FEV/2022 15/03/2022 196,23") -> PdfText:
    text = f"""Valores Faturados
Descrição Quantidade Tarifa/Preço (R$) Valor (R$)
{items}
Tarifas Aplicadas (sem impostos)
Energia Elétrica kWh 0,70000000
Adicional Bandeiras - Já incluído no Valor a Pagar
Bandeira Escassez Hídrica 9,99
Histórico de Consumo
MÊS/ANO CONSUMO kWh MÉDIA kWh/Dia Dias
{_history(2022, 2)}
Reservado ao Fisco
Base de cálculo (R$) Alíquota (%) Valor (R$)
ICMS - - -
PASEP - - -
COFINS - - -
Ouvidoria CEMIG: 0800 000 0000 - Agência Nacional de Energia Elétrica - ANEEL
Código de Débito Automático Instalação Vencimento Total a pagar
008111222333 3111222333 15/03/2022 R$196,23
JOAO FICTICIO DA SILVA
AVENIDA INVENTADA 55
BAIRRO NENHUM
31000-000 OUTRA CIDADE, MG
CPF 000.000.000-00
Nº DO CLIENTE Nº DA INSTALAÇÃO
7111222333 3111222333
Referente a Vencimento Valor a pagar (R$)
 {headline}
2ª VIA - CONTA DE ENERGIA ELÉTRICA
Classe Subclasse Modalidade Tarifária Datas de Leitura Data de Emissão
Residencial Residencial Convencional B1 Anterior Atual Próxima 20/02/2022
Bifásico 20/01 18/02 21/03
Informações Técnicas
Tipo de Medição Medição Leitura Anterior Leitura Atual Constante de Multiplicação Consumo kWh
Energia kWh ABC000111222 5.000 6.100 1 1.100
Informações Gerais
SALDO ATUAL DE GERAÇÃO: 10,00 kWh.
JAN/2022 Band. Esc. Hídrica - FEV/2022 Band. Esc. Hídrica
"""
    return _pdfium_shape(text)


def serie_u_2019() -> PdfText:
    text = f"""Classe Subclasse
Datas de Leitura
Nº DA INSTALAÇÃO
Referente a
Nº DO CLIENTE
Informações Técnicas
Informações Gerais Valores Faturados
Ouvidoria CEMIG: 0800 000 0000 - Agência Nacional de Energia Elétrica - ANEEL
Histórico do Consumo
Tipo de Medição Leitura Anterior Leitura Atual Constante de Multiplicação Consumo kWh
Descrição Quantidade Preço Valor (R$)
Vencimento Valor a pagar (R$)
ANA DE EXEMPLO
RUA SEM SAIDA 10 CS
CENTRO
36000-000 LUGAR NENHUM, MG
CPF 000.000.000-00
7222333444 3222333444
DEZ/2019 20/01/2020 1.229,30
NOTA FISCAL - CONTA DE ENERGIA ELÉTRICA - SÉRIE U Nº011122233 - PTA Nº00.000000000.00
 Rural Agropecuária Convencional B2 20/11 19/12 20/01 21/12/2019 Trifásico
 Energia kWh ABC999888777 10.000 11.000 1 1.000

OUT/2019 Band. Amarela - NOV/2019 Band. Verm. P1

{_history(2019, 12)}

Energia Elétrica kWh 1.000 1,20000000 1.200,00
 Encargos / Cobranças
Contrib Ilum Publica Municipal 29,30
 Tarifas aplicadas (sem impostos)
Energia Elétrica kWh 0,80000000
 Adicional Bandeiras - Já incluído no Valor a Pagar
Bandeira Amarela 1,56
ICMS 1.200,00 30,00 360,00
PASEP 840,00 0,72 6,05
COFINS 840,00 3,31 27,80
000011122233 3222333444 20/01/2020 R$ 1.229,30
"""
    return _pdfium_shape(text)
