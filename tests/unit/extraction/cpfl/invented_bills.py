"""Invented CPFL "Série C" bills in the shape PDFium prints them (every name and number made up).

The identity boxes come out at the end of the text, after the holder's CPF: the PN, the
installation, the PN again, then the holder's name and address.
"""

from __future__ import annotations

from faturas.extraction.pdf_text import PdfText

#: Consumption split TUSD/TE, credits injected by another unit split by source month with a trailing
#: minus, informational "CDE Escassez Hídrica" lines and a public lighting contribution. PDFium ends some
#: rows with a space, written "·" here.
ITEMS = """0605 Energia Ativa Fornecida - TUSD DEZ/23 1.500,000 kWh 0,50000000 750,00 750,00 18,00 135,00 615,00 \
4,80 22,20·
0601 Energia Ativa Fornecida - TE 1.500,000 kWh 0,40000000 600,00 600,00 18,00 108,00 492,00 3,90 18,00·
0605 Energ Atv Inj. oUC mPT - TUSD SET/23 1.000,000 kWh 0,40000000 400,00- 400,00- 3,20- 14,60-
0605 Energ Atv Inj. oUC mPT - TUSD OUT/23 200,000 kWh 0,40000000 80,00- 80,00- 0,64- 2,92-
0601 Energ Atv Inj. oUC mPT - TE SET/23 1.000,000 kWh 0,40000000 400,00- 400,00- 18,00 72,00- 328,00- 2,60- 12,00-
0601 Energ Atv Inj. oUC mPT - TE OUT/23 200,000 kWh 0,40000000 80,00- 80,00- 18,00 14,40- 65,60- 0,52- 2,40-
Total Distribuidora 390,00·
DÉBITOS DE OUTROS SERVIÇOS
0807 Contrib. Custeio IP-CIP Municipal DEZ/23 12,34·
Informação CDE Escassez Hídrica
CDE Escassez Hídrica - TUSD 9,99·
CDE Escassez Hídrica - TE 8,88·
·
·
Total Consolidado 402,34 870,00 156,60 233,40 1,74 8,28·""".replace("·", " ")

HISTORY = """2023 DEZ llllllllllllllllllllllllllllllllllllll 1500 31
 NOV lllllllllllllllllllllllllllllllll 1320 30
 OUT llllllllllllllllllllllllllllllllllll 1410 31
 SET lllllllllllllllllllllllllllll 1200 30
 AGO llllllllllllllllllllllllllllllll 1290 31
 JUL llllllllllllllllllllllllllllllllll 1350 31
 JUN lllllllllllllllllllllllllllll 1180 30
 MAI llllllllllllllllllllllllllllll 1220 31
 ABR lllllllllllllllllllllllllllllll 1250 30
 MAR lllllllllllllllllllllllllllllllllll 1400 31
 FEV llllllllllllllllllllllllllllll 1210 28
 JAN lllllllllllllllllllllllllllllllll 1330 31
2022 DEZ llllllllllllllllllllllllllllllllllll 1440 31"""


def serie_c(items: str = ITEMS, debit_code: bool = True, holder_document: str = "CPF: 000.111.222-33") -> PdfText:
    """An invented bill for December 2023 of installation 40506070, PN 700800900."""
    debit = "5550001112\n" if debit_code else ""
    page = f"""Nota Fiscal·
Conta de Energia Elétrica
Data de Emissão: 02/01/2024
Data de Apresentação: 05/01/2024
Pág: 01 de 01
Leitura Próximo Mês: 01/02/2024
Lote Roteiro de leitura N°. Medidor PN
07
Reservado ao Fisco
Cuidado com golpes! Confira se você está no site oficial da CPFL: www.cpfl.com.br.
CLASSIFICAÇÃO: Convencional B1 Residencial - Monofásico 127 V
0800 010 1010
www.cpfl.com.br
INSTALAÇÃO DEZ/2023 20/01/2024 402,34
Cod.
115
Descrição da Operação
N° 123456789012
Mês
Ref.
Quant.
Faturada
Unid.
Med.
Tarifa com
Tributos R$
Valor Total
da Operação
R$
Base Cálculo
ICMS R$
Aliq.
ICMS
ICMS Base Cálculo
PIS/COFINS
PIS
0,75%
COFINS
3,55%
{items}
Bandeiras
Tarifárias
(Dias)
Verde
10 Dias
Amarela
21 Dias
·
{HISTORY}
Consumo TUSD TE
Consumo kWh 0,41000000 0,33000000
·
Nº Energia Leitura Leitura Fator ConsumoTaxa de Perda Leitura
 31/12/2023 30/11/2023 Multipl. [kWh] [%] Próximo Mês
Ativa 21500 20000 1,00 1.500 01/02/2024
Para consulta dos indicadores acesse nosso site www.cpfl.com.br
Saldo em Energia da Instalação: Convencional 1.234,5678000000 kWh
Saldo a expirar próximo mês: 0,0000000000 kWh
CódDébAut-Banco Nota Fiscal
Conta de Energia Elétrica
Total a Pagar (R$)
 402,34
Data de Vencimento
20/01/2024
Autenticação Mecânica
·
 Pague aqui - PIX
{holder_document}
700800900
40506070
700800900
ANA FICTICIA DE SOUZA
RUA DOS EXEMPLOS 10
CENTRO
13000-000 CIDADE INVENTADA SP
Nº 987654321000 Série C
Conta Contrato N° 12345678901234
{debit}33445566778
DEZ/23
33445566778
Nº 987654321000 Série C
R001-00000000""".replace("·", " ")
    return PdfText((page,))
