"""Payment codes: the bank slip's 47-digit line (DANF3E) and the 48-digit utility line (MATRÍCULA)."""

from __future__ import annotations

import re

from faturas.extraction.common_fields import barcode_from_payment_line, find_payment_line
from faturas.extraction.numbers import digits_only

#: "12345.67890 12345.678901 12345.678901 1 99990000012345": a bank slip's typeable line.
#: Matched from the first field's dot, its five digits (no digit before them) checked behind it: a
#: pattern opening with a literal lets the regex engine skip ahead to it, where one opening with a digit
#: is tried at every digit of the bill. The match starts at the dot, five digits into the line.
_BANK_SLIP_RE = re.compile(r"\.(?<=(?<!\d)\d{5}\.)(\d{5}) (\d{5}\.\d{6}) (\d{5}\.\d{6}) (\d) (\d{14})(?!\d)")


def payment_codes(text: str) -> tuple[str | None, str | None]:
    """The utility payment line (when the bill prints one) and the barcode it or the bank slip encodes."""
    line = find_payment_line(text)
    if line is not None:
        return line, barcode_from_payment_line(line)
    match = _BANK_SLIP_RE.search(text)
    if match is None:
        return None, None
    first_end, second, third, check, value = (digits_only(group) for group in match.groups())
    first = digits_only(text[match.start() - 5 : match.start()]) + first_end
    # A bank slip's barcode moves the check digit and the due factor/value ahead of the free field.
    return None, first[:4] + check + value + first[4:9] + second[:10] + third[:10]
