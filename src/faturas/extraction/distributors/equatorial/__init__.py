"""Grupo Equatorial concessions (Alagoas, Maranhão, Pará, Piauí, Goiás, Amapá): bills read from images."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.equatorial.form import equatorial_layout

LAYOUT = equatorial_layout(
    "equatorial.danf3e",
    "EQUATORIAL",
    installation_labels=(r"INSTALA..O:?",),
    # The Conta Contrato (ten digits from 3), not the Parceiro de Negócio.
    client_labels=(r"Conta\s?Contrato(?: geradora)?:?",),
    account=r"3\d{9}",
)

DISTRIBUTOR = Distributor(
    name="EQUATORIAL",
    cues=(
        cnpj_cue("12.272.084/0001-00"),  # Alagoas
        cnpj_cue("06.272.793/0001-84"),  # Maranhão
        cnpj_cue("04.895.728/0001-80"),  # Pará
        cnpj_cue("06.840.748/0001-89"),  # Piauí
        cnpj_cue("01.543.032/0001-04"),  # Goiás
        text_cue(
            "Equatorial + estado",
            r"Equatorial\s+(?:Alagoas|Maranh.o|Par.|Piau.|Goi.s|Amap.)",
            weight=5,
            needle="equatorial",
        ),
        text_cue("Equatorial", r"\bequatorial", needle="equatorial"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
