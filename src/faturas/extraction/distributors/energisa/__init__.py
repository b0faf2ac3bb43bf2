"""Energisa group (MT, MS, TO and other concessions)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.energisa import danf3e, image_form, matricula

DISTRIBUTOR = Distributor(
    name="ENERGISA",
    cues=(
        cnpj_cue("03.467.321/0001-99"),  # Energisa Mato Grosso
        cnpj_cue("15.413.826/0001-50"),  # Energisa Mato Grosso do Sul
        cnpj_cue("25.086.034/0001-71"),  # Energisa Tocantins
        cnpj_cue("13.017.462/0001-63"),  # Energisa Sergipe
        cnpj_cue("09.095.183/0001-40"),  # Energisa Paraíba
        text_cue("CNPJ Energisa Minas Rio", r"19\.?527\.?639/", weight=10, needle="527"),
        text_cue("ENERGISA", r"\bENERGISA\b"),
    ),
    layouts=(danf3e.LAYOUT, matricula.LAYOUT),
    image_layouts=(image_form.LAYOUT,),
)
