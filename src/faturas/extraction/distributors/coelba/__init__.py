"""COELBA (Neoenergia, BA)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.coelba import collective, single

DISTRIBUTOR = Distributor(
    name="COELBA",
    cues=(
        cnpj_cue("15.139.629/0001-94"),
        text_cue("COELBA", r"\bCOELBA\b|neoenergiacoelba", needle="coelba"),
    ),
    layouts=(collective.LAYOUT, single.LAYOUT),
)
