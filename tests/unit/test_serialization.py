from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from faturas.domain.invoice import (
    ConsumptionRecord,
    Invoice,
    ItemKind,
    LineItem,
    ReadingDates,
    TariffFlag,
    ValidationWarning,
)
from faturas.domain.reference_month import ReferenceMonth
from faturas.domain.serialization import invoice_to_dict, to_jsonable


def _invoice() -> Invoice:
    return Invoice(
        distributor="CEMIG",
        layout="cemig.danf3e",
        installation_number="3012345678",
        client_number="7012345678",
        reference_month=ReferenceMonth(2025, 1),
        due_date=date(2025, 2, 10),
        total_amount=Decimal("90.00"),
        items=(
            LineItem("Energia Elétrica", Decimal("60.00"), "kWh", Decimal("50"), Decimal("1.20"), ItemKind.ENERGY),
            LineItem("Energia SCEE s/ ICMS", Decimal("100.00"), "kWh", Decimal("200"), Decimal("0.50"), ItemKind.SCEE),
            LineItem("Energia compensada GD I", Decimal("-95.00"), "kWh", Decimal("200"), None, ItemKind.COMPENSATED),
            LineItem("Contrib Ilum Publica Municipal", Decimal("25.00"), kind=ItemKind.PUBLIC_LIGHTING),
        ),
        energy_kwh=Decimal("50"),
        scee_kwh=Decimal("200"),
        compensated_kwh=Decimal("200"),
        public_lighting_amount=Decimal("25.00"),
        reading_dates=ReadingDates(date(2024, 12, 12), date(2025, 1, 11), 30, date(2025, 2, 10)),
        tariff_flags=(TariffFlag(ReferenceMonth(2024, 12), "Verde"),),
        consumption_history=(ConsumptionRecord(ReferenceMonth(2025, 1), Decimal(250), Decimal("8.33"), 30),),
    )


def test_the_dict_uses_truth_format_names_and_decimal_strings() -> None:
    data = invoice_to_dict(_invoice())
    assert data["reference_month"] == "2025-01"
    assert data["due_date"] == "2025-02-10"
    assert data["total_amount"] == "90.00"
    assert data["energy_kwh"] == "50"
    assert data["items"][0] == {
        "description": "Energia Elétrica",
        "amount": "60.00",
        "unit": "kWh",
        "quantity": "50",
        "unit_price": "1.20",
        "kind": "energy",
    }
    assert data["items"][3]["unit"] is None


def test_nested_values_become_plain_json() -> None:
    data = invoice_to_dict(_invoice())
    assert data["reading_dates"] == {
        "previous": "2024-12-12",
        "current": "2025-01-11",
        "days": 30,
        "next": "2025-02-10",
    }
    assert data["tariff_flags"] == [{"month": "2024-12", "flag": "Verde"}]
    assert data["consumption_history"][0] == {"month": "2025-01", "kwh": "250", "daily_average": "8.33", "days": 30}
    json.dumps(data)  # nothing left that json cannot write


def test_derived_figures_are_included() -> None:
    data = invoice_to_dict(_invoice())
    assert data["consumption_kwh"] == "250"
    assert data["total_without_gd"] == "185.00"  # energy + SCEE + public lighting
    assert data["gd_savings"] == "95.00"
    assert data["needs_review"] is False


def test_absent_fields_stay_null_and_warnings_set_needs_review() -> None:
    warning = ValidationWarning("items_sum", "A soma difere.", ("items", "total_amount"))
    data = invoice_to_dict(Invoice("X", "x.y", None, None, None, None, Decimal(0), warnings=(warning,)))
    assert data["client_number"] is None
    assert data["consumption_kwh"] is None
    assert data["total_amount"] == "0"
    assert data["needs_review"] is True
    assert data["warnings"] == [
        {"check": "items_sum", "message": "A soma difere.", "fields": ["items", "total_amount"]}
    ]


def test_sub_invoices_are_serialized_as_invoices() -> None:
    sub = _invoice()
    data = invoice_to_dict(
        Invoice("COELBA", "coelba.coletiva", None, None, None, None, Decimal("90.00"), sub_invoices=(sub,))
    )
    assert data["sub_invoices"][0]["total_without_gd"] == "185.00"
    assert data["sub_invoices"][0]["items"][2]["amount"] == "-95.00"


def test_plain_values_pass_through() -> None:
    assert to_jsonable("texto") == "texto"
    assert to_jsonable(3) == 3
    assert to_jsonable(None) is None
    assert to_jsonable((Decimal("1.5"), ItemKind.OTHER)) == ["1.5", "other"]


def test_decimals_are_written_without_exponent_notation() -> None:
    from decimal import Decimal

    from faturas.domain.serialization import to_jsonable

    assert to_jsonable(Decimal("0.0000000")) == "0.0000000"
    assert to_jsonable(Decimal("1E+2")) == "100"
