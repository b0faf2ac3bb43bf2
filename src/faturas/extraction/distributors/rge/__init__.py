"""RGE Sul (Rio Grande do Sul, CPFL group): the CPFL form, told apart from CPFL's by its CNPJ and name."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.cpfl.image_form import cpfl_image_layout

LAYOUT = cpfl_image_layout("rge.danf3e_image", "RGE")

DISTRIBUTOR = Distributor(
    name="RGE",
    cues=(
        cnpj_cue("02.016.440/0001-62"),
        # RGE bills print "CPFL" and cpfl.com.br as well: RGE's own name must outweigh both.
        text_cue("RGE", r"\bRGE\b", weight=8, flags=0, needle="rge"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
