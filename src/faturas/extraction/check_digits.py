"""Check digits of the identifiers bills print (NF3e key, payment line blocks)."""

from __future__ import annotations


def mod11_digit(digits: str) -> int:
    """NF-e/NF3e style: weights 2..9 from the right; remainders 0 and 1 give 0."""
    total = sum(int(digit) * (2 + index % 8) for index, digit in enumerate(reversed(digits)))
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def mod10_digit(digits: str) -> int:
    """FEBRABAN module 10: weights 2,1,2,1… from the right, digits of products summed."""
    total = 0
    for index, digit in enumerate(reversed(digits)):
        product = int(digit) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def febraban_mod11_digit(digits: str) -> int:
    """FEBRABAN module 11 for utility barcodes: weights 2..9 from the right; 0, 1 and 10 give 0."""
    total = sum(int(digit) * (2 + index % 8) for index, digit in enumerate(reversed(digits)))
    remainder = total % 11
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
