"""Invented COPEL "SÉRIE B" bills in the shape PDFium prints them (every name and number made up).

The item table comes out one column at a time: the descriptions of the rows with ICMS columns, one
"kWh" per metered row, the numbers, then the descriptions of the rows without ICMS columns.
"""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.pdf_text import PdfText
from tests.unit.extraction.copel.payment_lines import utility_payment_line

TOTAL = Decimal("1223.00")

#: A beneficiary unit: consumption split TE/TUSD, energy billed under compensation, a flag surcharge,
#: then public lighting, the compensation credit (quantity, no tariff) and an adjustment above R$ 1.000.
ITEM_TABLE = """ENERGIA ELET CONSUMO
ENERGIA ELET USO SISTEMA
ENERGIA TRIBUT DIFERENCIADA TE
ENERG TRIBUT DIFERENCIADA TUSD
ENERGIA CON B ESCASSEZ HID
kWh
kWh
kWh
kWh
kWh
kWh
150
150
1.200
1.200
1.200
0,500000
0,400000
0,300000
0,250000
75,00
60,00
360,00
300,00
12,50
25,30
-660,00
1.050,20
75,00
60,00
0,00
0,00
12,50
19,00%
19,00%
0,00%
0,00%
19,00%
CONT ILUMIN PUBLICA MUNICIPIO
COMP CONS MICRO/MINI GERACAO
AJUSTE CONSU ANTERIOR 001/003"""

#: A minimum-charge bill whose first row PDFium prints whole ("100 0,519900 51,99").
MINIMUM_CHARGE_TABLE = """CUSTO DISP SISTEMA
SUBSIDIO TARIFARIO
ENERGIA CONS B ESCASSEZ HID
kWh
kWh
100 0,520000 52,00
8,00
16,00
-7,00
0,00
0,00
0,00
0,00%
0,00%
0,00%
SUBSIDIO TARIFARIO LIQUIDO"""

HISTORY = "\n".join(
    [
        *(f"{month:02d}/2023" for month in range(12, 0, -1)),
        *(str(1000 + month) for month in range(12)),
        *(f"15/{month:02d}/2023" for month in range(12, 0, -1)),
        *(f"{500 + month},00" for month in range(12)),
    ]
)


def serie_b(
    items: str = ITEM_TABLE,
    total: Decimal = TOTAL,
    watermark: bool = True,
    balance: str = "Saldo\nMês no (TP) Todos os Períodos 0, Saldo Acumulado no (TP) Todos os Períodos\n2.345,",
) -> PdfText:
    """An invented bill for January 2024 of unit 55667788 (no name nor CNPJ of COPEL in the text)."""
    printed_total = f"{total:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    payment_line = utility_payment_line(total, "01110009001010202412345678901")
    watermark_lines = "Segunda Via\nSegunda Via\nSegunda Via\n" if watermark else ""
    page = f"""{watermark_lines}MARIA EXEMPLO DA SILVA
RUA DAS ACACIAS, 100
CENTRO - CIDADE FICTICIA - PR - CEP: 80000-000
CPF 000.111.222-33
Janeiro/2024 55667788
10/02/2024 R$ {printed_total}
FAT-01-20241234567890-12
Responsabilidade da Manutenção de Ilumina Pública: Municipio 45 11112222
N° Medidor:
Residencial/Residencial Urbano
MD 0099887766 - BIFASICO
Leitura Anterior Leitura Atual Medido Constante de Total Faturado Consumo Data de Emissão Próxima Leitura
Multiplicação Médio Diário Prevista
28/12/2023 29/01/2024 32 dias
5000 6350 1350 kWh 1 150 kWh 42,19 kWh 30/01/2024 28/02/2024
Mês kWh Dt.Pgto. Valor
{HISTORY}
Tarifas
ENERGIA ELET CONSUMO 0,500000
Tensão Contratada: 127/220 volts
Limite AdequadoTensão: 117 a 133/202 a 231 volts
NOTA FISCAL/CONTA DE ENERGIA ELÉTRICA N° 123.456.789 - SÉRIE B
Emitida em 30/01/2024
Produto Valor Valor Base Aliq.
Descrição Un. Consumo Unitário Total Cálc. ICMS
{items}
Base de Cálculo do ICMS
147,50
Valor ICMS
28,03
Valor Total da Nota Fiscal
{printed_total}
Reservado ao Fisco
AAAA.BBBB.CCCC.DDDD.EEEE.FFFF.0000.1111
UC pertencente ao sistema de compensação conforme REN ANEEL 482/2012.
Demonstrativo de saldos desta unidade consumidora, em kWh - REN 482/2012. {balance}
Saldo a Expirar Próximo Mês no (TP) Todos os Períodos 0.
INCLUSO NA FATURA PIS R$1,10 E COFINS R$5,05 CONFORME RES. ANEEL 130/2005.
A PARTIR DE 01/01/2024 - PIS/PASEP 0,90% e COFINS 4,10%.
Periodos Band.Tarif.: Verde:29/12-15/01 Amarela:16/01-29/01
Unidade Consumidora
55667788
Mês
01/2024
Vencimento
10/02/2024
Valor a Pagar
{printed_total}
{payment_line}
PAGUE COM PIX"""
    return PdfText((page, "MARIA EXEMPLO DA SILVA\nRua das Acacias, 100\nCEP: 80000-000 - Cidade Ficticia - PR"))
