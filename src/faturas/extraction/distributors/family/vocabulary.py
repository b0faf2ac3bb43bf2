"""Item descriptions put back to the words the form prints, when OCR garbled a letter or a dot.

A form prints its billed lines from a short, fixed list ("Adic. B. Vermelha", "Consumo em kWh",
"Contribuição Custeio IP-CIP"), followed on some forms by the month or date they refer to. OCR of a
photo drops the dots ("Adic B Vermelha"), turns letters ("Vermeiha", "TUSO") and picks up specks
of the table's edge before the first word ("» sr Consumo em kWh"). A description is replaced by one
of the form's own only when it is close to that one (similarity ``MIN_SIMILARITY``), clearly closer
than to any other (``MIN_MARGIN``), and word for word the same words (a word more or less is another
line: "Consumo em kWh Ponta" is not "Consumo em kWh"); a reference month or date after it must be
read cleanly and is kept as read. Anything else stays exactly as read.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

MIN_SIMILARITY = 0.8
MIN_MARGIN = 0.1

#: A reference after the description: "05/2025", "JUL/25", "MAI/2025", "Ago/25".
_REFERENCE = re.compile(
    r"\s(?P<reference>(?:0[1-9]|1[0-2])/20\d{2}|(?i:JAN|FEV|MAR|ABR|MAI|JUN|JUL|AGO|SET|OUT|NOV|DEZ)/(?:20)?\d{2})$"
)

#: The unit column ("kWh") garbled past recognition ("KuH", "Kva"), read after the description.
_UNIT_LIKE = re.compile(r"^[kK][a-zA-Z]{1,2}$")

#: A short word read after the reference month: the unit column garbled ("ava" for "kWh").
_TRAILING_SPECK = re.compile(r"^[a-zA-Z]{2,3}$")

#: Specks read before the description: at most this many words are dropped from its start.
MAX_SPECKS = 2


def printed_description(description: str, vocabulary: tuple[str, ...]) -> str:
    """``description`` as the form prints it, when it is clearly one of the ``vocabulary``; else unchanged."""
    if not vocabulary or description in vocabulary:
        return description
    read = description
    words = description.split()
    if len(words) > 2 and _REFERENCE.search(" " + words[-2]) and _TRAILING_SPECK.match(words[-1]):
        description = " ".join(words[:-1])  # the unit column's "kWh" garbled past recognition ("ava")
    reference = _REFERENCE.search(description)
    head = description[: reference.start()] if reference else description
    suffix = f" {reference.group('reference')}" if reference else ""
    if head in vocabulary:
        return description  # without a speck after it
    words = head.split()
    readings = [words]
    if len(words) > 1 and _UNIT_LIKE.match(words[-1]):
        readings.append(words[:-1])  # the unit column read as part of the description ("Consumo em KAlh KuH")
    candidates = [read[start:] for read in readings for start in range(min(MAX_SPECKS, len(read) - 1) + 1)]
    scores = sorted(((_score(candidates, entry), entry) for entry in vocabulary), reverse=True)
    best, entry = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best >= MIN_SIMILARITY and best - runner_up >= MIN_MARGIN:
        return entry + suffix
    return read


def _score(candidates: list[list[str]], entry: str) -> float:
    """The best similarity of a candidate that matches ``entry`` word for word (0 when none does)."""
    printed = entry.split()
    scores = [
        _similarity(" ".join(words), entry)
        for candidate in candidates
        for words, form, joined in _aligned(candidate, printed)
        if all(
            _close_words(read, word, strict=index == joined)
            for index, (read, word) in enumerate(zip(words, form, strict=True))
        )
    ]
    return max(scores, default=0.0)


def _aligned(words: list[str], printed: list[str]) -> list[tuple[list[str], list[str], int | None]]:
    """The read and printed words as as many words each: as read, with one pair OCR split rejoined
    ("PUBI ICA"), or with one printed pair OCR read as one word joined ("PUBPREF" for "PUB PREF"), with
    the index of the joined word (compared strictly)."""
    count = len(printed)
    if len(words) == count:
        return [(words, printed, None)]
    if len(words) == count + 1:
        return [
            ([*words[:index], words[index] + words[index + 1], *words[index + 2 :]], printed, index)
            for index in range(count)
        ]
    if len(words) == count - 1:
        return [
            (words, [*printed[:index], printed[index] + printed[index + 1], *printed[index + 2 :]], index)
            for index in range(count - 1)
        ]
    return []


def _close_words(read: str, printed: str, strict: bool = False) -> bool:
    """One or two letters off (one for words of one or two letters, and for two read words rejoined:
    "Vermelha P1" is not "Vermelha"), dots and brackets aside."""
    read, printed = _letters(read), _letters(printed)
    allowed = 1 if strict or len(printed) <= 2 else max(2, len(printed) // 3)
    return _distance(read, printed) <= allowed


def _letters(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())


def _distance(first: str, second: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, 1):
        current = [row]
        for column, other in enumerate(second, 1):
            current.append(min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (char != other)))
        previous = current
    return previous[-1]


def _similarity(read: str, printed: str) -> float:
    return SequenceMatcher(None, read.lower(), printed.lower(), autojunk=False).ratio()


#: A description that ends in a document number ("ICMS-CDE NF412730586"): its words, then the number.
_NUMBERED = re.compile(r"(?P<head>.*?\D)(?P<number>\d{6,})")


def numbered_description(description: str, prefixes: tuple[str, ...]) -> str:
    """``description`` as the form prints a line billed under a document number, when only its
    punctuation and spacing differ from one of the ``prefixes`` ("ICMS-CDE NF", "Multa-NF "):
    "ICMS-CDE NF 123456789" is "ICMS-CDE NF123456789", "IPCA.NF-123456789" is "IPCA-NF-123456789".
    Letters and digits are never changed: anything else stays exactly as read."""
    match = _NUMBERED.fullmatch(description)
    if match is None:
        return description
    head = _alphanumeric(match.group("head"))
    found = [prefix for prefix in prefixes if _alphanumeric(prefix) == head]
    return found[0] + match.group("number") if len(found) == 1 else description


def _alphanumeric(text: str) -> str:
    return re.sub(r"[\W_]", "", text)
