"""Neoenergia Elektro (São Paulo, Mato Grosso do Sul): the Neoenergia form.

Its stub labels the installation code as the client's ("CÓDIGO DO CLIENTE"): the top boxes are right.
"""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.neoenergia.form import neoenergia_layout

LAYOUT = neoenergia_layout("elektro.danf3e", "ELEKTRO", stub_code="installation", installation_code=r"\d{8}")

DISTRIBUTOR = Distributor(
    name="ELEKTRO",
    cues=(
        cnpj_cue("02.328.280/0001-97"),
        text_cue("ELEKTRO", r"\bELEKTRO\b", weight=5),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
