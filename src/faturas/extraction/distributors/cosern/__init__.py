"""Neoenergia Cosern (Rio Grande do Norte): the Neoenergia form."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.neoenergia.form import DESCRIPTIONS, NUMBERED_DESCRIPTIONS, neoenergia_layout

LAYOUT = neoenergia_layout(
    "cosern.danf3e",
    "COSERN",
    installation_code=r"\d{10}",
    descriptions=DESCRIPTIONS,
    numbered_descriptions=NUMBERED_DESCRIPTIONS,
)

DISTRIBUTOR = Distributor(
    name="COSERN",
    cues=(
        cnpj_cue("08.324.196/0001-81"),
        text_cue("COSERN", r"\bCOSERN\b", weight=5),
        text_cue("Rio Grande do Norte", r"ENERG.TICA DO RIO GRANDE DO NORTE", needle="rio grande do norte"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
