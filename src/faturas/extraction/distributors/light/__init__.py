"""Light (Rio de Janeiro): bills read from images.

"REF: MÊS/ANO  VENCIMENTO  TOTAL A PAGAR" over one row of values, "CÓDIGO DA INSTALAÇÃO" beside the
holder, "CÓDIGO DO CLIENTE" in the stub; the items' amount follows the price with taxes.
"""

import re

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

#: The billed lines the form prints (more are put back only once seen on a bill).
DESCRIPTIONS = ("Energia Elétrica kWh", "Contrib Ilum Pública Municipal")

LAYOUT = FamilyLayout(
    FamilySpec(
        template="light.danf3e",
        distributor="LIGHT",
        form_marker=re.compile(r"C.DIGO D[AO] (?:INSTALA|CLIENTE)|TOTAL\s?A\s?PAGAR", re.IGNORECASE),
        installation_labels=(r"C.DIGO DA INSTALA..O",),
        client_labels=(r"C.DIGO DO CLIENTE",),
        installation_code=r"\d{10}",
        client_code=r"\d{8}",
        code_reach=250,
        descriptions=DESCRIPTIONS,
        items_start=re.compile(r"Itens de fatura|Tarifa com|tributos", re.IGNORECASE),
        # "Adicional Bandeiras - Já incluído no Valor a Pagar" and the flags' amounts below it are a
        # notice: the flags are already in the billed lines.
        items_end=re.compile(r"^TOTAL\b|Hist.rico|^INFORMA|Reservado|inclu.do no Valor", re.IGNORECASE | re.MULTILINE),
    )
)

DISTRIBUTOR = Distributor(
    name="LIGHT",
    cues=(
        cnpj_cue("60.444.437/0001-46"),
        text_cue("Light S.E.S.A.", r"\bLight\s+(?:S\.?E\.?S\.?A|Servi.os de Eletricidade)", needle="light"),
        text_cue("light.com.br", r"\blight\.com\.br", needle="light.com.br"),
        text_cue("Light", r"\bLight\b", flags=0, needle="light"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
