"""Energisa group (MT, MS, TO and other concessions)."""

from faturas.extraction.distributors.base import Distributor, text_cue

DISTRIBUTOR = Distributor(
    name="ENERGISA",
    cues=(text_cue("ENERGISA", r"\bENERGISA\b"),),
    layouts=(),
)
