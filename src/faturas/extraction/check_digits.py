"""Check digits of the identifiers bills print (NF3e key, payment line blocks)."""

from __future__ import annotations

from itertools import cycle
from operator import mul

#: The weights of the module-11 checks, from the right.
_MOD11_WEIGHTS = range(2, 10)

#: A digit times 2, its digits summed (module 10).
_DOUBLED_DIGIT_SUM = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _weighted_sum(digits: str) -> int:
    # map over C iterators: several times faster than a generator of Python steps, same int() of each digit.
    return sum(map(mul, map(int, reversed(digits)), cycle(_MOD11_WEIGHTS)))


def mod11_digit(digits: str) -> int:
    """NF-e/NF3e style: weights 2..9 from the right; remainders 0 and 1 give 0."""
    remainder = _weighted_sum(digits) % 11
    return 0 if remainder < 2 else 11 - remainder


def mod10_digit(digits: str) -> int:
    """FEBRABAN module 10: weights 2,1,2,1… from the right, digits of products summed."""
    backwards = digits[::-1]
    doubled = sum(map(_DOUBLED_DIGIT_SUM.__getitem__, map(int, backwards[0::2])))
    total = doubled + sum(map(int, backwards[1::2]))
    return (10 - total % 10) % 10


def febraban_mod11_digit(digits: str) -> int:
    """FEBRABAN module 11 for utility barcodes: weights 2..9 from the right; 0, 1 and 10 give 0."""
    remainder = _weighted_sum(digits) % 11
    return 0 if remainder in (0, 1) else 11 - remainder


def access_key_is_valid(key: str) -> bool:
    return len(key) == 44 and key.isdigit() and mod11_digit(key[:43]) == int(key[43])


def payment_line_blocks_are_valid(line: str) -> bool:
    """Each 12-digit block of a utility payment line ends in its check digit."""
    if len(line) != 48 or not line.isdigit():
        return False
    use_mod10 = line[2] in "67"
    digit_of = mod10_digit if use_mod10 else febraban_mod11_digit
    return all(digit_of(line[start : start + 11]) == int(line[start + 11]) for start in range(0, 48, 12))
