"""Invented COELBA (Neoenergia) bills in the shape PDFium prints them (every name and number made up)."""

from __future__ import annotations

from faturas.extraction.check_digits import mod10_digit
from faturas.extraction.numbers import parse_decimal
from faturas.extraction.pdf_text import PdfText

COELBA_CNPJ = "15.139.629/0001-94"


def payment_line(total: str) -> str:
    """A utility payment line (segment 6, module 10 check digits) carrying the total."""
    body = "8360" + f"{int(parse_decimal(total) * 100):011d}" + "0047" + "1234567890123456789012345"[:25]
    assert len(body) == 44
    blocks = [body[index : index + 11] for index in range(0, 44, 11)]
    return " ".join(f"{block}-{mod10_digit(block)}" for block in blocks)


PAGE_ITEMS = """Consumo Ativo(kWh)-TUSD 1.250,0000000 0,40000000 500,00
Consumo Ativo(kWh)-TE 1.250,0000000 0,24000000 300,00
Consumo Reativo Excedente(kVARh) 10,0000000 0,25000000 2,50
Acréscimo Bandeira VERMELHA P1 40,00
Contrib. Ilum. Pública Municipal 25,00 """

#: 500 + 300 + 2.50 + 40 + 25
PAGE_TOTAL = "867,50"


def invoice_page(
    items: str = PAGE_ITEMS,
    total: str = PAGE_TOTAL,
    contract: str = "0200000001",
    installation: str = "7000001",
    nota_fiscal: str = "600000001",
    taxes: str = " 27,00 0,00 867,50 0,92 7,98 867,50 4,27 37,04 ",
    stub: str = "Pagamento através de Débito Automático em Conta Corrente.",
    page_of: str = "1/1",
) -> str:
    return f"""{items}
DESCRIÇÃO DA NOTA FISCAL
---------------------------------------------- DESTAQUE AQUI
NOTA FISCAL | FATURA | CONTA DE ENERGIA ELÉTRICA
COMPANHIA DE ELETRICIDADE
DO ESTADO DA BAHIA
CNPJ {COELBA_CNPJ}
 neoenergiacoelba.com.br
DADOS DO CLIENTE
PREFEITURA INVENTADA
ESCOLA DO EXEMPLO
CNPJ: 00.000.000/0001-00
DATA DE VENCIMENTO
20/06/2024
TOTAL A PAGAR (R$)
 {total}
DATA DA EMISSÃO DA NOTA FISCAL
28/05/2024
NÚMERO DA NOTA FISCAL
{nota_fiscal}
CONTA CONTRATO
{contract}
Nº DO CLIENTE
1000000009
Nº DA INSTALAÇÃO
{installation}
CLASSIFICAÇÃO
B3 PODER PUBLICO - MUNICIPAL
Conv. Monômia - Bifásico
ENDEREÇO DA UNIDADE CONSUMIDORA
RUA INVENTADA 10
DEMONSTRATIVO DE CONSUMO DESTA NOTA FISCAL
(kWh)
55555555 CAT 27/04/2024 10.000,00 27/05/2024 11.250,00 30 1,00000 1.250,00
55555555 CRT 27/04/2024 2.000,00 27/05/2024 2.300,00 30 1,00000 300,00
DATA PREVISTA DA PRÓXIMA LEITURA: 26/06/2024
Tarifas Aplicadas
HISTÓRICO DO CONSUMO
kWh
MAI 24 1250
ABR 24 1.100
DEZ 23 900
NÍVEIS DE TENSÃO
INFORMAÇÕES DE TRIBUTOS
{taxes}
INFORMAÇÕES IMPORTANTES
Na data da leitura a bandeira em vigor é a Verde. Mais informações em www.aneel.gov.br.
CONTA CONTRATO
{contract}
MÊS/ANO
05/2024
TOTAL A PAGAR(R$)
 {total}
VENCIMENTO
20/06/2024
{stub}
{page_of}
TOTAL DA FATURA {total}
QUANTIDADE PREÇO(R$) VALOR(R$)"""


def summary_page(total: str, invoices: int) -> str:
    return f"""DOCUMENTO PARA PAGAMENTO DA CONTA COLETIVA
COMPANHIA DE ELETRICIDADE
DO ESTADO DA BAHIA
CNPJ {COELBA_CNPJ}
DADOS DO CLIENTE
PREFEITURA INVENTADA
SECRETARIA CC9900000001
DATA DE VENCIMENTO
20/06/2024
TOTAL A PAGAR (R$)
{total}
DATA DA EMISSÃO DA NOTA FISCAL
28/05/2024
CONTA CONTRATO
COLETIVA
9900000001
QTDE. DE CONTAS GRUPO A QTDE. DE CONTAS GRUPO B MÊS/ANO
 0 {invoices} 05/24
INFORMAÇÕES SOBRE A CONTA COLETIVA
TOTAL A PAGAR(R$) {total}
Pagamento através de Débito Automático em Conta Corrente."""


SECOND_ITEMS = """Consumo Ativo(kWh)-TUSD 100,0000000 0,40000000 40,00
Consumo Ativo(kWh)-TE 100,0000000 0,25000000 25,00 """


def collective() -> PdfText:
    return PdfText(
        (
            summary_page("932,50", 2),
            invoice_page(),
            invoice_page(
                items=SECOND_ITEMS,
                total="65,00",
                contract="0200000002",
                installation="7000002",
                nota_fiscal="600000002",
            ),
        )
    )


def single(stub_total: str = PAGE_TOTAL) -> PdfText:
    return PdfText((invoice_page(stub=payment_line(stub_total)),))
