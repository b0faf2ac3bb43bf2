"""The Energisa DANF3E as phones capture it (Sergipe, Paraíba, Minas Rio and the other concessions).

Read only when the text-layer layouts cannot: "REF: MÊS / ANO  VENCIMENTO  TOTAL A PAGAR" over one
row of values, "CÓDIGO DO CLIENTE" ("3/1234567-8") and "CÓDIGO DA INSTALAÇÃO" ("W1234567890" or
eleven digits), the items' amount after the price with taxes.
"""

from __future__ import annotations

import re

from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

LAYOUT = FamilyLayout(
    FamilySpec(
        template="energisa.danf3e_image",
        distributor="ENERGISA",
        form_marker=re.compile(r"C.DIGO D[AO] (?:INSTALA|CLIENTE)|REF:?\s?M.S\s?/\s?ANO", re.IGNORECASE),
        installation_labels=(r"C.DIGO DA INSTALA..O",),
        client_labels=(r"C.DIGO DO CLIENTE",),
        installation_code=r"W?\d{10,11}",
        client_code=r"\d{1,2}/\d{5,8}-\d",
        installation_shape=re.compile(r"(?<![\w/])W\d{10}(?!\w)"),
        client_shape=re.compile(r"(?<![\w/])\d{1,2}/\d{6,8}-\d(?![\w/])"),
        items_start=re.compile(r"Itens de fatura|Pre.o unit", re.IGNORECASE),
        items_end=re.compile(r"^TOTAL\b|Hist.rico|^INFORMA|^Medidor", re.IGNORECASE | re.MULTILINE),
    )
)
