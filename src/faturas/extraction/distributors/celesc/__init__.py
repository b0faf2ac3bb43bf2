"""CELESC Distribuição (SC)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue

DISTRIBUTOR = Distributor(
    name="CELESC",
    cues=(
        cnpj_cue("08.336.783/0001-90"),
        text_cue("CELESC", r"\bCELESC\b"),
    ),
    layouts=(),
)
