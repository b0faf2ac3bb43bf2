"""Neoenergia Pernambuco (formerly Celpe): bills read from images."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.neoenergia.form import DESCRIPTIONS, NUMBERED_DESCRIPTIONS, neoenergia_layout

LAYOUT = neoenergia_layout(
    "neoenergia.danf3e", "NEOENERGIA", descriptions=DESCRIPTIONS, numbered_descriptions=NUMBERED_DESCRIPTIONS
)

DISTRIBUTOR = Distributor(
    name="NEOENERGIA",
    cues=(
        cnpj_cue("10.835.932/0001-08"),
        text_cue("Companhia Energética de Pernambuco", r"ENERG.TICA DE PERNAMBUCO", needle="pernambuco", weight=5),
        text_cue("Celpe", r"\bCELPE\b"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
