"""Jinja2 templates with the project's pt-BR formats: "R$ 1.234,56", "1.327 kWh", "JAN/2024", "12/02/2024"."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from faturas.api.sessions import CSRF_COOKIE
from faturas.db.models_auth import Role
from faturas.domain.field_labels import field_label
from faturas.domain.formatting import format_date, format_kwh, format_money, format_number
from faturas.domain.reference_month import ReferenceMonth

#: What a job's state is called on the pages.
STATUS_LABELS = {
    "queued": "Na fila",
    "running": "Processando",
    "succeeded": "Armazenada",
    "duplicate": "Duplicada",
    "failed": "Falhou",
}

#: Why a job ended duplicate, in words.
DUPLICATE_LABELS = {
    "same_bill": "a mesma fatura já está armazenada",
    "conflict": "outra fatura já está armazenada para esta instalação e mês (refaturamento)",
}


def month_label(value: str | None) -> str:
    return "—" if not value else ReferenceMonth.parse(value).label


def date_time(value: datetime | None) -> str:
    return "—" if value is None else value.astimezone(UTC).strftime("%d/%m/%Y %H:%M UTC")


def kwh(value: Decimal | str | None) -> str:
    return format_kwh(None if value is None else Decimal(value).normalize())


def money(value: Decimal | str | None) -> str:
    return format_money(None if value is None else Decimal(value))


def integer(value: int) -> str:
    return format_number(Decimal(value))


def is_admin(user: object) -> bool:
    """Whether the pages offer admin-only actions: with login off (no user) everyone may do everything."""
    if user is None:
        return True
    may = getattr(user, "may", None)
    return callable(may) and bool(may(Role.ADMIN))


def _request_context(request: Request) -> dict[str, Any]:
    # The auth layer (when on) sets request.state.user; the security middleware puts this request's
    # CSRF token in request.state.csrf_token (on a first visit it is also the cookie it is setting
    # now, so a form rendered then already carries a token the next POST can match).
    user = getattr(request.state, "user", None)
    token = getattr(request.state, "csrf_token", None) or request.cookies.get(CSRF_COOKIE, "")
    return {"current_user": user, "is_admin": is_admin(user), "csrf_token": token}


templates = Jinja2Templates(directory=Path(__file__).parent / "templates", context_processors=[_request_context])
templates.env.filters.update(
    money=money,
    kwh=kwh,
    month=month_label,
    date=format_date,
    datetime=date_time,
    integer=integer,
    status=lambda status: STATUS_LABELS.get(status, status),
    duplicate_reason=lambda reason: DUPLICATE_LABELS.get(reason, reason or ""),
)


#: Extracted fields that hold a reference month ("2024-01").
MONTH_KEYS = frozenset({"reference_month", "month"})


_ISO_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def plain(value: object, key: str = "") -> str:
    """A leaf value of the extracted fields as people read it: booleans in words, empty as a dash, months
    as "JAN/2024" and dates as "12/02/2024" (the stored JSON keeps ISO for programs)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "sim" if value else "não"
    if isinstance(value, str) and key in MONTH_KEYS and _ISO_MONTH.match(value):
        return month_label(value)
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


templates.env.filters.update(field_label=field_label, plain=plain)


def number(value: Decimal | str | None) -> str:
    """A quantity as bills print it in Brazil, without the storage's trailing zeros: "0,72123", "1.023"."""
    if value is None:
        return "—"
    amount = Decimal(value)
    return format_number(amount.normalize())


templates.env.filters.update(number=number)
