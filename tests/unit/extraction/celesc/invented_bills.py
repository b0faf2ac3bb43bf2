"""Invented CELESC bills in the shape PDFium prints them (every name and number made up)."""

from __future__ import annotations

from faturas.extraction.numbers import parse_decimal
from faturas.extraction.pdf_text import PdfText
from tests.unit.extraction.celesc.codes import access_key, bank_slip_line, grouped

CELESC_CNPJ = "08.336.783/0001-90"

SERIE_UNICA_ITEMS = """Consumo Tusd
Consumo Tusd
Consumo Te
Consumo Te
Energia Injetada Tusd
Energia Injetada Tusd
Energia Injetada Te
Energia Injetada Te
Juros Conta Anterior 03/2024
Multa Conta Anterior 03/2024
Cosip Municipal
150
1.050
150
1.050
-150
-300
-150
-300
0,400000
0,420000
0,300000
0,320000
0,350000
0,350000
0,300000
0,300000
60,00
441,00
45,00
336,00
-52,50
-105,00
-45,00
-90,00
2,00
3,00
1.020,00
589,50
1.025,00"""

#: 60 + 441 + 45 + 336 - 52.5 - 105 - 45 - 90 = 589.50; 2 + 3 + 1020 = 1025; total 1614.50.
SERIE_UNICA_TOTAL = "1.614,50"


def serie_unica_page1(items: str = SERIE_UNICA_ITEMS, total: str = SERIE_UNICA_TOTAL, subtotal_headers: int = 2) -> str:
    headers = "Subtotal (R$)\nLançamentos e Serviços\nSubtotal (R$)" if subtotal_headers == 2 else "Subtotal (R$)"
    slip = bank_slip_line("0348000000000000000000001", parse_decimal(total))
    return f"""Celesc Distribuicao S.A
CNPJ: {CELESC_CNPJ} Insc.Est.: 000000000
Conta de
Energia Elétrica
EMISSÃO: 10/04/2024 NOTA FISCAL/CONTA DE ENERGIA ELÉTRICA - SÉRIE ÚNICA: 000.111.222.333 - FAT-0 REF.: 04/2024
..............................................................................................
MARIA DAS DORES EXEMPLO
CPF 000.000.000-00
RUA INVENTADA, 1
Classificação: RESIDENCIAL / CONVENCIONAL / BIFASICO
Grupo de Tensão: B Tipo de Tarifa: Convencional
DADOS DA MEDIÇÃO
Equipamento: RG 1234567
Data da leitura anterior: 12/03/2024
Data da leitura atual: 11/04/2024
Data da próxima leitura: 10/05/2024
Número de dias faturados: 30
Leitura atual: 21200
Leitura anterior: 20000
Leitura atual GTP: 5450
Leitura anterior GTP: 5000
Constante de faturamento: 1,00
Consumo medido no mês: 1200
Consumo faturado no mês: 1200
HISTÓRICO DE CONSUMO DE ENERGIA ELÉTRICA - kWh
Mar/2024
1000
Fev/2024
1.100
HISTÓRICO DE CONSUMO DE ENERGIA ELÉTRICA - kWh - GTP
Mar/2024
400
Fev/2024
420
Nº DA UNIDADE
CONSUMIDORA
99887766
VENCIMENTO
02/05/2024
CONSUMO TOTAL FATURADO
1.200 kWh
VALOR ATÉ O VENCIMENTO
R$ {total}
Mensagens:
Saldos em kWh. Saldo Mês no (TP) Todos os Períodos 0, Saldo Acumulado no (TP) Todos os
Períodos 1.250, Saldo a Expirar Próximo Mês no (TP) Todos os Períodos 0.
Dados do Faturamento Faturado Tarifa (R$) Valor (R$)
{headers}
{items}
Composição do Preço em R$ (Art. 31, Res. 166/05):
DISTRIBUICAO
100,00
INFORMAÇÃO DE TRIBUTOS
TRIBUTOS BASE DE CÁLCULO ALÍQUOTA VALOR DO IMPOSTO
ICMS
COFINS
PIS
R$
R$
R$
1.000,00
900,00
900,00
17,00000%
3,00000%
0,60000%
R$
R$
R$
170,00
27,00
5,40
RESERVADO AO FISCO PERÍODO FISCAL: 10/04/2024
{slip}
"""


SERIE_UNICA_PAGE2 = """INFORMAÇÕES AO CONSUMIDOR
MARIA DAS DORES EXEMPLO
ENDEREÇO DE ENTREGA
RUA INVENTADA, 1
REFERÊNCIA: 04/2024
VENCIMENTO: 02/05/2024
"""


def serie_unica(items: str = SERIE_UNICA_ITEMS, total: str = SERIE_UNICA_TOTAL, subtotal_headers: int = 2) -> PdfText:
    return PdfText((serie_unica_page1(items, total, subtotal_headers), SERIE_UNICA_PAGE2))


DANF3E_ITEMS = """(0D) Consumo TE KWH 150,000 0,400000 60,00 1,50 60,00 12,00 7,20 0,300000
(0D) Consumo TE KWH 1.100,000 0,420000 462,00 12,00 462,00 17,00 78,54 0,300000
(0E) Consumo TUSD KWH 150,000 0,300000 45,00 1,10 45,00 12,00 5,40 0,250000
(0E) Consumo TUSD KWH 1.100,000 0,320000 352,00 9,00 352,00 17,00 59,84 0,250000
(2A) Band. Amarela KWH 1.250,000 0,020000 25,00 0,60 25,00 17,00 4,25 0,015000
SUBTOTAL 944,00
(C0) COSIP Municipal 0,000 0,000000 31,00 0,00 0,00 0,00 0,00 0,000000
SUBTOTAL 31,00"""

#: 60 + 462 + 45 + 352 + 25 + 31
DANF3E_TOTAL = "975,00"

DANF3E_KEY = access_key("4224040833678300019066001000123456" + "1" + "12345678")


def danf3e_page1(items: str = DANF3E_ITEMS, total: str = DANF3E_TOTAL, paid: bool = False) -> str:
    slip = bank_slip_line("0348000000000000000000002", parse_decimal(total))
    slip_labels = "Unidade Consumidora\n0077665544\nReferência\n04/2024\nVencimento\n10/05/2024"
    boleto = "Total a Pagar (R$)\n0,00\nCONTA PAGA" if paid else f"Total a Pagar (R$)\n77665544\n{total}\n237-2 {slip}"
    return f"""RESIDENCIAL - RESIDENCIAL - B1 Residencial - TRIFÁSICO
77665544
Cliente: 11223344
04/2024 10/05/2024 R$ {total}
NOME: JOSÉ INVENTADO DA
SILVA
CPF/CNPJ: ***.000.000-**
ENDERECO:
CEP: 88000-000 CIDADE: CIDADE INVENTADA SC Grupo/Subgrupo Tensão:B/B1
14/03/2024 12/04/2024 29 13/05/2024
NOTA FISCAL Nº 000123456 SERIE:001 DATA EMISSAO: 12/04/2024
PIS 900,00 0,60 5,40
COFINS 900,00 3,00 27,00
ICMS 105,00 12,00 12,60
ICMS 839,00 17,00 142,63
{items}
Iluminação pública: Cidade Inventada - 0800 000-0000
Chave de Acesso:
{grouped(DANF3E_KEY)}
Protocolo de Autorização: 3.000.000.000.000.000 - 12/04/2024 às 21:00
Amarela R$ 0,01885 29
TOTAL {total}
Consumo Faturado Dias Faturados
MAR/24
FEV/24
1.010
980
30
31
JAN/24 0 33
Lida
7654321 Energia Único 10.000 11.250 1,00000 0,00 1.250
LEGENDA:
Beneficiário: Celesc Distribuição SA - CNPJ 08336783/0001-90
{"" if paid else slip_labels}
Código para Cadastro
em Débito Automático:
{boleto}
"""


def danf3e(items: str = DANF3E_ITEMS, total: str = DANF3E_TOTAL, paid: bool = False) -> PdfText:
    return PdfText((danf3e_page1(items, total, paid), " \nSEGUNDA VIA"))
