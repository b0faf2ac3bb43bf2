"""EDP (Espírito Santo, São Paulo): bills read from images.

"REF.: MÊS/ANO  VENCIMENTO  TOTAL A PAGAR" over one row of values; "CÓDIGO DO CLIENTE" and the
installation's box; the items' amount follows "TARIFA C/ IMPOSTOS".
"""

import re

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.family import FamilyLayout, FamilySpec
from faturas.extraction.distributors.family.header import DATE

#: An amount's digits as the stub prints them ("1.234,56").
AMOUNT_DIGITS = r"(?:\d{1,3}\.)*\d{1,3},\d{2}"

#: The billed lines the form prints, without their reference month ("Multa Ref.: Ago/25"); more are
#: put back only once seen on a bill.
DESCRIPTIONS = (
    "TUSD - Consumo",
    "TE - Consumo",
    "Adicional Bandeira Vermelha 2",
    "Multa Ref.:",
    "Juros de Mora Ref.:",
    "Atualiz. Monet. IPCA Ref.:",
    "CIP - Contribuição Municipal",
)

LAYOUT = FamilyLayout(
    FamilySpec(
        template="edp.danf3e",
        distributor="EDP",
        form_marker=re.compile(r"INSTALA..O|TOTAL\s?A\s?PAGAR|C.DIGO DO CLIENTE", re.IGNORECASE),
        # "CÓDIGO DA INSTALAÇÃO", "Nº da Instalação"; OCR turns the label's last letters ("INSTALAÇAR").
        installation_labels=(r"INSTALA\w{2,3}",),
        # São Paulo prints the client code as "COD. IDENT." in the client's box.
        client_labels=(r"C.DIGO DO CLIENTE", r"C.D\.?\s?IDENT\.?"),
        installation_code=r"\d{10}",
        client_code=r"\d{10}",
        # São Paulo's form prints the month by name in its "Conta do Mês" box ("Setembro/2025").
        month_labels=(*FamilySpec.month_labels, r"Conta do M[eê]s"),
        stubs=(
            # São Paulo's stub: "0150000000 18/09/2025 R$ 123,45" (installation, due date, total).
            re.compile(rf"(?<![\d/])(?P<installation>\d{{10}})\s+(?P<due>{DATE})\s+R\$\s?(?P<total>{AMOUNT_DIGITS})"),
            # Espírito Santo's: "18/09/2025 123,45 … 0400000000 … REF.: SET/2025" (due, total, client, month).
            re.compile(
                rf"(?P<due>{DATE})\s+(?P<total>{AMOUNT_DIGITS})\s+(?:\S+\s+)?(?P<client>\d{{10}})\s+"
                rf"(?:\S+\s+)?REF\W{{0,3}}\s?(?P<month>[A-Z]{{3}}/20\d{{2}})"
            ),
        ),
        # "Detalhes do Faturamento" heads the items on both forms; São Paulo's meter table above it also
        # opens with "Descrição" ("Descrição de Consumo"), which must not start the items.
        items_start=re.compile(
            r"Detalhes do Faturamento|DESCRI..O(?!\s+de\s+Consumo)|Itens de fatura|Pre.o\s?U", re.IGNORECASE
        ),
        # Both forms print a CCI code before the description ("0605TUSD - Consumo"): not part of it.
        item_code=re.compile(r"^\W{0,2}[0O]\d{3}\s?(?=[A-Za-z])"),
        # Garbled reads are put back to these ("Ret.:" and "Rot.:" for the "Ref.:" before a fee's month).
        descriptions=DESCRIPTIONS,
        items_end=re.compile(r"^TOTAL\b|Hist.rico|^INFORMA|Reservado|Informativo", re.IGNORECASE | re.MULTILINE),
    )
)

DISTRIBUTOR = Distributor(
    name="EDP",
    cues=(
        cnpj_cue("28.152.650/0001-71"),  # Espírito Santo
        cnpj_cue("02.302.100/0001-06"),  # São Paulo
        text_cue("EDP", r"\bEDP\b", weight=3, flags=0, needle="edp"),
        text_cue("edp.com.br", r"\bedp\.com\.br", needle="edp.com.br"),
    ),
    layouts=(),
    image_layouts=(LAYOUT,),
)
