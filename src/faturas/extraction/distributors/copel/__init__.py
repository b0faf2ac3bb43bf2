"""COPEL Distribuição (PR)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue

DISTRIBUTOR = Distributor(
    name="COPEL",
    cues=(
        cnpj_cue("04.368.898/0001-06"),
        text_cue("COPEL", r"\bCOPEL\b"),
    ),
    layouts=(),
)
