"""CEEE Equatorial (Rio Grande do Sul): the Grupo Equatorial form, with the UC as installation."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.equatorial.form import equatorial_layout

LAYOUT = equatorial_layout(
    "ceee.danf3e",
    "CEEE",
    installation_labels=(r"N.mero da UC:?", r"\bUC:"),
    # CEEE's client code is the Parceiro de Negócio (ten digits from 1).
    client_labels=(r"Parceiro de Neg.cio:?",),
    account=r"1\d{9}",
)

DISTRIBUTOR = Distributor(
    name="CEEE",
    cues=(
        cnpj_cue("08.467.115/0001-00"),
        # The bills also say "Grupo Equatorial": CEEE's own name must outweigh the group's.
        text_cue("CEEE", r"\bCEEE\b", weight=5),
        text_cue("Companhia Estadual de Distribuição", r"COMPANHIA ESTADUAL DE DISTRIBUI", needle="companhia estadual"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
