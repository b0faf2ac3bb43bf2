"""render_cemig_danf3e(): a synthetic bill drawn in CEMIG's NF3e DANF3E page layout.

Text is written in the order CEMIG's own PDFs write it (the values table first, the page header near
the end), because PDFium returns text in content-stream order and templates read that order.
Cells sharing a printed line share a baseline, so PDFium joins them on one line.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from fpdf import FPDF

from faturas.domain.formatting import format_number
from faturas.synthetic.bill import BillItem, SyntheticBill
from faturas.synthetic.identifiers import format_payment_line

_FONT = "Helvetica"
_MONTH_NAMES = (
    "Janeiro", "Fevereiro", "Março", "Abril", "Maio", "Junho",
    "Julho", "Agosto", "Setembro", "Outubro", "Novembro", "Dezembro",
)  # fmt: skip

#: Right edges (pt) of the values table's numeric columns.
_QUANTITY_X, _PRICE_X, _AMOUNT_X = 232, 290, 328
_PIS_X, _BASE_X, _RATE_X, _ICMS_X, _TARIFF_X = 372, 418, 450, 482, 565
_ROW = 8.6


class _Page:
    """A thin pen over FPDF: text at a baseline, left, right or centre aligned."""

    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.add_page()
        self._style = ("", 0.0)

    def font(self, size: float, style: str = "") -> None:
        if (style, size) != self._style:
            self.pdf.set_font(_FONT, style, size)
            self._style = (style, size)

    def left(self, x: float, y: float, text: str) -> None:
        self.pdf.text(x, y, text)

    def right(self, x: float, y: float, text: str) -> None:
        self.pdf.text(x - self.pdf.get_string_width(text), y, text)

    def centre(self, x: float, y: float, text: str) -> None:
        self.pdf.text(x - self.pdf.get_string_width(text) / 2, y, text)

    def box(self, x: float, y: float, w: float, h: float, fill: bool = False) -> None:
        self.pdf.rect(x, y, w, h, style="DF" if fill else "D")

    def wrap(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            candidate = f"{current} {word}" if current else word
            if current and self.pdf.get_string_width(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        return [*lines, current] if current else lines


def _num(value: Decimal, places: int = 2) -> str:
    return format_number(value, places)


def _quantity(value: Decimal) -> str:
    return format_number(value, 0 if value == value.to_integral_value() else 2)


def _values_table(page: _Page, bill: SyntheticBill) -> None:
    page.font(9, "B")
    page.centre(300, 258, "Valores Faturados")
    page.font(6.5, "B")
    header = (
        (27, "Itens da Fatura"), (176, "Unid."), (207, "Quant."), (252, "Preço Unit"), (300, "Valor (R$)"),
        (340, "PIS/COFINS"), (392, "Base Calc."), (432, "Aliq."), (466, "ICMS"), (522, "Tarifa Unit."),
    )  # fmt: skip
    for x, label in header:
        page.left(x, 272, label)
    page.left(397, 279, "ICMS")
    page.left(433, 279, "ICMS")
    y = 292.0
    page.font(7)
    for item in bill.items:
        _item_row(page, y, item)
        y += _ROW
    page.font(7, "B")
    page.left(27, y, "TOTAL")
    page.right(_AMOUNT_X, y, _num(bill.total))
    taxed = [item.taxes for item in bill.items if item.taxes is not None]
    if taxed:
        page.right(_PIS_X, y, _num(sum((taxes.pis_cofins for taxes in taxed), Decimal(0))))
        page.right(_BASE_X, y, _num(sum((taxes.icms_base for taxes in taxed), Decimal(0))))
        page.right(_ICMS_X, y, _num(sum((taxes.icms for taxes in taxed), Decimal(0))))
    if bill.flag_surcharge is not None:
        page.font(7)
        flag = "Vermelha" if bill.tariff_flags[1].flag.startswith("Verm") else bill.tariff_flags[1].flag
        page.left(27, y + _ROW, f"Bandeira {flag} - Já Incluído no valor a pagar")
        page.right(_AMOUNT_X, y + _ROW, _num(bill.flag_surcharge))


def _item_row(page: _Page, y: float, item: BillItem) -> None:
    page.left(33, y, item.description)
    if item.unit is not None:
        page.left(176, y, item.unit)
    if item.quantity is not None:
        page.right(_QUANTITY_X, y, _quantity(item.quantity))
    if item.unit_price is not None:
        page.right(_PRICE_X, y, _num(item.unit_price, 8))
    page.right(_AMOUNT_X, y, _num(item.amount))
    if item.taxes is not None:
        page.right(_PIS_X, y, _num(item.taxes.pis_cofins))
        page.right(_BASE_X, y, _num(item.taxes.icms_base))
        page.right(_RATE_X, y, _num(item.taxes.icms_rate))
        page.right(_ICMS_X, y, _num(item.taxes.icms))
    if item.tariff is not None:
        page.right(_TARIFF_X, y, f"{_num(item.tariff, 8)} ")


def _history(page: _Page, bill: SyntheticBill) -> None:
    page.box(14, 420, 222, 290)
    page.font(9, "B")
    page.centre(118, 572, "Histórico de Consumo")
    page.font(6.5)
    for x, label in ((16, "MÊS/ANO"), (62, "Cons. kWh"), (118, "Média kWh/Dia"), (184, "Dias")):
        page.left(x, 581, label)
    y = 591.0
    for record in bill.history:
        label = f"{record.month.label[:4]}{record.month.year % 100:02d}"
        page.font(5)
        page.left(16, y, label)
        page.font(7)
        page.right(88, y, _quantity(record.kwh))
        page.right(150, y, _num(record.daily_average or Decimal(0)))
        page.left(186, y, str(record.days or 0))
        y += 9.3


def _fiscal_box(page: _Page, bill: SyntheticBill) -> None:
    page.box(242, 640, 340, 26)
    page.font(7, "B")
    page.centre(412, 650, "Reservado ao Fisco")
    if not bill.taxes:
        page.font(7)
        page.centre(412, 660, "SEM VALOR FISCAL")
    page.font(8, "B")
    page.left(300, 678, "Base de cálculo (R$)")
    page.left(418, 678, "Alíquota (%)")
    page.left(488, 678, "Valor (R$)")
    page.font(7)
    y = 686.0
    for tax in bill.taxes:
        page.left(246, y, tax.name)
        page.right(382, y, _num(tax.base or Decimal(0)))
        page.right(452, y, _num(tax.rate or Decimal(0)))
        page.right(520, y, f"{_num(tax.amount or Decimal(0))} ")
        y += 7.5
    page.font(4.6, "B")
    page.left(
        45,
        716,
        "Fale com CEMIG: 116 - CEMIG Torpedo 29810 - Ouvidoria CEMIG: 0800 728 3838 - Agência Nacional de Energia "
        "Elétrica - ANEEL - Telefone: 167 - Ligação gratuita de telefones fixos e móveis.",
    )


def _payment_stub(page: _Page, bill: SyntheticBill) -> None:
    page.pdf.set_fill_color(220, 220, 220)
    for x, w, fill in ((115, 130, False), (252, 76, False), (336, 84, True), (428, 154, True)):
        page.box(x, 733, w, 30, fill)
    page.font(7, "B")
    for x, label in (
        (180, "Código de Débito Automático"),
        (290, "Instalação"),
        (378, "Vencimento"),
        (505, "Total a pagar"),
    ):
        page.centre(x, 743, label)
    page.font(8.5, "B")
    page.centre(180, 756, bill.automatic_debit_code)
    page.centre(290, 756, bill.installation_number)
    page.centre(378, 756, f"{bill.due_date:%d/%m/%Y}")
    page.centre(505, 756, f"R${_num(bill.total)}")
    month = bill.reference_month
    page.centre(180, 776, f"{_MONTH_NAMES[month.month - 1]}/{month.year}")
    page.left(262, 776, format_payment_line(bill.payment_line))
    page.pdf.set_fill_color(0, 0, 0)
    page.pdf.interleaved2of5(bill.barcode, 262, 782, w=1.5, h=34)
    if bill.debit_notice:
        page.font(7, "B")
        page.left(40, 800, "ATENÇÃO:")
        page.left(40, 808, "DÉBITO AUTOMÁTICO")


def _holder_and_numbers(page: _Page, bill: SyntheticBill) -> None:
    holder = bill.holder
    page.box(14, 50, 226, 128)
    page.font(7.5, "B")
    page.left(20, 62, holder.name)
    page.font(7)
    lines = [holder.street, holder.district, holder.city_line, holder.document]
    if holder.state_registration is not None:
        lines.append(holder.state_registration)
    for index, line in enumerate(lines):
        page.left(20, 70 + index * 7.6, line)
    page.font(7, "B")
    page.left(34, 145, " Nº DO CLIENTE")
    page.left(140, 145, " Nº DA INSTALAÇÃO")
    page.font(13, "B")
    page.left(24, 160, f" {bill.client_number}")
    page.left(138, 160, bill.installation_number)
    page.pdf.set_fill_color(225, 225, 225)
    page.box(242, 50, 340, 30, True)
    page.font(7.5, "B")
    page.left(262, 58, " Referente a")
    page.left(372, 58, "Vencimento")
    page.left(470, 58, "Valor a pagar (R$)")
    page.font(12, "B")
    page.left(256, 72, f" {bill.reference_month.label}")
    page.left(366, 72, f"{bill.due_date:%d/%m/%Y}")
    page.left(492, 72, f"{_num(bill.total)} ")


def _nota_fiscal(page: _Page, bill: SyntheticBill) -> None:
    page.font(6.5)
    authorized: datetime = bill.authorized_at
    lines = [
        f"NOTA FISCAL Nº {bill.nota_fiscal_number} - SÉRIE {bill.nota_fiscal_series}",
        f"Data de emissão: {bill.issue_date:%d/%m/%Y}",
        "Consulte pela chave de acesso em:",
        "http://www.sped.fazenda.mg.gov.br/spedmg/nf3e",
        "chave de acesso:",
        bill.access_key,
        f"Protocolo de autorização: {bill.protocol}",
        f"{authorized:%d.%m.%Y} às {authorized:%H:%M:%S}",
    ]
    if bill.contingency:
        lines.append("Emitida em Contingência")
    for index, line in enumerate(lines):
        page.left(324, 88 + index * 7.4, line)


def _classification(page: _Page, bill: SyntheticBill) -> None:
    page.box(14, 182, 568, 40)
    page.font(7.5, "B")
    for x, label in ((90, "Classe"), (220, "Subclasse"), (340, "Modalidade Tarifária"), (500, "Datas de Leitura")):
        page.centre(x, 192, label)
    page.font(7.5)
    subclass = page.wrap(bill.subclass, 55)
    page.centre(90, 200, bill.customer_class)
    page.centre(220, 200, subclass[0])
    page.centre(340, 200, bill.tariff_modality)
    for x, label in ((420, "Anterior"), (458, "Atual"), (486, "Nº de dias"), (532, "Próxima")):
        page.left(x, 200, label)
    page.centre(90, 208, bill.supply_type)
    if len(subclass) > 1:
        page.centre(220, 208, " ".join(subclass[1:]))
    dates = bill.reading_dates
    for x, day in ((426, dates.previous), (460, dates.current), (498, None), (536, dates.next)):
        text = str(dates.days) if day is None else f"{day:%d/%m}"
        page.left(x, 208, text)


def _technical(page: _Page, bill: SyntheticBill) -> None:
    page.box(242, 420, 340, 86)
    page.font(8, "B")
    page.centre(412, 432, "Informações Técnicas")
    page.font(6, "B")
    for x, label in (
        (246, "Tipo de Medição"), (340, "Medição"), (394, "Leitura"), (430, "Leitura"), (466, "Constante"),
        (526, "Consumo kWh"),
    ):  # fmt: skip
        page.left(x, 440, label)
    for x, label in ((394, "Anterior"), (432, "Atual"), (460, "de Multiplicação")):
        page.left(x, 447, label)
    reading = bill.meter_reading
    page.font(7)
    page.left(246, 456, reading.quantity)
    page.left(322, 456, reading.meter or "")
    page.right(414, 456, _quantity(reading.previous or Decimal(0)))
    page.right(450, 456, _quantity(reading.current or Decimal(0)))
    page.right(488, 456, _quantity(reading.constant or Decimal(0)))
    page.right(560, 456, f"{_quantity(reading.consumption or Decimal(0))} ")


def _page_header(page: _Page, bill: SyntheticBill) -> None:
    page.font(4.8, "B")
    page.left(150, 16, "DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA")
    page.font(7, "B")
    page.right(580, 16, bill.copy_label)
    page.font(4.8, "B")
    page.left(150, 22, "CEMIG DISTRIBUIÇÃO S.A. CNPJ 06.981.180/0001-16 / INSC. ESTADUAL 062.322136.0087.")
    page.left(150, 28, "AV. BARBACENA, 1200 - 17° ANDAR - ALA 1 - BAIRRO SANTO AGOSTINHO")
    page.left(150, 34, "CEP: 30190-131 - BELO HORIZONTE - MG.")
    page.left(330, 34, "TARIFA SOCIAL DE ENERGIA ELÉTRICA - TSEE FOI CRIADA PELA LEI Nº 10.438, DE 26 DE ABRIL DE 2002")
    page.pdf.set_fill_color(0, 130, 70)
    page.box(16, 12, 120, 30, True)


def _general_information(page: _Page, bill: SyntheticBill) -> None:
    page.box(242, 512, 340, 120)
    page.font(8, "B")
    page.centre(412, 524, "Informações Gerais")
    parts = []
    if bill.debt_receipt:
        year = bill.reference_month.year - 1
        parts.append(
            f"RECIBO DE QUITAÇÃO DE DÉBITOS Nº {bill.reference_month.month:02d}/{bill.reference_month.year} "
            f"A Cemig declara quitados os débitos do cliente referentes aos vencimentos de 01/01/{year} a "
            f"31/12/{year}, excetuando eventuais débitos posteriormente apurados."
        )
    if bill.gd_balance_kwh is not None:
        parts.append(f"SALDO ATUAL DE GERAÇÃO: {_num(bill.gd_balance_kwh)} kWh.")
    parts.append(
        "Tarifa vigente conforme Res Aneel nº 3.202, de 23/05/2023. Redução aliquota ICMS conforme Lei "
        "Complementar 194/22."
    )
    if bill.gd_balance_kwh is not None:
        parts.append("Unidade faz parte de sistema de compensação de energia.")
    parts.append(
        "O pagamento desta conta não quita débitos anteriores. Leitura realizada conforme calendário de "
        "faturamento. É dever do consumidor manter os dados cadastrais sempre atualizados."
    )
    first, second = bill.tariff_flags
    parts.append(
        f"{first.month.label[:4] if first.month else ''}{(first.month.year % 100) if first.month else 0:02d} "
        f"Band. {first.flag} - {bill.reference_month.label[:4]}{bill.reference_month.year % 100:02d} "
        f"Band. {second.flag}."
    )
    page.font(6.5)
    for index, line in enumerate(page.wrap(" ".join(parts), 330)):
        page.left(246, 533 + index * 7.6, line)


def _overdue_notice(page: _Page, bill: SyntheticBill) -> None:
    overdue = bill.overdue
    if overdue is None:
        return
    page.font(8, "B")
    page.centre(118, 436, "NOTIFICAÇÃO DE DÉBITO(S)")
    page.font(6.5)
    page.left(18, 446, f"Até {bill.issue_date:%d/%m/%Y} constava(m) o(s) seguinte(s) débito(s):")
    page.left(18, 456, "Mês/Ano Valor (R$)")
    page.left(110, 456, "Débitos que sujeitam ao corte:")
    page.left(110, 464, " Mês/Ano Valor (R$) Prev. Corte")
    page.left(110, 472, f"{overdue.month.month:02d}/{overdue.month.year}")
    page.right(180, 472, _num(overdue.amount))
    page.left(186, 472, f"{overdue.cut_off:%d/%m/%Y}")
    for index, line in enumerate(
        (
            "A religação estará condicionada à inexistência de débitos",
            "vencidos na unidade consumidora. No mês em que ocorrer",
            "suspensão/religação será cobrado, no mínimo, o custo de",
            "disponibilidade.",
        )
    ):
        page.left(18, 482 + index * 7.6, line)


def render_cemig_danf3e(bill: SyntheticBill) -> bytes:
    """The bill as a one-page PDF; the same bill always gives the same bytes."""
    page = _Page()
    stamp = datetime.combine(bill.issue_date, bill.authorized_at.time())
    page.pdf.set_creation_date(stamp)
    page.pdf.set_producer("faturas synthetic")
    page.pdf.set_draw_color(120, 120, 120)
    page.pdf.set_line_width(0.5)
    page.box(14, 250, 568, 165)
    _values_table(page, bill)
    _history(page, bill)
    _fiscal_box(page, bill)
    _payment_stub(page, bill)
    _holder_and_numbers(page, bill)
    _nota_fiscal(page, bill)
    _classification(page, bill)
    _technical(page, bill)
    _page_header(page, bill)
    _general_information(page, bill)
    _overdue_notice(page, bill)
    return bytes(page.pdf.output())
