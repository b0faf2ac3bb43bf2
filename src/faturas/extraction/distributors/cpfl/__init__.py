"""CPFL group (CPFL Paulista and sister concessions)."""

from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue

DISTRIBUTOR = Distributor(
    name="CPFL",
    cues=(
        cnpj_cue("33.050.196/0001-88"),
        text_cue("CPFL", r"\bCPFL\b"),
    ),
    layouts=(),
)
