"""The Energisa DANF3E as phones capture it (Sergipe, Paraíba, Minas Rio and the other concessions).

Read only when the text-layer layouts cannot: "REF: MÊS / ANO  VENCIMENTO  TOTAL A PAGAR" over one
row of values, "CÓDIGO DO CLIENTE" ("3/1234567-8") and "CÓDIGO DA INSTALAÇÃO" ("W1234567890" or
eleven digits), the items' amount after the price with taxes.
"""

from __future__ import annotations

import re

from faturas.extraction.distributors.family import FamilyLayout, FamilySpec
from faturas.extraction.distributors.family.vocabulary import printed_description

#: The unit column ("kWh") read into the description's end, garbled ("kKWH", "KWm").
UNIT_LIKE = re.compile(r"\s[kK][a-zA-Z]{1,3}$")

#: Specks of the table's edge read before the description: at most this many words are dropped.
MAX_SPECKS = 2

#: The billed lines the Energisa DANF3E prints (a reference "05/2025" follows the late-payment ones).
DESCRIPTIONS = (
    "Consumo em kWh",
    "Adic. B. Vermelha",
    "Adic. B. Amarela",
    "CONTRIB ILUM PUBLICA",
    "CONTRIB SERV ILUM PUBLICA",
    "Contrib de Ilum Pub",
    "JUROS DE MORA",
    "MULTA",
    "ATUALIZAÇÃO MONETÁRIA",
)


class PhotoLayout(FamilyLayout):
    """The family's layout, with two more ways a photo's description is put back to the form's: the
    unit column read into its end dropped ("Consumo em kif kKWH"), and its words read without a space
    between them ("CONTRIB SERVILUM PUBLICA": the same letters, one speck before them at most)."""

    def form_wording(self, description: str) -> str:
        printed = super().form_wording(description)
        vocabulary = self.spec.descriptions
        if printed in vocabulary:
            return printed
        trimmed = UNIT_LIKE.sub("", description)
        if trimmed != description:
            again = printed_description(trimmed, vocabulary)
            if again in vocabulary:
                return again
        words = description.split()
        for start in range(min(MAX_SPECKS, len(words) - 1) + 1):
            letters = _letters(" ".join(words[start:]))
            found = [entry for entry in vocabulary if _letters(entry) == letters]
            if len(found) == 1:
                return found[0]
        return printed


def _letters(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower())


LAYOUT = PhotoLayout(
    FamilySpec(
        template="energisa.danf3e_image",
        distributor="ENERGISA",
        form_marker=re.compile(r"C.DIGO D[AO] (?:INSTALA|CLIENTE)|REF:?\s?M.S\s?/\s?ANO", re.IGNORECASE),
        installation_labels=(r"C.DIGO DA INSTALA..O",),
        client_labels=(r"C.DIGO DO CLIENTE",),
        installation_code=r"W?\d{10,11}",
        client_code=r"\d{1,2}/\d{5,8}-\d",
        client_split=r"\d{1,2}/\d+(?: \d+){1,4} ?- ?\d",
        installation_shape=re.compile(r"(?<![\w/])W\d{10}(?!\w)"),
        client_shape=re.compile(r"(?<![\w/])\d{1,2}/\d{6,8}-\d(?![\w/])"),
        items_start=re.compile(r"Itens ?d[ae] ?fatura|Pre.o unit", re.IGNORECASE),
        # A speck of the table's edge may stand before "TOTAL:" ("É TOTAL: 54,05").
        items_end=re.compile(
            r"^(?:\S{1,4} )?TOTAL\b|Hist.rico|^INFORMA|^Medidor|CONSUMO FATURADO", re.IGNORECASE | re.MULTILINE
        ),
        descriptions=DESCRIPTIONS,
        table_total=re.compile(r"^(?:\S{1,4} )?TOTAL:\s?(?P<total>\S+)", re.MULTILINE),
    )
)
