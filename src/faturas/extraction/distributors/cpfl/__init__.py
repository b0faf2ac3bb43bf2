"""CPFL group (CPFL Paulista and sister concessions)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.cpfl import image_form, serie_c

DISTRIBUTOR = Distributor(
    name="CPFL",
    cues=(
        cnpj_cue("33.050.196/0001-88"),
        cnpj_cue("04.172.213/0001-51"),  # CPFL Piratininga
        cnpj_cue("53.859.112/0001-69"),  # CPFL Santa Cruz (Companhia Jaguari de Energia)
        text_cue("CPFL", r"\bCPFL\b"),
        text_cue("site cpfl.com.br", r"\bcpfl\.com\.br\b"),
    ),
    layouts=(serie_c.LAYOUT,),
    image_layouts=(image_form.LAYOUT,),
)
