"""random_bill(): plausible, self-consistent CEMIG bill values drawn from a seeded generator.

Names and addresses are invented from word lists; no value comes from a real bill.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from faturas.domain.invoice import ConsumptionRecord, ItemKind, MeterReading, ReadingDates, TariffFlag, Tax
from faturas.domain.reference_month import ReferenceMonth
from faturas.synthetic.bill import BillItem, Holder, ItemTaxes, OverdueDebt, SyntheticBill

_FIRST_NAMES = (
    "ANA", "BRUNO", "CARLA", "DANIEL", "ELISA", "FABIO", "GABRIELA", "HELIO", "IRENE", "JOAO", "LARISSA",
    "MARCOS", "NATALIA", "OTAVIO", "PAULA", "RAFAEL", "SILVIA", "TIAGO", "VANESSA", "WAGNER",
)  # fmt: skip
_SURNAMES = (
    "ALMEIDA", "BARBOSA", "CAMPOS", "DUARTE", "ESTEVES", "FONSECA", "GUIMARAES", "HORTA", "LACERDA",
    "MOREIRA", "NOGUEIRA", "PEREIRA", "QUEIROZ", "RESENDE", "SIQUEIRA", "TEIXEIRA", "VIANA",
)  # fmt: skip
_COMPANY_WORDS = ("PADARIA", "OFICINA", "MERCEARIA", "ESTUDIO", "CLINICA", "PAPELARIA", "AUTO PECAS")
_STREETS = ("RUA DAS ACACIAS", "AV BRASIL", "RUA SETE", "RUA DO ROSARIO", "AV DOS IPES", "RUA PARAIBA")
_DISTRICTS = ("CENTRO", "JARDIM AMERICA", "SAO JOSE", "VILA NOVA", "BOA VISTA", "SANTA LUZIA")
_CITIES = ("BELO HORIZONTE", "UBERLANDIA", "MONTES CLAROS", "JUIZ DE FORA", "DIVINOPOLIS", "IPATINGA")

#: (class, subclass, modality, lowest billable kWh by supply type); the long subclass wraps on the page.
_CLASSES = (
    ("Residencial", "Residencial", "Convencional B1"),
    ("Comercial", "Comercial", "Convencional B3"),
    ("Comercial", "Outros serviços e outras atividades", "Convencional B3"),
)
_SUPPLY_MINIMUM = {"Monofásico": 30, "Bifásico": 50, "Trifásico": 100}

#: Flags as the general-information paragraph abbreviates them, with the informational line's name.
_FLAGS = (("Verde", None), ("Amarela", "Amarela"), ("Verm. P1", "Vermelha"), ("Verm. P2", "Vermelha"))

_CENT = Decimal("0.01")
_PRICE = Decimal("0.00000001")


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _price(rng: random.Random, low: float, high: float) -> Decimal:
    return Decimal(str(rng.uniform(low, high))).quantize(_PRICE)


def _cents(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high)) / 100


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def _holder(rng: random.Random) -> Holder:
    city_line = f"3{_digits(rng, 4)}-{_digits(rng, 3)} {rng.choice(_CITIES)}, MG"
    street = f"{rng.choice(_STREETS)} {rng.randint(1, 2999)} {rng.choice(('CS', 'AP 101', 'FD', 'LJ'))}"
    if rng.random() < 0.3:
        name = f"{rng.choice(_COMPANY_WORDS)} {rng.choice(_SURNAMES)} LTDA"
        document = f"CNPJ {_digits(rng, 2)}.{_digits(rng, 3)}.{_digits(rng, 1)}**/****-**"
        return Holder(
            name, street, rng.choice(_DISTRICTS), city_line, document, f"INSCRIÇÃO ESTADUAL {_digits(rng, 5)}********"
        )
    name = " ".join((rng.choice(_FIRST_NAMES), *rng.sample(_SURNAMES, rng.randint(1, 3))))
    document = f"CPF {_digits(rng, 3)}.{_digits(rng, 1)}**.***-**"
    return Holder(name, street, rng.choice(_DISTRICTS), city_line, document)


def _with_taxes(item: BillItem, icms_rate: Decimal, pis_cofins_rate: Decimal) -> BillItem:
    taxed = item.kind is ItemKind.ENERGY
    base = item.amount if taxed else Decimal("0.00")
    pis_cofins = _money(item.amount * pis_cofins_rate) if item.kind is not ItemKind.COMPENSATED else Decimal("0.00")
    rate = icms_rate if taxed else Decimal("0.00")
    taxes = ItemTaxes(pis_cofins, base, rate, _money(base * rate / 100))
    return BillItem(
        item.description, item.amount, item.kind, item.unit, item.quantity, item.unit_price, item.tariff, taxes
    )


def _energy_items(rng: random.Random, energy: int, scee: int) -> list[BillItem]:
    kwh = "kWh"
    price = _price(rng, 0.80, 1.10)
    tariff = (price * Decimal("0.78")).quantize(_PRICE)
    items = [BillItem("Energia Elétrica", _money(energy * price), ItemKind.ENERGY, kwh, Decimal(energy), price, tariff)]
    if scee == 0:
        return items
    credit_tariff = _price(rng, 0.45, 0.60)
    exempt = rng.random() < 0.25
    scee_price = credit_tariff if exempt else (credit_tariff * Decimal("1.045")).quantize(_PRICE)
    scee_name = "Energia SCEE ISENTA" if exempt else "Energia SCEE s/ ICMS"
    items.append(
        BillItem(scee_name, _money(scee * scee_price), ItemKind.SCEE, kwh, Decimal(scee), scee_price, credit_tariff)
    )
    compensated_name = rng.choice(("Energia compensada GD I", "Energia compensada GD II"))
    compensated = -_money(scee * credit_tariff)
    items.append(
        BillItem(compensated_name, compensated, ItemKind.COMPENSATED, kwh, Decimal(scee), credit_tariff, credit_tariff)
    )
    return items


def _extra_items(rng: random.Random, month: ReferenceMonth) -> list[BillItem]:
    previous = month.shift(-1)
    choices = (
        BillItem("Restituição de Pagamento", -_cents(rng, 100, 5000)),
        BillItem("Ressarcimento de Danos", -_cents(rng, 1000, 30000)),
        BillItem(f"Multa 2% sobre conta de {previous.month:02d}/{previous.year}", _cents(rng, 100, 2000)),
        BillItem(f"Juros de mora sobre conta de {previous.month:02d}/{previous.year}", _cents(rng, 10, 900)),
        BillItem("Bônus Itaipu art 21 Lei 10438", -_cents(rng, 100, 3000)),
    )
    return rng.sample(choices, rng.choice((0, 0, 0, 1, 1, 2)))


def _history(rng: random.Random, month: ReferenceMonth, current_kwh: int, days: int) -> tuple[ConsumptionRecord, ...]:
    records = []
    typical = max(current_kwh, 60)
    for back in range(13):
        kwh, span = (
            (current_kwh, days) if back == 0 else (rng.randint(typical // 2, typical * 3 // 2), rng.randint(27, 34))
        )
        if back > 6 and rng.random() < 0.05:
            kwh, span = 0, 0
        average = (Decimal(kwh) / span).quantize(_CENT, rounding=ROUND_HALF_UP) if span else Decimal("0.00")
        records.append(ConsumptionRecord(month.shift(-back), Decimal(kwh), average, span))
    return tuple(records)


def random_bill(rng: random.Random) -> SyntheticBill:
    """A bill whose values vary in everything a template must tolerate: GD or not, extra credits and
    charges, thousands separators, a wrapped subclass, readings across December, tax columns or none."""
    month = ReferenceMonth(rng.randint(2023, 2026), rng.randint(1, 12))
    if month > ReferenceMonth(2026, 6):
        month = month.shift(-12)
    issue_date = month.first_day() + timedelta(days=rng.randint(8, 27))
    current_reading = issue_date - timedelta(days=rng.randint(0, 1))
    days = rng.randint(27, 34)
    reading_dates = ReadingDates(
        current_reading - timedelta(days=days),
        current_reading,
        days,
        current_reading + timedelta(days=rng.randint(28, 33)),
    )
    customer_class, subclass, modality = rng.choice(_CLASSES)
    supply_type = rng.choice(tuple(_SUPPLY_MINIMUM))
    constant = rng.choice((1, 1, 1, 40))
    consumption = rng.randint(_SUPPLY_MINIMUM[supply_type] // constant + 1, 6000 // constant) * constant
    previous_reading = rng.randint(0, 99_000 if constant == 1 else 2_000)
    meter = MeterReading(
        f"{rng.choice(('APD', 'AMD', 'BPC', 'AHB'))}{_digits(rng, 9)}",
        "Energia kWh",
        Decimal(previous_reading),
        Decimal(previous_reading + consumption // constant),
        Decimal(constant),
        Decimal(consumption),
    )
    gd = rng.random() < 0.65
    minimum = _SUPPLY_MINIMUM[supply_type]
    scee = rng.randint(0, consumption - minimum) if gd and consumption > minimum else 0
    items = _energy_items(rng, consumption - scee, scee)
    items.append(BillItem("Contrib Ilum Publica Municipal", _cents(rng, 500, 9000), ItemKind.PUBLIC_LIGHTING))
    items.extend(_extra_items(rng, month))
    if sum(item.amount for item in items) < 0:
        items = [item for item in items if item.amount >= 0 or item.kind is not ItemKind.OTHER]
    taxes: tuple[Tax, ...] = ()
    if rng.random() < 0.5:
        icms_rate, pis, cofins = (
            Decimal("18.00"),
            Decimal(rng.choice(("0.61", "0.70"))),
            Decimal(rng.choice(("2.79", "3.24"))),
        )
        items = [_with_taxes(item, icms_rate, (pis + cofins) / 100) if item.unit else item for item in items]
        icms_base = sum((item.taxes.icms_base for item in items if item.taxes), Decimal(0))
        icms = sum((item.taxes.icms for item in items if item.taxes), Decimal(0))
        pis_base = sum((item.amount for item in items if item.kind in (ItemKind.ENERGY, ItemKind.SCEE)), Decimal(0))
        taxes = (
            Tax("ICMS", icms_base, icms_rate, icms),
            Tax("PASEP", pis_base, pis, _money(pis_base * pis / 100)),
            Tax("COFINS", pis_base, cofins, _money(pis_base * cofins / 100)),
        )
    flags = (rng.choice(_FLAGS), rng.choice(_FLAGS))
    surcharge = _cents(rng, 100, 3000) if flags[1][1] else None
    authorized = datetime.combine(
        issue_date + timedelta(days=1), time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
    )
    return SyntheticBill(
        holder=_holder(rng),
        client_number=f"7{_digits(rng, 9)}",
        installation_number=f"30{_digits(rng, 8)}",
        reference_month=month,
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=rng.randint(10, 25)),
        items=tuple(items),
        reading_dates=reading_dates,
        meter_reading=meter,
        history=_history(rng, month, consumption, days),
        customer_class=customer_class,
        subclass=subclass,
        tariff_modality=modality,
        supply_type=supply_type,
        nota_fiscal_number=f"{rng.randint(1, 999_999_999):09d}",
        key_code=_digits(rng, 8),
        protocol=f"131{issue_date:%y}{_digits(rng, 11)}",
        authorized_at=authorized,
        barcode_free_field=_digits(rng, 14),
        automatic_debit_code=f"00{_digits(rng, 10)}",
        tariff_flags=(TariffFlag(month.shift(-1), flags[0][0]), TariffFlag(month, flags[1][0])),
        flag_surcharge=surcharge,
        gd_balance_kwh=_cents(rng, 0, 2_000_000) if gd else None,
        taxes=taxes,
        contingency=rng.random() < 0.2,
        copy_label=rng.choice(("SEGUNDA VIA", "REIMPRESSÃO")),
        debt_receipt=rng.random() < 0.15,
        debit_notice=rng.random() < 0.3,
        overdue=OverdueDebt(month.shift(-1), _cents(rng, 5000, 90000), issue_date + timedelta(days=rng.randint(10, 20)))
        if rng.random() < 0.15
        else None,
    )
