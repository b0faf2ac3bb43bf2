"""Compare an extracted invoice with a corpus truth file the way ../shared/tools/score_corpus.py does."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

SCALARS = (
    "distributor",
    "client_number",
    "installation_number",
    "reference_month",
    "due_date",
    "total_amount",
    "energy_kwh",
    "scee_kwh",
    "compensated_kwh",
    "public_lighting_amount",
)
NUMERIC = {"total_amount", "energy_kwh", "scee_kwh", "compensated_kwh", "public_lighting_amount"}
NUMERIC_ITEM_FIELDS = {"quantity", "unit_price", "amount"}
ITEM_FIELDS = ("description", "unit", "quantity", "unit_price", "amount")


def normalise(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field in NUMERIC or field in NUMERIC_ITEM_FIELDS:
        return Decimal(str(value)).normalize()
    text = " ".join(str(value).split())
    return text.upper() if field in ("distributor", "unit") else text


def mismatches(truth: dict[str, Any], got: dict[str, Any], prefix: str = "") -> list[str]:
    found = []
    for field in SCALARS:
        if field not in truth:
            continue
        expected, actual = normalise(field, truth[field]), normalise(field, got.get(field))
        ok = expected == actual
        if field == "distributor" and expected is not None and actual is not None:
            ok = expected in actual
        if not ok:
            found.append(f"{prefix}{field}: expected {truth[field]!r}, got {got.get(field)!r}")
    if "items" in truth:
        expected_items, got_items = truth["items"] or [], got.get("items") or []
        if len(expected_items) != len(got_items):
            found.append(f"{prefix}items: expected {len(expected_items)}, got {len(got_items)}")
        for index, (want, have) in enumerate(zip(expected_items, got_items, strict=False)):
            for field in ITEM_FIELDS:
                if normalise(field, want.get(field)) != normalise(field, have.get(field)):
                    found.append(
                        f"{prefix}items[{index}].{field}: expected {want.get(field)!r}, got {have.get(field)!r}"
                    )
    if "sub_invoices" in truth:
        subs = got.get("sub_invoices") or []
        if len(truth["sub_invoices"]) != len(subs):
            found.append(f"{prefix}sub_invoices: expected {len(truth['sub_invoices'])}, got {len(subs)}")
        for index, (want, have) in enumerate(zip(truth["sub_invoices"], subs, strict=False)):
            found += mismatches(want, have, f"{prefix}sub_invoices[{index}].")
    return found
