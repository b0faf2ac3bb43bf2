"""Commas OCR lost, put back only where arithmetic proves them; descriptions put back to the form's words.

Invented rows in the shape a blurred photo gives them; every amount here is made up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from faturas.errors import FieldsMissing
from faturas.extraction.distributors.edp import DESCRIPTIONS as EDP_DESCRIPTIONS
from faturas.extraction.distributors.enel import DESCRIPTIONS as ENEL_DESCRIPTIONS
from faturas.extraction.distributors.family.commas import restore_fee_amount, restore_measured_commas
from faturas.extraction.distributors.family.header import labelled
from faturas.extraction.distributors.family.items import parse_item_row
from faturas.extraction.distributors.family.vocabulary import printed_description
from faturas.extraction.extract import extract_from_image_text
from faturas.extraction.pdf_text import PdfText

ENERGISA = ("Consumo em kWh", "Adic. B. Vermelha", "Adic. B. Amarela", "CONTRIB ILUM PUBLICA", "JUROS DE MORA")
ENEL = ENEL_DESCRIPTIONS
CPFL = (
    "Consumo Uso Sistema [KWh]-TUSD",
    "Consumo - TE",
    "Adicional de Bandeira Vermelha",
    "Adicional de Bandeira Vermelha P1",
    "Adicional de Bandeira Vermelha P2",
)


def test_a_price_and_an_amount_without_their_commas_are_restored_when_quantity_times_price_gives_the_amount() -> None:
    # 40 x 0,812500 = 32,50: "0812500" and "3250" only make sense with their commas back.
    item = parse_item_row("Consumo em kWh KWH 40 0812500 3250 127 3250 20", False)
    assert item is not None
    assert (item.quantity, item.unit_price, item.amount) == (Decimal(40), Decimal("0.8125"), Decimal("32.50"))


def test_digits_that_do_not_multiply_out_keep_their_place_and_the_row_is_not_measured() -> None:
    assert restore_measured_commas(["Consumo", "40", "0812500", "3251"]) == ["Consumo", "40", "0812500", "3251"]
    # Nothing lost: a row already printed with its commas is left to the usual reading.
    printed = ["Consumo", "40", "0,812500", "32,50"]
    assert restore_measured_commas(printed) == printed


def test_a_whole_quantity_and_an_amount_both_without_commas_are_restored_together() -> None:
    restored = restore_measured_commas(["TE", "2000000", "0,40000000", "asa", "8000", "1700"])
    assert restored == ["TE", "200,0000", "0,40000000", "asa", "80,00", "1700"]


def test_a_fee_rows_digits_become_an_amount_only_for_rows_with_no_amount_and_no_price() -> None:
    assert restore_fee_amount("Adic B Vermelha 579 023") == "Adic B Vermelha 5,79 023"
    assert restore_fee_amount("Adic B Vermelha 5,79 023") == "Adic B Vermelha 5,79 023"
    assert restore_fee_amount("Consumo 56 0,824890 4619") == "Consumo 56 0,824890 4619"
    assert restore_fee_amount("Adic B Vermelha 68 12") == "Adic B Vermelha 68 12"  # two digits: no cents to tell


ENERGISA_PHOTO = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA
ENERGISA PARAIBA - DISTRIBUIDORA DE ENERGIA S/A CNPJ 09.095.183/0001-40
FULANO DE TAL CÓDIGO DO CLIENTE
RUA INVENTADA 1 5/100000-1
CÓDIGO DA INSTALAÇÃO
00000100001
REF: MÊS / ANO VENCIMENTO TOTAL A PAGAR
Set / 2025 16/09/2025 R$ 42,87
Preço unit Valor PIS/ Base Calc.
ITENSDAFATURA Unid Quant (R$) (R$) (R$)
» sr Consumo em KM KWH 40 0812500 3250 127 3250 20
Adi E Vermelha 579 023 579 20
LANÇAMENTOS E SERVIÇOS
CONTRIB SERV ILUM PUBLICA 458 000
É TOTAL: 42,87 150 3829
CONSUMO FATURADO Nº DIAS FAT
"""


def test_a_blurred_energisa_table_reads_whole_when_its_lines_then_add_up_to_the_total() -> None:
    invoice = extract_from_image_text(PdfText((ENERGISA_PHOTO,), from_ocr=True))
    assert invoice.due_date == date(2025, 9, 16)
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("Consumo em kWh", Decimal("32.50")),
        ("Adic. B. Vermelha", Decimal("5.79")),
        ("CONTRIB SERV ILUM PUBLICA", Decimal("4.58")),
    ]
    assert (invoice.items[0].unit, invoice.items[0].quantity) == ("kWh", Decimal(40))


def test_fee_digits_stay_unread_when_the_lines_would_not_add_up_to_the_total() -> None:
    text = ENERGISA_PHOTO.replace("R$ 42,87", "R$ 42,88")
    invoice = extract_from_image_text(PdfText((text,), from_ocr=True))
    assert [item.amount for item in invoice.items] == [Decimal("32.50")]
    assert any(warning.check == "items_sum" for warning in invoice.warnings)


def test_a_garbled_description_is_put_back_to_the_forms_own_words() -> None:
    assert printed_description("Adi E Vermelha", ENERGISA) == "Adic. B. Vermelha"
    assert printed_description("» sr Consumo em KAfh", ENERGISA) == "Consumo em kWh"
    assert printed_description("Consumo Uso Sistema [KWN-TUSO JAN/26", CPFL) == "Consumo Uso Sistema [KWh]-TUSD JAN/26"
    assert printed_description("JUROS DE MOPA 05/2025", ENERGISA) == "JUROS DE MORA 05/2025"


def test_a_description_with_a_word_more_or_an_unclear_choice_stays_as_read() -> None:
    assert printed_description("Consumo em kWh Ponta", ENERGISA) == "Consumo em kWh Ponta"
    assert printed_description("Adicional de Bandeira Vermelha P1 JUL/25", CPFL) == (
        "Adicional de Bandeira Vermelha P1 JUL/25"
    )
    # "PZ" is as close to P1 as to P2: neither is chosen.
    assert printed_description("Adicional de Bandeira Vermelha PZ", CPFL) == "Adicional de Bandeira Vermelha PZ"
    assert printed_description("Adic. B. Vermelha P1", ENERGISA) == "Adic. B. Vermelha P1"
    assert printed_description("Taxa de religação", ENERGISA) == "Taxa de religação"


def test_enels_descriptions_are_put_back_with_a_printed_pair_read_as_one_word_and_the_unit_dropped() -> None:
    assert printed_description("Bonus Raipu", ENEL) == "Bonus Itaipu"
    assert printed_description("CIP - ILUM PUBPREF MUNICIPAL", ENEL) == "CIP - ILUM PUB PREF MUNICIPAL"
    assert printed_description("fáicional Band Vermelha Kem", ENEL) == "Adicional Band. Vermelha"
    assert printed_description("Energia Ativa Formedda TUSD Kem", ENEL) == "Energia Ativa Fornecida TUSD"


def test_an_enel_description_with_a_word_lost_or_garbled_past_recognition_stays_as_read() -> None:
    # A joined pair is compared strictly: a word dropped is not a pair read as one.
    assert printed_description("CIP - ILUM PUB MUNICIPAL", ENEL) == "CIP - ILUM PUB MUNICIPAL"
    assert printed_description("CIP - ILUM PUBXYZ MUNICIPAL", ENEL) == "CIP - ILUM PUBXYZ MUNICIPAL"
    assert printed_description("Energia Zea Formedda TE Kem", ENEL) == "Energia Zea Formedda TE Kem"
    assert printed_description("Bonus Rapu", ENEL) == "Bonus Rapu"
    assert printed_description("LAR SEGURO BASICO 0000000000", ENEL) == "LAR SEGURO BASICO 0000000000"


def test_the_tables_total_row_stands_for_an_unread_header_total_only_when_the_lines_add_up_to_it() -> None:
    unread_header = ENERGISA_PHOTO.replace("R$ 42,87", "R$540").replace("É TOTAL: 42,87", "pia TOTAL: 4287")
    invoice = extract_from_image_text(PdfText((unread_header,), from_ocr=True))
    assert invoice.total_amount == Decimal("42.87")
    assert sum(item.amount for item in invoice.items) == Decimal("42.87")
    wrong_row = unread_header.replace("TOTAL: 4287", "TOTAL: 4288")
    with pytest.raises(FieldsMissing):
        extract_from_image_text(PdfText((wrong_row,), from_ocr=True))


def test_a_labelled_code_that_runs_past_the_labels_reach_is_read_whole() -> None:
    text = "Código da Instalação " + "x" * 100 + " 3000000049 44"
    code = r"(?<![\w./-])(\d{8,10})(?![\w./-])"
    assert labelled(text, r"C.digo da Instala..o", code, reach=110, overrun=20) == "3000000049"
    assert labelled(text, r"C.digo da Instala..o", code, reach=110) == "30000000"  # cut, as before (no overrun)
    # A value that only starts beyond the reach is not the label's.
    assert labelled(text, r"C.digo da Instala..o", code, reach=90, overrun=20) is None


def test_a_garbled_unit_after_the_reference_month_is_dropped_only_when_the_description_is_then_the_forms() -> None:
    assert printed_description("Consumo - TE JAN/26 ava", CPFL) == "Consumo - TE JAN/26"
    assert printed_description("Consumo Uso Sistema [KWN-TUSO JAN/26 ava", CPFL) == (
        "Consumo Uso Sistema [KWh]-TUSD JAN/26"
    )
    # Not one of the form's lines: left exactly as read, speck included.
    assert printed_description("Taxa de Religacao JAN/26 ava", CPFL) == "Taxa de Religacao JAN/26 ava"


def test_a_unit_blurred_into_a_v_is_the_unit_but_kw_and_kva_stay_other_units() -> None:
    item = parse_item_row("Adicional de Bandeira Amarela JAN/26 kV 6,81 6,81 17,00", False)
    assert item is not None and (item.description, item.unit) == ("Adicional de Bandeira Amarela JAN/26", "kWh")
    demand = parse_item_row("Demanda kW 6,81 6,81", False)
    assert demand is not None and demand.description == "Demanda kW" and demand.unit is None


def test_a_fee_whose_reference_label_ocr_turned_is_put_back_with_its_month_as_read() -> None:
    # EDP prints "Multa Ref.: Ago/25"; a photo's read turns "Ref." into "Ret." or "Rot.".
    assert printed_description("Multa Ret.: Ago/25", EDP_DESCRIPTIONS) == "Multa Ref.: Ago/25"
    assert printed_description("Juros de Mora Rot.: Jul/25", EDP_DESCRIPTIONS) == "Juros de Mora Ref.: Jul/25"
    assert printed_description("TUSO - Consumo", EDP_DESCRIPTIONS) == "TUSD - Consumo"
    # A word more (a law's number) is another line: as read.
    assert printed_description("Multa Ret.: Lei 1234/2017", EDP_DESCRIPTIONS) == "Multa Ret.: Lei 1234/2017"
