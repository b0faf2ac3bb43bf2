"""COPEL Distribuição (PR)."""

import re

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.copel import serie_b

DISTRIBUTOR = Distributor(
    name="COPEL",
    cues=(
        cnpj_cue("04.368.898/0001-06"),
        text_cue("COPEL", r"\bCOPEL\b"),
        # Some bills print neither the name nor the CNPJ in their text layer: their invoice number
        # ("FAT-01-20221234567890-12") and their titled nota fiscal are COPEL's alone.
        text_cue("fatura COPEL (FAT-01-…)", r"^FAT-\d{2}-\d{14}-\d{1,3}[ \t]*$", flags=re.MULTILINE, needle="fat-"),
        text_cue(
            "título da NF SÉRIE B da COPEL",
            r"NOTA FISCAL/CONTA DE ENERGIA EL.TRICA N. [\d.]+ - S.RIE B\b",
            needle="nota fiscal/conta de energia",
        ),
    ),
    layouts=(serie_b.LAYOUT,),
)
