"""save_invoice(): store one extracted invoice once, by the duplicate and conflict rules.

- same NF3e access key, or same unit + month + total: the same bill again (``same_bill``);
- a different bill for a unit and month already stored (a rebilling): ``conflict``, unless the job
  asked to replace, in which case the old invoice stays as a superseded version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, and_, bindparam, func, insert, select, text, update

from faturas.db.models import Client, ConsumerUnit, InvoiceItem, utcnow
from faturas.db.models import Invoice as InvoiceRow
from faturas.db.unit_of_work import UnitOfWork
from faturas.domain.invoice import Invoice
from faturas.domain.serialization import invoice_to_dict, to_jsonable
from faturas.errors import FieldsMissing
from faturas.services.find_or_create_client import (
    create_clients,
    create_units,
    find_or_create_client,
    find_or_create_unit,
    read_known_clients,
)


class SaveOutcome(StrEnum):
    CREATED = "created"
    SAME_BILL = "same_bill"
    CONFLICT = "conflict"
    REPLACED = "replaced"


@dataclass(frozen=True)
class SavedInvoice:
    outcome: SaveOutcome
    invoice_id: int
    #: For ``replaced``: the invoice this one superseded.
    replaced_id: int | None = None
    #: For ``created`` and ``replaced``: the new row's column values, so announcing it needs no query.
    values: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)


def invoices_to_store(invoice: Invoice) -> list[tuple[int, Invoice]]:
    """A collective bill is stored as its sub-invoices (numbered from 1); any other bill as itself."""
    if invoice.sub_invoices:
        return list(enumerate(invoice.sub_invoices, start=1))
    return [(0, invoice)]


# Every job runs these: built once, and run as plain statements (no ORM objects to load or flush).
_INVOICES = cast(Table, InvoiceRow.__table__)
_ITEMS = cast(Table, InvoiceItem.__table__)
_BY_ACCESS_KEY = (
    select(_INVOICES.c.id)
    .where(_INVOICES.c.access_key == bindparam("access_key"))
    .order_by(_INVOICES.c.superseded_at.is_not(None), _INVOICES.c.id)
    .limit(1)
)
_CURRENT = select(_INVOICES.c.id, _INVOICES.c.document_id, _INVOICES.c.sub_index, _INVOICES.c.total_amount).where(
    _INVOICES.c.consumer_unit_id == bindparam("unit_id"),
    _INVOICES.c.reference_month == bindparam("month"),
    _INVOICES.c.superseded_at.is_(None),
)
#: The same two look-ups for a batch (KnownRows), in _BY_ACCESS_KEY's order, and by both IN lists (the index).
_BY_ACCESS_KEYS = (
    select(_INVOICES.c.id, _INVOICES.c.access_key)
    .where(_INVOICES.c.access_key.in_(bindparam("access_keys", expanding=True)))
    .order_by(_INVOICES.c.superseded_at.is_not(None), _INVOICES.c.id)
)
_INSERT_INVOICE = insert(_INVOICES).returning(_INVOICES.c.id)
#: A batch's invoices, with the ids it took for them (KnownRows.new_invoice_id): one executemany.
_INSERT_INVOICES = insert(_INVOICES)
_LAST_INVOICE_ID = select(func.coalesce(func.max(_INVOICES.c.id), 0))
_NEXT_INVOICE_IDS = text("SELECT nextval(pg_get_serial_sequence('invoices', 'id')) FROM generate_series(1, :count)")
_INSERT_ITEMS = insert(_ITEMS)
_SUPERSEDE = update(_INVOICES).where(_INVOICES.c.id == bindparam("invoice_id")).values(superseded_at=bindparam("at"))
_SUPERSEDED_BY = (
    update(_INVOICES).where(_INVOICES.c.id == bindparam("invoice_id")).values(superseded_by_id=bindparam("by"))
)


class _Current(NamedTuple):
    """The current invoice of a unit and month, as _CURRENT reads it."""

    id: int
    document_id: int
    sub_index: int
    total_amount: Any


#: Everything one invoice's save looks up, in one query (one round trip, not four): the invoice of
#: its NF3e key, its client, its unit and the unit's current invoice of the month (NULL: none).
_CLIENTS, _UNITS = cast(Table, Client.__table__), cast(Table, ConsumerUnit.__table__)
_OF_CLIENT = (
    _CLIENTS.c.distributor == bindparam("distributor"),
    _CLIENTS.c.client_number == bindparam("client_number"),
)
_OF_UNIT = (
    _UNITS.c.distributor == bindparam("distributor"),
    _UNITS.c.installation_number == bindparam("installation_number"),
)
_CURRENT_OF_UNIT = (
    select()
    .select_from(_INVOICES.join(_UNITS, _INVOICES.c.consumer_unit_id == _UNITS.c.id))
    .where(*_OF_UNIT, _INVOICES.c.reference_month == bindparam("month"), _INVOICES.c.superseded_at.is_(None))
)
#: A batch's units (by both IN lists: the unique index), each with its current invoices of the batch's
#: months (none: NULLs): one query for both. Pairs not asked for are sorted out after.
_UNITS_WITH_CURRENT = (
    select(
        _UNITS.c.id.label("unit_id"),
        _UNITS.c.distributor,
        _UNITS.c.installation_number,
        _INVOICES.c.id,
        _INVOICES.c.document_id,
        _INVOICES.c.sub_index,
        _INVOICES.c.total_amount,
        _INVOICES.c.reference_month,
    )
    .select_from(
        _UNITS.outerjoin(
            _INVOICES,
            and_(
                _INVOICES.c.consumer_unit_id == _UNITS.c.id,
                _INVOICES.c.reference_month.in_(bindparam("months", expanding=True)),
                _INVOICES.c.superseded_at.is_(None),
            ),
        )
    )
    .where(
        _UNITS.c.distributor.in_(bindparam("distributors", expanding=True)),
        _UNITS.c.installation_number.in_(bindparam("installations", expanding=True)),
    )
)
_LOOK_UP_ONE = select(
    _BY_ACCESS_KEY.scalar_subquery().label("same_key"),
    select(_CLIENTS.c.id).where(*_OF_CLIENT).scalar_subquery().label("client_id"),
    select(_CLIENTS.c.holder_name).where(*_OF_CLIENT).scalar_subquery().label("holder_name"),
    select(_UNITS.c.id).where(*_OF_UNIT).scalar_subquery().label("unit_id"),
    *(
        _CURRENT_OF_UNIT.add_columns(_INVOICES.c[name]).scalar_subquery().label(f"current_{name}")
        for name in _Current._fields
    ),
)


@dataclass
class KnownRows:
    """What save_invoice looks up, read for a batch of invoices at once (one query per table instead
    of one per invoice; for one invoice, ``read_one``: one query) and kept up to date as the batch
    writes (in ``uow.writes_together()``, its new invoices wait there too). A key that is absent is
    looked up as usual; None: known not to exist (in SQLite the batch holds the write lock, so it
    cannot appear meanwhile; in PostgreSQL a concurrent insert is met by the unique indexes, as
    without a batch).
    """

    by_access_key: dict[str, int | None] = field(default_factory=dict)
    clients: dict[tuple[str, str], tuple[int, str | None] | None] = field(default_factory=dict)
    units: dict[tuple[str, str], int | None] = field(default_factory=dict)
    current: dict[tuple[int, str], _Current | None] = field(default_factory=dict)
    #: Units this batch created: they have no invoice but those this batch stores.
    new_units: set[int] = field(default_factory=set)
    #: How many invoices the batch may insert at most: ids are taken for that many at once.
    most_new_invoices: int = 0
    #: Ids taken and not used yet, the next one last; the last one used.
    _free_ids: list[int] = field(default_factory=list)
    _last_id: int | None = None

    @classmethod
    def read(cls, uow: UnitOfWork, invoices: Sequence[Invoice]) -> KnownRows:
        """The rows the saves of ``invoices`` will look up, in at most three queries."""
        session = uow.session
        known = cls()
        access_keys = sorted({invoice.access_key for invoice in invoices if invoice.access_key})
        if access_keys:
            known.by_access_key = dict.fromkeys(access_keys)
            for invoice_id, access_key in session.execute(_BY_ACCESS_KEYS, {"access_keys": access_keys}):
                if known.by_access_key[access_key] is None:  # the first in _BY_ACCESS_KEY's order
                    known.by_access_key[access_key] = invoice_id
        savable = [invoice for invoice in invoices if invoice.installation_number and invoice.reference_month]
        known.clients = read_known_clients(uow, {_client_key(invoice) for invoice in savable})
        found = known._read_units_with_current(uow, savable)
        known._create_clients_and_units(uow, savable)
        for invoice in savable:
            unit_id = known.units[(invoice.distributor, _installation(invoice))]
            if unit_id is not None and unit_id not in known.new_units:  # a unit just created has no invoice yet
                month = str(invoice.reference_month)
                known.current[(unit_id, month)] = found.get((unit_id, month))
        return known

    def _read_units_with_current(self, uow: UnitOfWork, savable: list[Invoice]) -> dict[tuple[int, str], _Current]:
        """Note the units of ``savable`` (None: absent); their current invoices of the months asked for."""
        self.units = dict.fromkeys((invoice.distributor, _installation(invoice)) for invoice in savable)
        if not self.units:
            return {}
        values = {
            "distributors": sorted({d for d, _ in self.units}),
            "installations": sorted({i for _, i in self.units}),
            "months": sorted({str(invoice.reference_month) for invoice in savable}),
        }
        current: dict[tuple[int, str], _Current] = {}
        for row in uow.session.execute(_UNITS_WITH_CURRENT, values):
            if (row.distributor, row.installation_number) in self.units:
                self.units[(row.distributor, row.installation_number)] = row.unit_id
                if row.id is not None:
                    current[(row.unit_id, row.reference_month)] = _Current(
                        row.id, row.document_id, row.sub_index, row.total_amount
                    )
        return current

    @classmethod
    def read_one(cls, uow: UnitOfWork, invoice: Invoice) -> KnownRows:
        """The rows the save of ``invoice`` (with installation and month) will look up, in one query."""
        installation, month = _installation(invoice), str(invoice.reference_month)
        client_key = _client_key(invoice)
        values = {
            "access_key": invoice.access_key,
            "distributor": invoice.distributor,
            "client_number": client_key[1],
            "installation_number": installation,
            "month": month,
        }
        row = uow.session.execute(_LOOK_UP_ONE, values).one()
        known = cls()
        if invoice.access_key:
            known.by_access_key[invoice.access_key] = row.same_key
        known.clients[client_key] = None if row.client_id is None else (row.client_id, row.holder_name)
        known.units[(invoice.distributor, installation)] = row.unit_id
        if row.unit_id is not None:
            current = _Current(row.current_id, row.current_document_id, row.current_sub_index, row.current_total_amount)
            known.current[(row.unit_id, month)] = None if current.id is None else current
        return known

    def _create_clients_and_units(self, uow: UnitOfWork, savable: list[Invoice]) -> None:
        """The new clients and units of the batch, one INSERT each, as its saves would create them one
        by one (the first invoice of a client gives its holder name, of a unit its client); not for
        an invoice whose access key is stored already (its save creates nothing)."""
        creating = [
            invoice
            for invoice in savable
            if not (invoice.access_key and self.by_access_key.get(invoice.access_key) is not None)
        ]
        self.most_new_invoices = len(creating)
        clients: dict[tuple[str, str], str | None] = {}
        for invoice in creating:
            clients.setdefault(_client_key(invoice), invoice.holder_name)
        create_clients(uow, clients, self.clients)
        units: dict[tuple[str, str], int] = {}
        for invoice in creating:
            client = self.clients.get(_client_key(invoice))
            if client is not None:
                units.setdefault((invoice.distributor, _installation(invoice)), client[0])
        create_units(uow, units, self.units, self.new_units)

    def new_invoice_id(self, uow: UnitOfWork) -> int:
        """The id of an invoice the batch inserts, known before its row is written (with the batch's
        other invoices, in one statement). SQLite: the next after the highest (the batch holds the
        write lock); PostgreSQL: from the sequence, taken for the batch's invoices at once."""
        if not self._free_ids:
            self._free_ids = _take_invoice_ids(uow, self._last_id, max(self.most_new_invoices, 1))
        self._last_id = self._free_ids.pop()
        return self._last_id


def _take_invoice_ids(uow: UnitOfWork, last_id: int | None, count: int) -> list[int]:
    """``count`` new invoice ids, the smallest last; ``last_id``: the last one this batch took."""
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        return sorted(session.scalars(_NEXT_INVOICE_IDS, {"count": count}), reverse=True)
    after = int(session.scalar(_LAST_INVOICE_ID) or 0) if last_id is None else last_id
    return list(range(after + count, after, -1))


def _installation(invoice: Invoice) -> str:
    return invoice.installation_number or ""


def _client_key(invoice: Invoice) -> tuple[str, str]:
    """(distributor, client number) as save_invoice finds the client: the installation when no number."""
    return invoice.distributor, invoice.client_number or _installation(invoice)


_UNKNOWN: Any = object()


def save_invoice(
    uow: UnitOfWork,
    document_id: int,
    invoice: Invoice,
    *,
    sub_index: int = 0,
    collective_account: str | None = None,
    replace: bool = False,
    known: KnownRows | None = None,
) -> SavedInvoice:
    """``known``: the batch's rows read already (see KnownRows); None: read here, in one query.

    Inside ``uow.writes_together()`` (a batch), the new invoice's row is written with the others.
    """
    installation, reference_month = invoice.installation_number, invoice.reference_month
    if not installation or reference_month is None:
        missing = [name for name in ("installation_number", "reference_month") if not getattr(invoice, name)]
        raise FieldsMissing(missing, invoice.layout)
    session = uow.session
    if known is None:
        known = KnownRows.read_one(uow, invoice)
    if invoice.access_key:
        same = known.by_access_key.get(invoice.access_key, _UNKNOWN)
        if same is _UNKNOWN:
            same = session.scalar(_BY_ACCESS_KEY, {"access_key": invoice.access_key})
        if same is not None:
            return SavedInvoice(SaveOutcome.SAME_BILL, same)
    # Distributors that print only the installation: it is the client's registration number too.
    client_number = invoice.client_number or installation
    client_id = find_or_create_client(uow, invoice.distributor, client_number, invoice.holder_name, known.clients)
    unit_id = find_or_create_unit(uow, invoice.distributor, client_id, installation, known.units, known.new_units)
    month = str(reference_month)

    current: Any = known.current.get((unit_id, month), None if unit_id in known.new_units else _UNKNOWN)
    if current is _UNKNOWN:
        current = session.execute(_CURRENT, {"unit_id": unit_id, "month": month}).first()
    if current is not None and current.document_id == document_id and current.sub_index == sub_index:
        return SavedInvoice(SaveOutcome.CREATED, current.id)  # this job stored it already (a re-run)
    if current is not None and current.total_amount == invoice.total_amount:
        return SavedInvoice(SaveOutcome.SAME_BILL, current.id)
    if current is not None and not replace:
        return SavedInvoice(SaveOutcome.CONFLICT, current.id)
    if current is not None:
        uow.write_pending()  # the current invoice may be one this batch has not written yet
        # Supersede first: the partial unique index allows one current invoice per unit and month.
        session.execute(_SUPERSEDE, {"invoice_id": current.id, "at": utcnow()})

    values = invoice_field_values(invoice) | {
        "consumer_unit_id": unit_id,
        "document_id": document_id,
        "reference_month": month,
        "sub_index": sub_index,
        "collective_account": collective_account,
    }
    if uow.collects_writes:
        # A batch writes its invoices together, after its look-ups (they find them in ``known``).
        invoice_id = values["id"] = known.new_invoice_id(uow)
        uow.execute_later(_INSERT_INVOICES, values)
    else:
        invoice_id = values["id"] = session.scalars(_INSERT_INVOICE, values).one()
    known.current[(unit_id, month)] = _Current(invoice_id, document_id, sub_index, invoice.total_amount)
    if invoice.access_key:
        known.by_access_key[invoice.access_key] = invoice_id
    # The line items in one multi-row INSERT, not one ORM insert (and round trip) per item; a batch of
    # jobs inserts those of all its invoices at once (nothing reads them back meanwhile).
    if invoice.items:
        uow.execute_later(_INSERT_ITEMS, [{"invoice_id": invoice_id, **item} for item in item_values(invoice)])
    if current is not None:
        uow.execute_later(_SUPERSEDED_BY, {"invoice_id": current.id, "by": invoice_id})
        return SavedInvoice(SaveOutcome.REPLACED, invoice_id, replaced_id=current.id, values=values)
    return SavedInvoice(SaveOutcome.CREATED, invoice_id, values=values)


def fill_invoice_row(row: InvoiceRow, invoice: Invoice) -> None:
    """Copy every extracted field and the line items onto the row (reprocess updates invoices so)."""
    fill_invoice_fields(row, invoice)
    row.items = [InvoiceItem(**item) for item in item_values(invoice)]


def fill_invoice_fields(row: InvoiceRow, invoice: Invoice) -> None:
    """Copy every extracted field, but not the line items, onto the row."""
    for name, value in invoice_field_values(invoice).items():
        setattr(row, name, value)


def invoice_field_values(invoice: Invoice) -> dict[str, Any]:
    """Every extracted field as invoices column values (not the line items, unit, document or month)."""
    extracted = invoice_to_dict(invoice)
    extracted.pop("sub_invoices", None)
    return {
        "distributor": invoice.distributor,
        "layout": invoice.layout,
        "client_number": invoice.client_number,
        "installation_number": invoice.installation_number or "",
        "holder_name": invoice.holder_name,
        "access_key": invoice.access_key,
        "nota_fiscal_number": invoice.nota_fiscal_number,
        "due_date": invoice.due_date,
        "issue_date": invoice.issue_date,
        "total_amount": invoice.total_amount,
        "energy_kwh": invoice.energy_kwh,
        "scee_kwh": invoice.scee_kwh,
        "compensated_kwh": invoice.compensated_kwh,
        "public_lighting_amount": invoice.public_lighting_amount,
        "consumption_kwh": invoice.consumption_kwh,
        "total_without_gd": invoice.total_without_gd,
        "gd_savings": invoice.gd_savings,
        "gd_balance_kwh": invoice.gd_balance_kwh,
        "needs_review": invoice.needs_review,
        "warnings": to_jsonable(invoice.warnings),
        "extracted": extracted,
    }


def item_values(invoice: Invoice) -> list[dict[str, Any]]:
    """The invoice's line items as invoice_items column values (without the invoice id)."""
    return [
        {
            "position": position,
            "description": item.description,
            "kind": item.kind.value,
            "unit": item.unit,
            "quantity": item.quantity,
            "unit_price": item.unit_price,
            "amount": item.amount,
        }
        for position, item in enumerate(invoice.items)
    ]
