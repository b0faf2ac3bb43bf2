"""Enel (Rio de Janeiro, formerly Ampla; Ceará, formerly Coelce; São Paulo): bills read from images.

Enel prints one code for the unit ("Nº DO CLIENTE", the same number as the installation), the
month, due date and total together, and the items' amount after the price with taxes.
"""

import re

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

LAYOUT = FamilyLayout(
    FamilySpec(
        template="enel.danf3e",
        distributor="ENEL",
        form_marker=re.compile(r"N. DO CLIENTE|Itens de fatura|TOTAL\s?A?\s?PAGAR", re.IGNORECASE),
        installation_labels=(r"N. DA INSTALA..O", r"N. DO CLIENTE"),
        client_labels=(r"N. DO CLIENTE",),
        items_start=re.compile(r"Itens de fatura", re.IGNORECASE),
        items_end=re.compile(r"^TOTAL\b|Hist.rico|^INFORMA|Reservado", re.IGNORECASE | re.MULTILINE),
    )
)

DISTRIBUTOR = Distributor(
    name="ENEL",
    cues=(
        cnpj_cue("33.050.071/0001-58"),  # Rio de Janeiro (Ampla)
        cnpj_cue("07.047.251/0001-70"),  # Ceará (Coelce)
        cnpj_cue("61.695.227/0001-93"),  # São Paulo (Eletropaulo)
        text_cue("Enel", r"\benel\b", weight=3),
        text_cue("Ampla / Coelce", r"\bAMPLA\b|\bCOELCE\b", needle=("ampla", "coelce")),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
