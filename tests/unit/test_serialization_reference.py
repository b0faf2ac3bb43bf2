"""to_jsonable chooses its conversion once per type: its output must equal the plain isinstance chain's."""

from __future__ import annotations

import dataclasses
import functools
import json
import random
from datetime import date, datetime
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any, NamedTuple

import pytest

from faturas.domain.invoice import Invoice, MeterReading, Tax, ValidationWarning
from faturas.domain.reference_month import ReferenceMonth
from faturas.domain.serialization import invoice_to_dict, to_jsonable
from faturas.extraction.extract import extract_invoice
from faturas.synthetic import random_bill, render_cemig_danf3e


def _reference(value: Any) -> Any:
    """The conversion as first written, one isinstance test after another, kept here as the yardstick."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date | ReferenceMonth):
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Invoice):
        return _reference_invoice(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _reference(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_reference(item) for item in value]
    return value


def _reference_invoice(invoice: Invoice) -> dict[str, Any]:
    data = {field.name: _reference(getattr(invoice, field.name)) for field in dataclasses.fields(invoice)}
    data["needs_review"] = invoice.needs_review
    data["consumption_kwh"] = _reference(invoice.consumption_kwh)
    data["total_without_gd"] = _reference(invoice.total_without_gd)
    data["gd_savings"] = _reference(invoice.gd_savings)
    return data


def _synthetic_invoices() -> list[Invoice]:
    invoices = [extract_invoice(render_cemig_danf3e(random_bill(random.Random(seed)))) for seed in range(3)]
    first = invoices[0]
    flagged = dataclasses.replace(
        first,
        meter_readings=(MeterReading("M1", "Energia kWh", Decimal("100"), Decimal("350"), Decimal(1), None),),
        taxes=(Tax("ICMS", Decimal("90.00"), Decimal("18.00"), Decimal("1.6E+1")),),
        gd_balance_kwh=Decimal("0E-7"),
        warnings=(ValidationWarning("items_sum", "A soma dos itens não confere", ("items", "total_amount")),),
    )
    invoices.append(flagged)
    invoices.append(dataclasses.replace(first, sub_invoices=(flagged, invoices[1]), collective_account="123"))
    return invoices


def test_invoices_are_written_as_the_reference_chain_writes_them() -> None:
    for invoice in _synthetic_invoices():
        data = invoice_to_dict(invoice)
        assert data == _reference_invoice(invoice)
        assert json.dumps(data, sort_keys=True) == json.dumps(_reference_invoice(invoice), sort_keys=True)
        assert to_jsonable(invoice) == data


class _Level(IntEnum):
    LOW = 1


class _Pair(NamedTuple):
    left: Decimal
    right: date


@dataclasses.dataclass(frozen=True)
class _Wrapper:
    when: datetime
    pair: _Pair
    nested: list[Any]


@dataclasses.dataclass(frozen=True)
class _Cached:
    amount: Decimal

    @functools.cached_property
    def doubled(self) -> Decimal:
        return self.amount * 2


@dataclasses.dataclass(frozen=True, slots=True)
class _Slotted:
    amount: Decimal
    when: date


def _cached_after_use() -> _Cached:
    value = _Cached(Decimal("1.25"))
    assert value.doubled == Decimal("2.50")  # now in its __dict__ too
    return value


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        7,
        1.5,
        "texto",
        Decimal("0E-7"),
        Decimal("-95.00"),
        datetime(2025, 1, 2, 3, 4, 5),
        ReferenceMonth(2025, 1),
        _Level.LOW,
        _Pair(Decimal("1.10"), date(2025, 2, 1)),
        _Wrapper(datetime(2025, 1, 2), _Pair(Decimal(3), date(2025, 1, 1)), [ReferenceMonth(2024, 12), {"k": 1}]),
        _Wrapper,  # a dataclass class, not an instance, is left as it is
        _cached_after_use(),  # an attribute besides the fields is not written
        _Slotted(Decimal("2E+1"), date(2025, 3, 1)),  # no __dict__: the fields are read one by one
        Decimal("1E+2"),
        Decimal("-1.5E-8"),
        Decimal("NaN"),
        Decimal("-Infinity"),
        {"a": Decimal(1)},  # dicts are not walked, as before
    ],
)
def test_other_values_are_written_as_the_reference_chain_writes_them(value: Any) -> None:
    assert to_jsonable(value) == _reference(value)
    assert type(to_jsonable(value)) is type(_reference(value))
