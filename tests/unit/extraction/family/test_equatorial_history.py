"""The Equatorial form's items end where the consumption history beside them begins.

An invented CEEE bill in the shape OCR gives it; every name and amount is made up.
"""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.extract import extract_from_image_text
from faturas.extraction.pdf_text import PdfText

#: The history's title ("Histórico de Consumo") was lost; its column header and monthly rows remain.
CEEE_WITHOUT_HISTORY_TITLE = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
CEEE equatorial COMPANHIA ESTADUAL DE DISTRIBUIÇÃO DE ENERGIA ELÉTRICA GRUPO EQUATORIAL
CNPJ: 08.467.115/0001-00
Conta mês Vencimento Total a pagar
10/2025 20/12/2025 R$40,00
Itens de fatura Unid. Quant. Preço unit (R$) Valor (R$)
CONSUMO TUSD kWh 50 0,500000 25,00 1,00 25,00 12% 3,00 0,400000
MULTA CONTA ANTERIOR 15,00
Dias Consumo Diário
2025 out 30 150 5,00
set 31 1550 5,61
"""


def test_the_items_stop_at_the_history_columns_when_its_title_is_lost() -> None:
    invoice = extract_from_image_text(PdfText((CEEE_WITHOUT_HISTORY_TITLE,)))
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("CONSUMO TUSD", Decimal("25.00")),
        ("MULTA CONTA ANTERIOR", Decimal("15.00")),
    ]
    assert invoice.energy_kwh == Decimal(50)
