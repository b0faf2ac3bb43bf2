"""The Energisa DANF3E as phones capture it (Sergipe, Paraíba, Minas Rio and the other concessions).

Read only when the text-layer layouts cannot: "REF: MÊS / ANO  VENCIMENTO  TOTAL A PAGAR" over one
row of values, "CÓDIGO DO CLIENTE" ("3/1234567-8") and "CÓDIGO DA INSTALAÇÃO" ("W1234567890" or
eleven digits), the items' amount after the price with taxes.
"""

from __future__ import annotations

import re

from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

#: The billed lines the Energisa DANF3E prints (a reference "05/2025" follows the late-payment ones).
DESCRIPTIONS = (
    "Consumo em kWh",
    "Adic. B. Vermelha",
    "Adic. B. Amarela",
    "CONTRIB ILUM PUBLICA",
    "CONTRIB SERV ILUM PUBLICA",
    "Contrib de Ilum Pub",
    "JUROS DE MORA",
    "MULTA",
    "ATUALIZAÇÃO MONETÁRIA",
)

LAYOUT = FamilyLayout(
    FamilySpec(
        template="energisa.danf3e_image",
        distributor="ENERGISA",
        form_marker=re.compile(r"C.DIGO D[AO] (?:INSTALA|CLIENTE)|REF:?\s?M.S\s?/\s?ANO", re.IGNORECASE),
        installation_labels=(r"C.DIGO DA INSTALA..O",),
        client_labels=(r"C.DIGO DO CLIENTE",),
        installation_code=r"W?\d{10,11}",
        client_code=r"\d{1,2}/\d{5,8}-\d",
        client_split=r"\d{1,2}/\d+(?: \d+){1,4} ?- ?\d",
        installation_shape=re.compile(r"(?<![\w/])W\d{10}(?!\w)"),
        client_shape=re.compile(r"(?<![\w/])\d{1,2}/\d{6,8}-\d(?![\w/])"),
        items_start=re.compile(r"Itens de fatura|Pre.o unit", re.IGNORECASE),
        # A speck of the table's edge may stand before "TOTAL:" ("É TOTAL: 54,05").
        items_end=re.compile(r"^(?:\S{1,4} )?TOTAL\b|Hist.rico|^INFORMA|^Medidor", re.IGNORECASE | re.MULTILINE),
        descriptions=DESCRIPTIONS,
        table_total=re.compile(r"^(?:\S{1,4} )?TOTAL:\s?(?P<total>\S+)", re.MULTILINE),
    )
)
