"""Consistent value mutations of a real bill: its text and its truth changed together.

A template that reads the corpus bills may still depend on their incidental values (an amount's digit
count, a month, a number's length). Each mutation replaces one kind of value everywhere the bill prints
it and in the truth, so the mutated text is another plausible bill of the same layout with a known
reading. Nothing here knows a corpus value: every original comes from the truth file at run time.
"""

from __future__ import annotations

import calendar
import copy
import random
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from typing import Any

from faturas.domain.reference_month import MONTH_ABBREVIATIONS
from faturas.extraction.numbers import MONTH_NAMES, strip_accents

Truth = dict[str, Any]

#: A number token as a whole: no word character, decimal mark or date/time separator glued to it, no
#: percent sign after it (a leading minus is a sign unless a word character precedes it).
_NUMBER_BEFORE = r"(?<![\w.,/:])(?<!\w-)"
_NUMBER_AFTER = r"(?![\w/:%]|[.,]\d)"
_WORD_BEFORE = r"(?<![\w/-])"
_WORD_AFTER = r"(?![\w]|[/-]\w)"


@dataclass(frozen=True)
class Case:
    name: str
    pages: tuple[str, ...]
    truth: Truth


@dataclass(frozen=True)
class Mutation:
    case: Case
    #: Original printed token -> its replacement (for the report when a mutated bill is misread).
    replaced: dict[str, str]
    #: The holder's name the mutated bill must be read with, where the mutation changed it.
    holder_name: str | None = None


def invoices(truth: Truth) -> Iterator[Truth]:
    """The truth and its sub-invoices (a collective bill's pages)."""
    yield truth
    yield from truth.get("sub_invoices") or ()


def rng_for(case: Case, kind: str) -> random.Random:
    return random.Random(zlib.crc32(f"{case.name}:{kind}".encode()))


# --- numbers -------------------------------------------------------------------------------------


def decimals_of(value: str) -> int:
    return len(value.partition(".")[2])


def pt_br(value: Decimal, decimals: int, thousands: bool) -> str:
    """``value`` (not negative) as a bill prints it: "1.234,56", or "1234,56" without thousands dots."""
    text = f"{value:.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if thousands:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + fraction if fraction else "")


def printed_forms(value: str) -> list[str]:
    """The pt-BR tokens the truth value ``value`` (its absolute value) may be printed as."""
    number = abs(Decimal(value))
    decimals = decimals_of(value)
    forms = {pt_br(number, decimals, True), pt_br(number, decimals, False)}
    return sorted(forms)


def number_pattern(tokens: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(token) for token in sorted(tokens, key=len, reverse=True))
    return re.compile(f"{_NUMBER_BEFORE}(?:{alternatives}){_NUMBER_AFTER}")


def occurs(text: str, token: str) -> bool:
    return number_pattern([token]).search(text) is not None


def replace_tokens(pages: tuple[str, ...], mapping: dict[str, str], words: bool = False) -> tuple[str, ...]:
    """Every whole occurrence of each key replaced by its value, in one pass (no replacement is replaced)."""
    if not mapping:
        return pages
    alternatives = "|".join(re.escape(token) for token in sorted(mapping, key=len, reverse=True))
    before, after = (_WORD_BEFORE, _WORD_AFTER) if words else (_NUMBER_BEFORE, _NUMBER_AFTER)
    pattern = re.compile(f"{before}(?:{alternatives}){after}")
    return tuple(pattern.sub(lambda match: mapping[match.group()], page) for page in pages)


def other_magnitude(value: Decimal, decimals: int, rng: random.Random) -> Decimal:
    """A value with another number of integer digits than ``value``, as many decimals, and a fraction
    only where ``value`` has one ("300,000" kWh stays a whole number)."""
    digits = len(str(int(value)))
    count = rng.choice([count for count in (1, 2, 3, 4, 5) if count != digits])
    low = 1 if count == 1 else 10 ** (count - 1)
    if value == value.to_integral_value():
        return Decimal(rng.randrange(low, 10**count))
    scale: int = 10**decimals
    return Decimal(rng.randrange(low * scale, 10**count * scale)) / scale


def other_price(value: Decimal, decimals: int, rng: random.Random) -> Decimal:
    """Another plausible unit price (R$ 0,10 to R$ 30,00), as many decimals."""
    scale: int = 10**decimals
    while (new := Decimal(rng.randrange(max(scale // 10, 1), 30 * scale)) / scale) == value:
        pass
    return new


def _numeric_fields(truth: Truth) -> Iterator[tuple[str, str]]:
    """(kind, value) of every numeric truth value: amounts, quantities, unit prices."""
    for invoice in invoices(truth):
        for field in ("total_amount", "public_lighting_amount"):
            if invoice.get(field) is not None:
                yield "amounts", invoice[field]
        for field in ("energy_kwh", "scee_kwh", "compensated_kwh"):
            if invoice.get(field) is not None:
                yield "quantities", invoice[field]
        for item in invoice.get("items") or ():
            for field, kind in (("amount", "amounts"), ("quantity", "quantities"), ("unit_price", "unit_prices")):
                if item.get(field) is not None:
                    yield kind, item[field]


def _tokens_of(truth: Truth, kinds: set[str]) -> set[str]:
    tokens = {form for kind, value in _numeric_fields(truth) if kind in kinds for form in printed_forms(value)}
    if "identifiers" in kinds:
        for invoice in invoices(truth):
            for field in ("client_number", "installation_number"):
                if invoice.get(field):
                    tokens.add(invoice[field])
    return tokens


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _is_metered(item: Truth) -> bool:
    """Whether the item bills quantity × unit price (to the tariff's printed rounding)."""
    quantity, price, amount = _dec(item.get("quantity")), _dec(item.get("unit_price")), _dec(item.get("amount"))
    if quantity is None or price is None or amount is None or quantity == 0 or price == 0:
        return False
    return abs(abs(quantity * price) - abs(amount)) <= max(Decimal("0.02"), abs(amount) / 200)


def _fmt(value: Decimal, like: str) -> str:
    return f"{value:.{decimals_of(like)}f}"


class _Conflict(Exception):
    """One printed value would need two replacements: draw again."""


class _Numbers:
    """New absolute values for printed numbers, with the truth tokens each original is printed as."""

    def __init__(self, text: str, protected: set[str]) -> None:
        self.text, self.protected = text, protected
        self.new: dict[tuple[Decimal, int], Decimal] = {}
        self.fixed: set[tuple[Decimal, int]] = set()

    def printable(self, value: str) -> bool:
        forms = printed_forms(value)
        return not any(form in self.protected for form in forms) and any(occurs(self.text, form) for form in forms)

    def set(self, value: str, new_abs: Decimal) -> None:
        key = (abs(Decimal(value)), decimals_of(value))
        if key[0] == 0 or new_abs == key[0]:
            if new_abs != key[0] or key in self.new:
                raise _Conflict
            self.fixed.add(key)
            return
        if key in self.fixed or self.new.setdefault(key, new_abs) != new_abs:
            raise _Conflict

    def draw(self, value: str, rng: random.Random, price: bool = False) -> str:
        """``value`` with a new magnitude (the same one for every value printed alike)."""
        number = Decimal(value)
        key = (abs(number), decimals_of(value))
        if number == 0 or key in self.fixed or not self.printable(value):
            return value
        if key not in self.new:
            self.new[key] = other_price(key[0], key[1], rng) if price else other_magnitude(key[0], key[1], rng)
        return _fmt(self.new[key].copy_sign(number), value)

    def tokens(self) -> dict[str, str]:
        """Replacements in each printed form; a value printed alike in both (under 1.000) takes the
        bill's style for its new value."""
        dots = _THOUSANDS_RE.search(self.text) is not None or _PLAIN_THOUSANDS_RE.search(self.text) is None
        tokens = {}
        for (number, decimals), new in self.new.items():
            for thousands in (not dots, dots):
                tokens[pt_br(number, decimals, thousands)] = pt_br(new, decimals, thousands)
        return tokens


_THOUSANDS_RE = re.compile(r"(?<![\d.])\d{1,3}\.\d{3},\d")
_PLAIN_THOUSANDS_RE = re.compile(r"(?<![\d.])\d{4,},\d{2}(?!\d)")


#: What each kWh figure is made of: the lines whose description names it.
_FIGURE_LINES = {
    "energy_kwh": re.compile(r"consumo|energia el|^energia$", re.IGNORECASE),
    "scee_kwh": re.compile(r"scee|comp\.|tribut", re.IGNORECASE),
    "compensated_kwh": re.compile(r"compens|injet|\bcomp\b|inj\.", re.IGNORECASE),
    "public_lighting_amount": re.compile(r"ilum|cosip|cip\b", re.IGNORECASE),
}


def _figure(value: str, originals: list[str], news: list[str]) -> str | None:
    """The new figure for one that is the (absolute) sum of some original parts; None when none adds up."""
    olds = [abs(Decimal(part)) for part in originals]
    target = abs(Decimal(value))
    for size in range(1, min(len(olds), 6) + 1):
        for chosen in combinations(range(len(olds)), size):
            if sum((olds[index] for index in chosen), Decimal(0)) == target:
                total = sum((abs(Decimal(news[index])) for index in chosen), Decimal(0))
                return _fmt(total.copy_sign(Decimal(value)) if Decimal(value) else total, value)
    return None


def _mutate_numbers(case: Case, kind: str) -> Mutation | None:
    """Change one kind of item number and whatever follows from it: metered amounts (quantity × price),
    totals (the sum of their items) and the kWh figures (sums of their lines)."""
    text = "\f".join(case.pages)
    owned = {"amounts": {"amounts"}, "quantities": {"quantities", "amounts"}, "unit_prices": {"unit_prices", "amounts"}}
    protected = _tokens_of(case.truth, {"amounts", "quantities", "unit_prices", "identifiers"} - owned[kind])
    rng = rng_for(case, kind)
    for _attempt in range(30):
        try:
            mutated = _draw_numbers(case, kind, _Numbers(text, protected), rng)
        except _Conflict:
            continue
        if mutated is not None:
            return mutated
    return None


def _draw_numbers(case: Case, kind: str, numbers: _Numbers, rng: random.Random) -> Mutation | None:
    truth = copy.deepcopy(case.truth)
    originals = list(invoices(case.truth))
    for original, invoice in reversed(list(zip(originals, invoices(truth), strict=True))):
        old_items, items = original.get("items") or [], invoice.get("items") or []
        for old, item in zip(old_items, items, strict=True):
            metered = _is_metered(old)
            if kind == "quantities" and old.get("quantity") is not None:
                item["quantity"] = numbers.draw(old["quantity"], rng)
            if kind == "unit_prices" and old.get("unit_price") is not None and metered:
                item["unit_price"] = numbers.draw(old["unit_price"], rng, price=True)
            if metered and (item["quantity"], item["unit_price"]) != (old["quantity"], old["unit_price"]):
                quantity, price = abs(Decimal(item["quantity"])), abs(Decimal(item["unit_price"]))
                before = abs(Decimal(old["quantity"])) * abs(Decimal(old["unit_price"]))
                drift = abs(Decimal(old["amount"])) - before.quantize(Decimal("0.01"))
                new_abs = (quantity * price).quantize(Decimal("0.01")) + drift
                if new_abs <= 0 or not numbers.printable(old["amount"]):
                    raise _Conflict
                numbers.set(old["amount"], new_abs)
                item["amount"] = _fmt(new_abs.copy_sign(Decimal(old["amount"])), old["amount"])
            elif metered:
                numbers.set(old["amount"], abs(Decimal(old["amount"])))
        balancing = _balancing_item(original) if kind == "amounts" else None
        for position, (old, item) in enumerate(zip(old_items, items, strict=True)):
            if _is_metered(old) or position == balancing:
                continue
            if kind == "amounts":
                item["amount"] = numbers.draw(old["amount"], rng)
            elif numbers.printable(old["amount"]):
                numbers.set(old["amount"], abs(Decimal(old["amount"])))
        if balancing is not None:
            # A bill whose credits cancel its charges: the largest credit still does.
            rest = sum((Decimal(item["amount"]) for index, item in enumerate(items) if index != balancing), Decimal(0))
            old = old_items[balancing]["amount"]
            if rest <= 0 or not numbers.printable(old):
                raise _Conflict
            numbers.set(old, rest)
            items[balancing]["amount"] = _fmt(-rest, old)
        _settle_total(original, invoice, numbers)
        for figure, lines in _FIGURE_LINES.items():
            if invoice.get(figure) is None:
                continue
            field = "amount" if figure == "public_lighting_amount" else "quantity"
            chosen = [(old, item) for old, item in zip(old_items, items, strict=True) if old.get(field) is not None]
            for subset in ([pair for pair in chosen if lines.search(pair[0]["description"])], chosen):
                new = _figure(invoice[figure], [old[field] for old, _ in subset], [item[field] for _, item in subset])
                if new is not None:
                    if new != invoice[figure] and numbers.printable(invoice[figure]):
                        numbers.set(invoice[figure], abs(Decimal(new)))
                    invoice[figure] = new
                    break
    return _finish(case, truth, numbers.tokens())


def _balancing_item(invoice: Truth) -> int | None:
    """The largest unmetered credit of an invoice whose items add up to a zero total."""
    items = invoice.get("items") or []
    if invoice.get("total_amount") is None or Decimal(invoice["total_amount"]) != 0 or not items:
        return None
    if sum((Decimal(item["amount"]) for item in items), Decimal(0)) != 0:
        return None
    credits = [(Decimal(item["amount"]), index) for index, item in enumerate(items) if not _is_metered(item)]
    amount, index = min(credits, default=(Decimal(0), -1))
    return index if amount < 0 else None


def _settle_total(original: Truth, invoice: Truth, numbers: _Numbers) -> None:
    """The new total of an invoice whose items (or grouped invoices) add up to it."""
    if original.get("total_amount") is None:
        return
    subs = original.get("sub_invoices") or []
    field, olds, news = (
        ("total_amount", subs, invoice["sub_invoices"]) if subs else ("amount", original["items"], invoice["items"])
    )
    old_total = Decimal(original["total_amount"])
    if not olds or sum((Decimal(part[field]) for part in olds), Decimal(0)) != old_total:
        return
    new_total = sum((Decimal(part[field]) for part in news), Decimal(0))
    if new_total == old_total:
        return
    if old_total == 0 or new_total.copy_sign(old_total) != new_total or not numbers.printable(original["total_amount"]):
        raise _Conflict
    numbers.set(original["total_amount"], abs(new_total))
    invoice["total_amount"] = _fmt(new_total, original["total_amount"])


def mutate_amounts(case: Case) -> Mutation | None:
    """Amounts of the unmetered items to other magnitudes, and the totals they add up to."""
    return _mutate_numbers(case, "amounts")


def mutate_quantities(case: Case) -> Mutation | None:
    """Item quantities to other magnitudes (decimals as printed); metered amounts and totals follow."""
    return _mutate_numbers(case, "quantities")


def mutate_unit_prices(case: Case) -> Mutation | None:
    """Unit prices of metered items (decimals as printed); their amounts and the totals follow."""
    return _mutate_numbers(case, "unit_prices")


# --- identifiers ---------------------------------------------------------------------------------


def _new_identifier(value: str, rng: random.Random, change: int) -> str:
    """Other digits in the same places (letters and separators kept); ``change`` digits more or fewer."""
    chars = [rng.choice("123456789") if char.isdigit() else char for char in value]
    runs = [match.span() for match in re.finditer(r"\d+", value)]
    if change and runs:
        start, end = max(runs, key=lambda span: span[1] - span[0])
        if change > 0:
            chars[end:end] = [rng.choice("0123456789") for _ in range(change)]
        elif end - start > 1:
            del chars[start : start - change]
    new = "".join(chars)
    return new if new != value else _new_identifier(value, rng, change)


def _mutate_identifiers(case: Case, kind: str, change: int) -> Mutation | None:
    rng = rng_for(case, kind)
    text = "\f".join(case.pages)
    mapping: dict[str, str] = {}
    for invoice in invoices(case.truth):
        for field in ("client_number", "installation_number"):
            value = invoice.get(field)
            if not value or value in mapping:
                continue
            if not re.search(f"{_WORD_BEFORE}{re.escape(value)}{_WORD_AFTER}", text):
                continue
            mapping[value] = _new_identifier(value, rng, change)
    truth = copy.deepcopy(case.truth)
    for invoice in invoices(truth):
        for field in ("client_number", "installation_number"):
            if invoice.get(field) in mapping:
                invoice[field] = mapping[invoice[field]]
    if not mapping:
        return None
    pages = replace_tokens(case.pages, mapping, words=True)
    return Mutation(Case(case.name, pages, truth), mapping)


def mutate_identifiers(case: Case) -> Mutation | None:
    """Client and installation numbers: same length, other digits."""
    return _mutate_identifiers(case, "identifiers", 0)


def mutate_identifiers_longer(case: Case) -> Mutation | None:
    return _mutate_identifiers(case, "identifiers_longer", 1)


def mutate_identifiers_shorter(case: Case) -> Mutation | None:
    return _mutate_identifiers(case, "identifiers_shorter", -1)


# --- dates ---------------------------------------------------------------------------------------

_ABBREVIATIONS = "|".join(MONTH_ABBREVIATIONS)
_NAMES = "|".join(["MARÇO", *MONTH_NAMES])
_FULL_DATE_RE = re.compile(r"(?<![\d/.])(\d{2})([/.])(\d{2})\2(\d{4}|\d{2})(?![\d/]|\.\d)")
_MONTH_YEAR_RE = re.compile(r"(?<![\d/.])(\d{1,2})/(\d{4})(?![\d/])")
_PAIR_RE = re.compile(r"(?<![\d/.,])(\d{2})/(\d{2})(?![\d/]|[.,]\d)")
_ABBREVIATION_RE = re.compile(rf"(?<![^\W\d_])({_ABBREVIATIONS})(/)(\d{{4}}|\d{{2}})(?!\d)", re.IGNORECASE)
_NAME_RE = re.compile(rf"(?<![^\W\d_])({_NAMES})(\s*/\s*|\s+de\s+)(\d{{4}})(?!\d)", re.IGNORECASE)


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _day_in(year: int, month: int, day: int) -> int:
    return min(day, calendar.monthrange(year, month)[1])


def _year_text(year: int, printed: str) -> str:
    return f"{year % 100:02d}" if len(printed) == 2 else f"{year:04d}"


def _styled(word: str, like: str) -> str:
    if like.isupper():
        return word.upper()
    if like.islower():
        return word.lower()
    return word.capitalize()


def _month_name(month: int, like: str) -> str:
    name = MONTH_NAMES[month - 1]
    if name == "MARCO" and strip_accents(like) != like:
        name = "MARÇO"
    return _styled(name, like)


def shift_dates(text: str, months: int, reference_pairs: set[tuple[int, int]]) -> str:
    """Every date and month in ``text`` moved by ``months`` (days kept where the new month has them).

    Two two-digit numbers ("12/01") are a day and a month, unless they are a reference month's
    month and year ("04/22" under "MÊS/ANO").
    """

    def full_date(match: re.Match[str]) -> str:
        day, sep, month, year = match.groups()
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        if not 1 <= int(month) <= 12:
            return match.group()
        new_year, new_month = _shift(full_year, int(month), months)
        new_day = _day_in(new_year, new_month, int(day))
        return f"{new_day:02d}{sep}{new_month:02d}{sep}{_year_text(new_year, year)}"

    def month_year(match: re.Match[str]) -> str:
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            return match.group()
        new_year, new_month = _shift(year, month, months)
        return f"{new_month:0{len(match.group(1))}d}/{new_year:04d}"

    def pair(match: re.Match[str]) -> str:
        first, second = int(match.group(1)), int(match.group(2))
        if (first, second) in reference_pairs:
            new_year, new_month = _shift(2000 + second, first, months)
            return f"{new_month:02d}/{new_year % 100:02d}"
        if not (1 <= first <= 31 and 1 <= second <= 12):
            return match.group()
        _year, new_month = _shift(2001, second, months)  # a year without 29/02
        return f"{_day_in(2001, new_month, first):02d}/{new_month:02d}"

    def abbreviation(match: re.Match[str]) -> str:
        name, sep, year = match.groups()
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        new_year, new_month = _shift(full_year, MONTH_ABBREVIATIONS.index(name.upper()) + 1, months)
        return _styled(MONTH_ABBREVIATIONS[new_month - 1], name) + sep + _year_text(new_year, year)

    def name(match: re.Match[str]) -> str:
        printed, sep, year = match.groups()
        month = MONTH_NAMES.index(strip_accents(printed).upper()) + 1
        new_year, new_month = _shift(int(year), month, months)
        return _month_name(new_month, printed) + sep + f"{new_year:04d}"

    text = _FULL_DATE_RE.sub(full_date, text)
    text = _MONTH_YEAR_RE.sub(month_year, text)
    text = _PAIR_RE.sub(pair, text)
    text = _ABBREVIATION_RE.sub(abbreviation, text)
    return _NAME_RE.sub(name, text)


def mutate_dates(case: Case) -> Mutation | None:
    """Every date and month of the bill (and of its item descriptions) moved by the same number of months."""
    rng = rng_for(case, "dates")
    months = rng.choice([m for m in range(-30, 31) if abs(m) >= 2])
    references = {invoice["reference_month"] for invoice in invoices(case.truth) if invoice.get("reference_month")}
    pairs = {(int(value[5:7]), int(value[2:4])) for value in references}
    pages = tuple(shift_dates(page, months, pairs) for page in case.pages)
    truth = copy.deepcopy(case.truth)
    for invoice in invoices(truth):
        if invoice.get("reference_month"):
            year, month = _shift(int(invoice["reference_month"][:4]), int(invoice["reference_month"][5:7]), months)
            invoice["reference_month"] = f"{year:04d}-{month:02d}"
        if invoice.get("due_date"):
            old_year, old_month, old_day = (int(part) for part in invoice["due_date"].split("-"))
            year, month = _shift(old_year, old_month, months)
            invoice["due_date"] = f"{year:04d}-{month:02d}-{_day_in(year, month, old_day):02d}"
        for item in invoice.get("items") or ():
            item["description"] = shift_dates(item["description"], months, pairs)
    return Mutation(Case(case.name, pages, truth), {"months": str(months)})


def mutate_due_date(case: Case) -> Mutation | None:
    """Only the due date moved by some days (so it falls another number of days after the reference month)."""
    from datetime import date, timedelta

    rng = rng_for(case, "due_date")
    text = "\f".join(case.pages)
    dues = {invoice["due_date"] for invoice in invoices(case.truth) if invoice.get("due_date")}
    mapping: dict[str, str] = {}
    moved: dict[str, str] = {}
    for due in sorted(dues):
        old = date.fromisoformat(due)
        for _attempt in range(20):
            new = old + timedelta(days=rng.choice([d for d in range(-12, 25) if d]))
            printed = {f"{old:%d/%m/%Y}": f"{new:%d/%m/%Y}", f"{old:%d.%m.%Y}": f"{new:%d.%m.%Y}"}
            if not any(_date_occurs(text, shown) for shown in printed.values()):
                break
        else:
            return None
        if not any(_date_occurs(text, shown) for shown in printed):
            continue
        mapping.update(printed)
        moved[due] = new.isoformat()
    if not moved:
        return None
    truth = copy.deepcopy(case.truth)
    for invoice in invoices(truth):
        if invoice.get("due_date") in moved:
            invoice["due_date"] = moved[invoice["due_date"]]
    pattern = re.compile("(?<![\\d/.])(?:" + "|".join(map(re.escape, mapping)) + ")(?![\\d/]|\\.\\d)")
    pages = tuple(pattern.sub(lambda match: mapping[match.group()], page) for page in case.pages)
    return Mutation(Case(case.name, pages, truth), mapping)


def _date_occurs(text: str, shown: str) -> bool:
    return re.search(rf"(?<![\d/.]){re.escape(shown)}(?![\d/]|\.\d)", text) is not None


def _finish(case: Case, truth: Truth, tokens: dict[str, str]) -> Mutation | None:
    tokens = {old: new for old, new in tokens.items() if old != new}
    if not tokens:
        return None
    return Mutation(Case(case.name, replace_tokens(case.pages, tokens), truth), tokens)


MUTATIONS: dict[str, Callable[[Case], Mutation | None]] = {
    "amounts": mutate_amounts,
    "quantities": mutate_quantities,
    "unit_prices": mutate_unit_prices,
    "dates": mutate_dates,
    "due_date": mutate_due_date,
    "identifiers": mutate_identifiers,
    "identifiers_longer": mutate_identifiers_longer,
    "identifiers_shorter": mutate_identifiers_shorter,
}


# --- item rows -----------------------------------------------------------------------------------

#: What may follow a description on its row: numbers, percentages, units, a "MON/YY" month.
_ROW_TAIL_TOKEN_RE = re.compile(r"-?[\d.,]+%?-?|k?VA?r?h|kWh|KWH|R\$|[A-Z]{3}/\d{2}", re.IGNORECASE)
#: Before a description: a short code ("0807") or nothing.
_ROW_HEAD_RE = re.compile(r"\S{1,6}")
#: Charges any bill may add (none names an energy, lighting or compensation line).
EXTRA_DESCRIPTIONS = (
    "Juros Moratórios",
    "Multa Por Atraso No Pagamento",
    "Doação Ação Social",
    "Religação Normal",
    "Taxa De Vistoria Técnica",
)
CREDIT_DESCRIPTIONS = ("Devolução Pagamento Em Duplicidade", "Crédito Ajuste De Faturamento", "Desconto Tarifa Social")


@dataclass(frozen=True)
class _Row:
    page: int
    line: int
    head: str  # the line up to the description
    tail: str  # the line after it
    #: Where a layout prints its table column by column: the amount's own line (the description's is ``line``).
    amount_line: int | None = None


def _item_rows(case: Case, invoice: Truth) -> list[_Row | None]:
    """The one line each unmetered item of ``invoice`` is printed on, alone, or None."""
    pages = [invoice["page"] - 1] if "page" in invoice else range(len(case.pages))
    rows: list[_Row | None] = []
    for item in invoice.get("items") or ():
        found = []
        description = " ".join(item["description"].split())
        for page in pages:
            for index, line in enumerate(case.pages[page].split("\n")):
                folded = " ".join(line.split())
                at = folded.find(description)
                if at < 0:
                    continue
                head, tail = folded[:at].strip(), folded[at + len(description) :].split()
                if head and not _ROW_HEAD_RE.fullmatch(head):
                    continue
                if tail and not all(_ROW_TAIL_TOKEN_RE.fullmatch(token) for token in tail):
                    continue
                if not any(token.strip("-") in printed_forms(item["amount"]) for token in tail):
                    continue
                found.append(_Row(page, index, head, " ".join(tail)))
        metered = item.get("quantity") is not None and Decimal(item["quantity"]) != 0
        if metered:
            rows.append(None)
        elif found:
            rows.append(found[0] if len(found) == 1 else None)
        else:
            rows.append(_column_row(case, pages, description, item["amount"]))
    return rows


_UNIT_OR_RATE_RE = re.compile(r"k?VA?r?h|kWh|[\d.,]+ ?%", re.IGNORECASE)


def _column_row(case: Case, pages: Iterable[int], description: str, amount: str) -> _Row | None:
    """A description alone on its line, with the nearest line that is the amount alone."""
    forms = set(printed_forms(amount))
    negative = Decimal(amount) < 0
    found = []
    for page in pages:
        lines = [" ".join(line.split()) for line in case.pages[page].split("\n")]
        for index, line in enumerate(lines):
            if line != description:
                continue
            amounts = [
                other
                for other, text in enumerate(lines)
                if (text.startswith("-") or text.endswith("-")) == negative and text.strip("-") in forms
            ]
            if not amounts:
                continue
            nearest = min(abs(other - index) for other in amounts)
            closest = [other for other in amounts if abs(other - index) == nearest]
            between = lines[min(index, closest[0]) + 1 : max(index, closest[0])]
            # A unit or a rate between them belongs to the row's other columns, which cannot be told apart here.
            if len(closest) == 1 and not any(_UNIT_OR_RATE_RE.fullmatch(text) for text in between):
                found.append(_Row(page, index, "", "", closest[0]))
    return found[0] if len(found) == 1 else None


def _refigure(invoice: Truth, original: Truth) -> None:
    """The public-lighting figure again, from the lighting lines left."""
    if original.get("public_lighting_amount") is None:
        return
    lines = _FIGURE_LINES["public_lighting_amount"]
    lighting = [item for item in original.get("items") or () if lines.search(item["description"])]
    if sum((Decimal(item["amount"]) for item in lighting), Decimal(0)) != Decimal(original["public_lighting_amount"]):
        return  # read some other way: left as it is
    kept = [item for item in invoice.get("items") or () if lines.search(item["description"])]
    invoice["public_lighting_amount"] = (
        _fmt(sum((Decimal(item["amount"]) for item in kept), Decimal(0)), original["public_lighting_amount"])
        if kept
        else None
    )


def _edit_rows(case: Case, kind: str) -> Mutation | None:
    """Drop one unmetered item row (``drop_item``) or add one after it (``extra_item``); totals follow."""
    rng = rng_for(case, kind)
    truth = copy.deepcopy(case.truth)
    originals, copies = list(invoices(case.truth)), list(invoices(truth))
    candidates = [
        (number, position, row)
        for number, original in enumerate(originals)
        if original.get("items") and original.get("total_amount") is not None
        for position, row in enumerate(_item_rows(case, original))
        # Rows printed column by column only dropped after the first two: the writers of such tables
        # emit their first rows out of order, so which row is second depends on those left.
        if row is not None and (row.amount_line is None or (kind == "drop_item" and position >= 2))
    ]
    if not candidates:
        return None
    number, position, row = rng.choice(candidates)
    original, invoice = originals[number], copies[number]
    item = original["items"][position]
    pages = [page.split("\n") for page in case.pages]
    if kind == "drop_item":
        for line in sorted({row.line, row.amount_line if row.amount_line is not None else row.line}, reverse=True):
            del pages[row.page][line]
        del invoice["items"][position]
        change = -Decimal(item["amount"])
    else:
        amount = Decimal(rng.randrange(1, 100_000)) / 100
        sign: str | None = ""
        if kind == "credit_item":
            sign = _credit_style(case)
            total = abs(Decimal(original["total_amount"]))
            if not sign or total < 1:
                return None
            amount = -(Decimal(rng.randrange(1, int(total * 100))) / 100)
        code = item["description"].split()[0]
        words = rng.choice(CREDIT_DESCRIPTIONS if amount < 0 else EXTRA_DESCRIPTIONS)
        description = f"{code} {words}" if re.fullmatch(r"\(\w+\)", code) else words

        def printed(token: str) -> str:
            text = pt_br(abs(amount), 2, "." in token)
            return text if amount > 0 else f"-{text}" if sign == "leading" else f"{text}-"

        tail = " ".join(
            printed(token) if token.strip("-") in printed_forms(item["amount"]) else token for token in row.tail.split()
        )
        head = f"{row.head} " if row.head else ""
        pages[row.page].insert(row.line + 1, f"{head}{description} {tail}")
        invoice["items"].insert(position + 1, {**item, "description": description, "amount": f"{amount:.2f}"})
        change = amount
    text = "\f".join(case.pages)
    numbers = _Numbers(text, _tokens_of(case.truth, {"quantities", "unit_prices", "identifiers"}))
    try:
        for item_copy in invoice["items"]:
            numbers.set(item_copy["amount"], abs(Decimal(item_copy["amount"])))
        totals = [(original, invoice)] + ([(case.truth, truth)] if number else [])
        for old, new in totals:
            new_total = Decimal(old["total_amount"]) + change
            if new_total <= 0 or not numbers.printable(old["total_amount"]):
                return None
            numbers.set(old["total_amount"], new_total)
            new["total_amount"] = _fmt(new_total, old["total_amount"])
    except _Conflict:
        return None
    _refigure(invoice, original)
    tokens = {old: new for old, new in numbers.tokens().items() if old != new}
    edited = replace_tokens(tuple("\n".join(lines) for lines in pages), tokens)
    return Mutation(Case(case.name, edited, truth), {**tokens, "row": item["description"]})


def _credit_style(case: Case) -> str | None:
    """How the bill prints a negative amount ("-5,00" leading, "5,00-" trailing), if it prints one."""
    text = "\f".join(case.pages)
    for invoice in invoices(case.truth):
        for item in invoice.get("items") or ():
            if Decimal(item["amount"]) >= 0:
                continue
            for form in printed_forms(item["amount"]):
                if re.search(rf"(?<![\w.,])-{re.escape(form)}(?![\d.,])", text):
                    return "leading"
                if re.search(rf"(?<![\w.,]){re.escape(form)}-", text):
                    return "trailing"
    return None


def mutate_drop_item(case: Case) -> Mutation | None:
    """One unmetered item's row left out, as a bill without that charge prints it."""
    return _edit_rows(case, "drop_item")


def mutate_extra_item(case: Case) -> Mutation | None:
    """One more unmetered charge printed like an existing one, under another description."""
    return _edit_rows(case, "extra_item")


def mutate_credit_item(case: Case) -> Mutation | None:
    """One more charge, a credit, printed like an existing charge with the bill's minus sign."""
    return _edit_rows(case, "credit_item")


# --- holder --------------------------------------------------------------------------------------

#: Made-up names of other lengths, with and without accents, one a company's.
HOLDER_NAMES = (
    "ANA SÁ",
    "MARIA DAS GRAÇAS CONCEIÇÃO DE ASSUNÇÃO PEREIRA",
    "JOÃO D'ÁVILA FILHO",
    "PADARIA E CONFEITARIA SÃO JOSÉ LTDA ME",
)


def mutate_holder(case: Case) -> Mutation | None:
    """The holder's name (as the bill is read now) replaced wherever it is printed by another."""
    from faturas.extraction.extract import extract_from_text
    from faturas.extraction.pdf_text import PdfText

    holder = extract_from_text(PdfText(case.pages)).holder_name
    if not holder or not any(holder in page for page in case.pages):
        return None
    new = rng_for(case, "holder").choice(HOLDER_NAMES)
    new = new if holder.isupper() else new.title()
    pattern = re.compile(rf"(?<!\w){re.escape(holder)}(?!\w)")
    pages = tuple(pattern.sub(lambda _match: new, page) for page in case.pages)
    return Mutation(Case(case.name, pages, case.truth), {holder: new}, holder_name=new)


MUTATIONS.update(
    {
        "drop_item": mutate_drop_item,
        "extra_item": mutate_extra_item,
        "credit_item": mutate_credit_item,
        "holder": mutate_holder,
    }
)
