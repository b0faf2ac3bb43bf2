"""The Neoenergia DANF3E (Pernambuco, Cosern in RN, Elektro in SP/MS) as phones capture it.

"REF: MÊS/ANO  TOTAL A PAGAR  VENCIMENTO" over one row of values; "CÓDIGO DA INSTALAÇÃO" and
"CÓDIGO DO CLIENTE" boxes beside the holder; the items' amount follows the price with taxes; the
stub repeats month, a code, due date and total in one row ("09/2025 CÓDIGO DO CLIENTE 7000000000
VENCIMENTO 16/09/2025 TOTAL A PAGAR R$ 123,45"). Elektro's stub labels its installation code as the
client's, so the stub's code goes where the group says.
"""

from __future__ import annotations

import re

from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

FORM_MARKER = re.compile(r"C.DIGO D[AO] (?:INSTALA|CLIENTE)|ITENS DA FATURA|TOTAL A PAGAR", re.IGNORECASE)

#: "CÓDIGO DO CLIENTE" as OCR reads it ("cóDico Do cuEntTE").
_CLIENT_LABEL = r"C\S{3,5}\s?D[O0]\s?C\S{4,7}"
#: The top box's "CÓDIGO DO CLIENTE" on a form whose stub gives that label to the installation code:
#: the label not followed by a code and "VENCIMENTO" (the stub's row).
_TOP_CLIENT_LABEL = _CLIENT_LABEL + r"(?!\s+\d{6,10}\s+VENC)"
TOP_CLIENT_REACH = 200
#: "CÓDIGO DA INSTALAÇÃO" garbled but for its ending ("conconasestuação"): in the rows' text, the word
#: ending so on the row of "NOME DO CLIENTE" (the two boxes' labels stand side by side); in the
#: boxes' text, alone on its line, when the code under it is followed by the client code's box.
_GARBLED_INSTALLATION_LABELS = (
    r"(?m)^NOME\b[^\n]*?\S[çc][ãa]o\b",
    r"(?m)^\S*[çc][ãa]o\n(?=\d{6,10}\n[^\n]*\bD[O0]\s?C)",
)
_DATE = r"(?P<due>[0-3]\d/[01]\d/20\d{2})"
_TOTAL = r"(?P<total>(?:\d{1,3}\.)*\d{1,3},\d{2})"


#: Item descriptions the form prints, and the words it prints before a document number.
DESCRIPTIONS = ("Consumo-TUSD", "Consumo-TE", "Ilum. Púb. Municipal")
NUMBERED_DESCRIPTIONS = ("ICMS-CDE NF", "IPCA-NF-", "Multa-NF ", "Juros-NF ")


def neoenergia_layout(
    template: str,
    distributor: str,
    stub_code: str = "client",
    installation_code: str = r"\d{7,10}",
    descriptions: tuple[str, ...] = (),
    numbered_descriptions: tuple[str, ...] = (),
) -> FamilyLayout:
    """``installation_code`` is the shape of the concession's installation code (its digits);
    ``descriptions`` and ``numbered_descriptions`` the item wording it prints (family/vocabulary.py)."""
    stub = re.compile(
        rf"(?:(?P<month>[01]\d/20\d{{2}})\s+)?{_CLIENT_LABEL}\s+(?P<{stub_code}>\d{{6,10}})\s+VENC\w*\s+{_DATE}"
        rf"\s+TOTAL\s?A\s?PAGAR\s+(?:R\$\s?)?{_TOTAL}",
        re.IGNORECASE,
    )
    return FamilyLayout(
        FamilySpec(
            template=template,
            distributor=distributor,
            form_marker=FORM_MARKER,
            # "CÓDIGO" is often garbled ("Cóbico E DA INSTALAÇÃO"); the capitals that follow are not.
            installation_labels=(
                r"C.DIGO DA INSTALA..O",
                r"(?-i:DA INSTALA..O)",
                *_GARBLED_INSTALLATION_LABELS,
            ),
            client_labels=(r"C.DIGO DO CLIENTE",) if stub_code == "client" else (_TOP_CLIENT_LABEL,),
            installation_code=installation_code,
            client_code=r"\d{6,10}",
            # The top box's client code sits under its label, past the access key's groups of four.
            client_reach=None if stub_code == "client" else TOP_CLIENT_REACH,
            distinct_codes=True,
            stubs=(stub,),
            items_start=re.compile(r"ITENS DA FATURA|PRE.O UNIT", re.IGNORECASE),
            # The consumption history's header ends the items when its title ("HISTÓRICO …") was not read.
            items_end=re.compile(
                r"^TOTAL\b|^SUBT|Hist.rico|^INFORMA|(?-i:^CONSUMO FATURADO\b)", re.IGNORECASE | re.MULTILINE
            ),
            descriptions=descriptions,
            numbered_descriptions=numbered_descriptions,
        )
    )
