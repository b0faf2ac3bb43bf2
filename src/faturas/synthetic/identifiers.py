"""NF3e access keys and utility payment lines with valid check digits, built from bill values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from faturas.extraction.check_digits import febraban_mod11_digit, mod10_digit, mod11_digit

#: CEMIG Distribuição S.A., the issuer every synthetic key and page names.
CEMIG_CNPJ = "06981180000116"

#: IBGE code of Minas Gerais, the first two digits of CEMIG's keys.
MG_STATE_CODE = "31"

#: NF3e model number, at digits 21-22 of the key.
NF3E_MODEL = "66"

#: CEMIG's company code in the FEBRABAN barcode (digits 16-19).
CEMIG_FEBRABAN_CODE = "0138"


def nf3e_access_key(
    issue_date: date,
    series: str,
    number: str,
    random_code: str,
    contingency: bool = False,
    state: str = MG_STATE_CODE,
    cnpj: str = CEMIG_CNPJ,
) -> str:
    """cUF, AAMM, CNPJ, model, series, number, emission type, code, then the mod-11 check digit."""
    emission_type = "2" if contingency else "1"
    body = f"{state}{issue_date:%y%m}{cnpj}{NF3E_MODEL}{int(series):03d}{int(number):09d}{emission_type}{random_code}"
    if len(body) != 43 or not body.isdigit():
        raise ValueError(f"access key body must have 43 digits: {body!r}")
    return body + str(mod11_digit(body))


def utility_barcode(total: Decimal, free_field: str, company: str = CEMIG_FEBRABAN_CODE) -> str:
    """A 44-digit FEBRABAN utility barcode: 8 (utility), 3 (electricity), 6 (value in R$, mod 10)."""
    cents = int((total * 100).to_integral_value())
    if cents < 0 or cents >= 10**11:
        raise ValueError(f"total cannot be encoded in a payment line: {total}")
    without_digit = f"836{cents:011d}{company}{free_field}"
    if len(without_digit) != 43 or not without_digit.isdigit():
        raise ValueError(f"barcode body must have 43 digits: {without_digit!r}")
    general_digit = mod10_digit(without_digit)
    return without_digit[:3] + str(general_digit) + without_digit[3:]


def payment_line_of(barcode: str) -> str:
    """The 48-digit payment line: four 11-digit blocks, each followed by its own check digit."""
    digit_of = mod10_digit if barcode[2] in "67" else febraban_mod11_digit
    blocks = [barcode[start : start + 11] for start in range(0, 44, 11)]
    return "".join(block + str(digit_of(block)) for block in blocks)


def format_payment_line(line: str) -> str:
    """As bills print it: "83610000002-3 45670138001-2 12345678901-4 00012345678-9"."""
    return " ".join(f"{line[start : start + 11]}-{line[start + 11]}" for start in range(0, 48, 12))
