"""The CPFL group's DANF3E as phones capture it (Paulista, Piratininga, Santa Cruz, and RGE in RS).

"Ref: mês/ano  Vencimento  Total a pagar" over one row of values; only the installation code
("Código da Instalação"); items with two tariffs (ANEEL's, then with taxes) before the amount; a
stub row "DANF3E/Nota Fiscal  CódDébAut-Banco  Total a Pagar (R$)  Data de Vencimento" over its values.
"""

from __future__ import annotations

import re

from faturas.extraction.distributors.family import FamilyLayout, FamilySpec

FORM_MARKER = re.compile(r"Ref:?\s?m.s\s?/\s?ano|C.digo da Instala..o|Total consolidado", re.IGNORECASE)

_STUB = re.compile(
    r"Total a Pagar \(R\$\)\s+Data de Vencimento[^\n]*\n?[^\n]*?(?<![\d,.])(?P<total>(?:\d{1,3}\.)*\d{1,3},\d{2})\s+"
    r"(?P<due>[0-3]\d/[01]\d/20\d{2})",
    re.IGNORECASE,
)


#: The billed lines the form prints (each followed by its reference month, "JAN/26").
DESCRIPTIONS = (
    "Consumo Uso Sistema [KWh]-TUSD",
    "Consumo - TE",
    "Adicional de Bandeira Amarela",
    "Adicional de Bandeira Vermelha",
    "Adicional de Bandeira Vermelha P1",
    "Adicional de Bandeira Vermelha P2",
    "Juros de Mora",
    "Multa por Atraso Pgto",
    "Atualização Monetária",
    "Contribuição Custeio IP-CIP",
)


def cpfl_image_layout(template: str, distributor: str) -> FamilyLayout:
    return FamilyLayout(
        FamilySpec(
            template=template,
            distributor=distributor,
            form_marker=FORM_MARKER,
            installation_labels=(r"C.digo da Instala..o",),
            installation_code=r"\d{8,10}",
            month_labels=(r"Ref:?\s?m.s\s?/\s?ano",),
            due_labels=(r"Data de Vencimento", r"Vencimento"),
            total_labels=(r"Total a Pagar",),
            stubs=(_STUB,),
            # The header's two lines ("Descrição da operação" over "Nº 1234…") are often read interleaved.
            items_start=re.compile(r"Descri..o da opera..o|^Descri..o\b", re.IGNORECASE | re.MULTILINE),
            # "Total Distribuidora" closes the distributor's lines; "DÉBITOS DE OUTROS SERVIÇOS" (public
            # lighting) follow it: the subtotal's row is skipped, OCR's spellings included ("Tot Dssbudora").
            items_end=re.compile(r"^Total consolidado|^Medidor", re.IGNORECASE | re.MULTILINE),
            items_skip=re.compile(r"^To[a-z]{1,4}\s+D[a-z]{5,}|^D.BITOS\b", re.IGNORECASE),
            descriptions=DESCRIPTIONS,
        )
    )


LAYOUT = cpfl_image_layout("cpfl.danf3e_image", "CPFL")
