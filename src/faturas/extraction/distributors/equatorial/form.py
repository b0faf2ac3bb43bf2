"""The Grupo Equatorial DANF3E as phones capture it (Alagoas, Maranhão, Pará, Piauí … and CEEE in RS).

One form across the group: "Conta mês / Vencimento / Total a pagar" in a coloured box, the items
table with the amount in the LAST column (after PIS/COFINS and ICMS), and a payment stub that
repeats the account, the month and the amount in one row.
"""

from __future__ import annotations

import re

from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

#: The box and the table every Equatorial-form bill prints.
FORM_MARKER = re.compile(r"Itens de fatura|Conta\s?m.s|DANF3E", re.IGNORECASE)

_MONTH = r"(?P<month>[01]\d/?20\d{2})"
_TOTAL = r"(?P<total>(?:\d{1,3}\.)*\d{1,3},\d{2})"


def equatorial_layout(
    template: str,
    distributor: str,
    installation_labels: tuple[str, ...],
    client_labels: tuple[str, ...],
    account: str,
) -> FamilyLayout:
    """``account`` is the shape of the code the stub prints before the month (Conta Contrato, Parceiro)."""
    return FamilyLayout(
        FamilySpec(
            template=template,
            distributor=distributor,
            form_marker=FORM_MARKER,
            installation_labels=installation_labels,
            client_labels=client_labels,
            month_labels=(r"Compet.ncia", r"Conta\s?m.s"),
            due_labels=(r"Vencimento",),
            # The bank slip's "(=) VALOR DOCUMENTO" last: read when the coloured box's figures are not.
            total_labels=(r"Total\s?a\s?pagar", r"Valor cobrado", r"\(=\)\s?VALOR\s?DOCUMENTO"),
            # The stub: "NOME 3000000000 AB12CD34 01/2026 123,45" (account, reading unit, month, amount).
            stubs=(re.compile(rf"(?<!\d)(?P<client>{account})\s+\S+\s+{_MONTH}\s+{_TOTAL}(?![\d,])"),),
            items_start=re.compile(r"Itens de fatura", re.IGNORECASE),
            # The history box beside the table opens with "Dias  Consumo Diário" when its title is lost;
            # the meter table below it, with "Leitura Anterior … Const. Medidor" when "Medidor" is.
            items_end=re.compile(
                r"^TOTAL\b|Hist.rico|^Postos|^Medidor|REAVISO|INFORMA|^Dias\s+Consumo|\bAnterior\b.*\bMedidor\b",
                re.IGNORECASE | re.MULTILINE,
            ),
            fee_amount_last=True,
        )
    )
