"""Enel (Rio de Janeiro, formerly Ampla; Ceará, formerly Coelce; São Paulo): bills read from images.

Enel prints one code for the unit ("Nº DO CLIENTE", the same number as the installation), the
month, due date and total together, and the items' amount after the price with taxes.
"""

import re

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

#: An amount's digits as the summary prints them ("1.234,56").
AMOUNT_DIGITS = r"(?:\d{1,3}\.)*\d{1,3},\d{2}"

#: The billed lines the form prints (Rio de Janeiro's wording; more are put back only once seen on a bill).
DESCRIPTIONS = (
    "Energia Ativa Fornecida TE",
    "Energia Ativa Fornecida TUSD",
    "Adicional Band. Amarela",
    "Adicional Band. Vermelha",
    "Bonus Itaipu",
    "CIP - ILUM PUB PREF MUNICIPAL",
)

LAYOUT = FamilyLayout(
    FamilySpec(
        template="enel.danf3e",
        distributor="ENEL",
        form_marker=re.compile(
            r"N. DO CLIENTE|Itens de fatura|TOTAL\s?A?\s?PAGAR|SUBTOTAL\s+FATURAMENTO", re.IGNORECASE
        ),
        installation_labels=(r"N. DA INSTALA..O", r"N. DO CLIENTE"),
        client_labels=(r"N. DO CLIENTE",),
        # Ceará's form closes the items with "SUBTOTAL FATURAMENTO: …  SUBTOTAL OUTROS: …  TOTAL: 92,60".
        stubs=(
            re.compile(
                rf"SUBTOTAL\s+OUTROS:?\s*{AMOUNT_DIGITS}\s*\n?\W{{0,3}}TOTAL:\s*(?P<total>{AMOUNT_DIGITS})(?![\d,])"
            ),
        ),
        descriptions=DESCRIPTIONS,
        # "Itens" loses its first letters to OCR ("tens", "mens de Fatura").
        items_start=re.compile(r"ens de fatura", re.IGNORECASE),
        items_end=re.compile(r"^TOTAL\b|Hist.rico|^INFORMA|Reservado|^SUBTOTAL", re.IGNORECASE | re.MULTILINE),
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
        # The items table closes with "SUBTOTAL FATURAMENTO" and "SUBTOTAL OUTROS": Enel's form alone
        # prints them (no other group's bill does), and they stay legible when the logo and CNPJ do not.
        text_cue("SUBTOTAL FATURAMENTO / OUTROS", r"\bSUBTOTAL\s+FATURAMENTO\b", needle="subtotal"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
