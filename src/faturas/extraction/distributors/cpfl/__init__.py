"""CPFL group (CPFL Paulista and sister concessions)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.cpfl import serie_c

DISTRIBUTOR = Distributor(
    name="CPFL",
    cues=(
        cnpj_cue("33.050.196/0001-88"),
        text_cue("CPFL", r"\bCPFL\b"),
        text_cue("site cpfl.com.br", r"\bcpfl\.com\.br\b"),
    ),
    layouts=(serie_c.LAYOUT,),
)
