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
    text = str(value)  # twice as fast as format(); the same text unless it has an exponent
    return text if "E" not in text else _formatted_decimal(value)


def _formatted_decimal(value: Decimal) -> str:
    return format(value, "f")  # never exponent notation: "0.0000000", not "0E-7"


def _date(value: date) -> str:
    return value.isoformat()


def _enum(value: Enum) -> Any:
    return value.value


def _sequence(value: tuple[Any, ...] | list[Any]) -> list[Any]:
    items = []
    for item in value:  # to_jsonable inlined: a call per item costs as much as converting most of them
        converter = _CONVERTERS.get(type(item))
        items.append(item if converter is _unchanged else (converter or to_jsonable)(item))
    return items


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(field.name for field in dataclasses.fields(kind))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _dataclass(kind: type) -> Callable[[Any], dict[str, Any]]:
    names = _field_names(kind)

    def convert(value: Any) -> dict[str, Any]:
        fields = _own_fields(value, names)
        for name, item in fields.items():
            converter = _CONVERTERS.get(type(item))
            if converter is not _unchanged:
                fields[name] = (converter or to_jsonable)(item)
        return fields

    return convert


def _own_fields(value: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A new dict of the dataclass instance's fields, in their order: a copy of its ``__dict__``, where
    __init__ set them in that order (when it holds as many: no other attribute, no slots), else
    read one by one."""
    fields: dict[str, Any] | None = getattr(value, "__dict__", None)
    if fields is not None and len(fields) == len(names):
        return fields.copy()
    return {name: getattr(value, name) for name in names}


def _converter_for(kind: type) -> Converter:
    if issubclass(kind, Decimal):
        return _decimal if kind is Decimal else _formatted_decimal
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
#: The field-by-field converters of invoice classes (to_jsonable gives invoice_to_dict for them).
_INVOICE_FIELDS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _dataclass_converter(kind: type) -> Callable[[Any], dict[str, Any]]:
    converter = _INVOICE_FIELDS.get(kind)
    if converter is None:
        converter = _INVOICE_FIELDS[kind] = _dataclass(kind)
    return converter


def invoice_to_dict(invoice: Invoice) -> dict[str, Any]:
    data = _dataclass_converter(type(invoice))(invoice)
    data["needs_review"] = invoice.needs_review
    data["consumption_kwh"] = to_jsonable(invoice.consumption_kwh)
    data["total_without_gd"] = to_jsonable(invoice.total_without_gd)
    data["gd_savings"] = to_jsonable(invoice.gd_savings)
    return data
