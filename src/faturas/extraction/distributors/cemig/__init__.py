"""CEMIG Distribuição (MG)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue

DISTRIBUTOR = Distributor(
    name="CEMIG",
    cues=(
        cnpj_cue("06.981.180/0001-16"),
        text_cue("CEMIG", r"\bCEMIG\b"),
    ),
    layouts=(),
)
