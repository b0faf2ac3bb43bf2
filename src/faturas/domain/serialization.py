"""Invoices as JSON-ready dicts, in the field names of the corpus truth format plus the extras."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from faturas.domain.invoice import Invoice
from faturas.domain.reference_month import ReferenceMonth

Converter = Callable[[Any], Any]


def to_jsonable(value: Any) -> Any:
    # How a value is written depends only on its type: the choice is made once per type and remembered,
    # so the nested items, taxes and readings of every saved invoice skip the chain of isinstance tests.
    kind = type(value)
    converter = _CONVERTERS.get(kind)
    if converter is None:
        converter = _CONVERTERS[kind] = _converter_for(kind)
    return converter(value)


def _unchanged(value: Any) -> Any:
    return value


def _decimal(value: Decimal) -> str:
    return format(value, "f")  # never exponent notation: "0.0000000", not "0E-7"


def _date(value: date) -> str:
    return value.isoformat()


def _enum(value: Enum) -> Any:
    return value.value


def _sequence(value: tuple[Any, ...] | list[Any]) -> list[Any]:
    return [_convert_item(item) for item in value]


def _convert_item(item: Any) -> Any:
    """to_jsonable(item) for the items and fields of a value: strings, numbers and None (most of
    them) are returned as they are without a call per item (invoice_to_dict runs for every saved bill)."""
    converter = _CONVERTERS.get(type(item))
    if converter is _unchanged:
        return item
    return to_jsonable(item) if converter is None else converter(item)


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _dataclass(kind: type) -> Converter:
    names = _field_names(kind)

    def convert(value: Any) -> dict[str, Any]:
        fields = {}
        for name in names:
            item = getattr(value, name)
            converter = _CONVERTERS.get(type(item))
            fields[name] = item if converter is _unchanged else (converter or to_jsonable)(item)
        return fields

    return convert


def _converter_for(kind: type) -> Converter:
    if issubclass(kind, Decimal):
        return _decimal
    if issubclass(kind, date):
        return _date
    if issubclass(kind, ReferenceMonth):
        return str
    if issubclass(kind, Enum):
        return _enum
    if issubclass(kind, Invoice):
        return invoice_to_dict
    if dataclasses.is_dataclass(kind) and not issubclass(kind, type):
        return _dataclass(kind)
    if issubclass(kind, tuple | list):
        return _sequence
    return _unchanged


_CONVERTERS: dict[type, Converter] = {str: _unchanged, int: _unchanged, bool: _unchanged, type(None): _unchanged}


def invoice_to_dict(invoice: Invoice) -> dict[str, Any]:
    data = {name: _convert_item(getattr(invoice, name)) for name in _field_names(type(invoice))}
    data["needs_review"] = invoice.needs_review
    data["consumption_kwh"] = to_jsonable(invoice.consumption_kwh)
    data["total_without_gd"] = to_jsonable(invoice.total_without_gd)
    data["gd_savings"] = to_jsonable(invoice.gd_savings)
    return data
