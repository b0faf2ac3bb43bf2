"""CEMIG Distribuição (MG)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.cemig import danf3e, second_copy, serie_u_2019

DISTRIBUTOR = Distributor(
    name="CEMIG",
    cues=(
        cnpj_cue("06.981.180/0001-16"),
        text_cue("CEMIG", r"\bCEMIG\b"),
    ),
    layouts=(danf3e.LAYOUT, second_copy.LAYOUT, serie_u_2019.LAYOUT),
)
