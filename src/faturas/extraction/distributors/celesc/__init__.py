"""CELESC Distribuição (SC)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.celesc import danf3e, serie_unica

DISTRIBUTOR = Distributor(
    name="CELESC",
    cues=(
        cnpj_cue("08.336.783/0001-90"),
        text_cue("CELESC", r"\bCELESC\b"),
    ),
    layouts=(danf3e.LAYOUT, serie_unica.LAYOUT),
)
