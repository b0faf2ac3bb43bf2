"""Energisa group (MT, MS, TO and other concessions)."""

from faturas.extraction.distributors.base import Distributor, text_cue
from faturas.extraction.distributors.energisa import danf3e, matricula

DISTRIBUTOR = Distributor(
    name="ENERGISA",
    cues=(text_cue("ENERGISA", r"\bENERGISA\b"),),
    layouts=(danf3e.LAYOUT, matricula.LAYOUT),
)
