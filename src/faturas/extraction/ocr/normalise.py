"""Undo what OCR typically does to bill text before the templates read it.

Applied to OCR'd pages only: a text layer is never touched. Each rule is narrow on purpose: a
correction that guesses wrong would turn a failed read (flagged) into a wrong value.
"""

from __future__ import annotations

import re

#: Letters OCR reads for digits, fixed only inside tokens that are otherwise numbers. Not D or Q:
#: installation codes print them before their digits ("D1234567890"), and a letter read as a digit
#: there would be a wrong identifier that both reads agree on.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})

#: A token made of digits, number punctuation and look-alike letters, starting and ending on a
#: digit-like character: "1O7,26", "O,86613683", "3.2O2". Month codes ("JUN/23") have too few digits.
_NUMBERISH = re.compile(r"(?<!\S)[-—–]?[\dOolI|][\dOolI|.,/-]*[\dOolI|](?!\S)")

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "kwh", "KWH", "kWH" are all kWh; bills print the unit one way.
    (re.compile(r"\bk[wW][hH]\b|\bKW[hH]\b|\bKwh\b"), "kWh"),
    # Small print loses the h's ascender: "kwn".
    (re.compile(r"\bk[wW]n\b"), "kWh"),
    (re.compile(r"\bk[vV][aA]rh\b", re.IGNORECASE), "kVArh"),
    # A number split at its separator: "1 .007", "652 ,55", "0, 86613683".
    (re.compile(r"(?<=\d) (?=[.,]\d)"), ""),
    (re.compile(r"(?<=\d[.,]) (?=\d)"), ""),
    # A decimal comma read with a speck beside it: "57.,36-" is "57,36-" (two decimals after it).
    (re.compile(r"(?<=\d)(?:\.,|,\.)(?=\d{2}-?(?!\S))"), ","),
    # Dashes, tildes and guillemets read for a minus sign: "—640,00", "«98,76".
    (re.compile(r"(?<!\S)[—–~«¬](?=\d)"), "-"),
    # Roman numerals after GD ("GD |", "GD ||", "GD Il") are I's.
    (re.compile(r"\bGD ([|lI1]{1,3})(?!\S)"), "GD {roman}"),
    # Table rules read as bars.
    (re.compile(r"(?<!\S)[|¦]+(?!\S)"), ""),
    # The ordinal indicator read as a degree sign or glued to the next word: "N°", "Nºde".
    (re.compile(r"\bN[°o](?= ?(?:DA|DO|DE|da|do|de)\b)"), "Nº"),
    (re.compile(r"\bNº(?=[a-zA-Z])"), "Nº "),
    (re.compile(r"\(RS\)|\(rs\)"), "(R$)"),
    (re.compile(r"\bR[S5](?= ?\d)"), "R$"),
)


#: A decimal comma read as a period, told apart from a thousands separator by what follows it: two
#: digits at the end ("34.09", "1.234.56"), four or more ("0.40689500"), or a dot after four
#: ungrouped digits ("2000.000"). "1.057" stays: that is how bills print thousands.
_PERIOD_FOR_COMMA = (
    re.compile(r"(?<![^\s$])(-?\d{1,3}(?:\.\d{3})*)\.(\d{2}-?)(?!\S)"),
    re.compile(r"(?<![^\s$])(-?\d+)\.(\d{4,}-?)(?!\S)"),
    re.compile(r"(?<![^\s$])(-?\d{4,})\.(\d{1,3}-?)(?!\S)"),
)


def normalise_ocr_text(text: str) -> str:
    lines = [_normalise_line(line) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _normalise_line(line: str) -> str:
    for pattern, replacement in _RULES:
        if "{roman}" in replacement:
            line = pattern.sub(lambda match: "GD " + "I" * len(match.group(1)), line)
        else:
            line = pattern.sub(replacement, line)
    line = _NUMBERISH.sub(_fix_number, line)
    for pattern in _PERIOD_FOR_COMMA:
        line = pattern.sub(r"\1,\2", line)
    # Spaces fold to one; a tab, which marks a gap between cells (lines.py), stays one tab.
    return "\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip()


def _fix_number(match: re.Match[str]) -> str:
    token = match.group(0)
    digits = sum(char.isdigit() for char in token)
    lookalikes = sum(char in "OolI|" for char in token)
    # Only tokens that are mostly digits: "IO" or "DO" alone stay words.
    if lookalikes == 0 or digits < 2 or lookalikes * 2 > digits:
        return token
    return token.translate(_DIGIT_LOOKALIKES)
