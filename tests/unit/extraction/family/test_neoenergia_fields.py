"""The Neoenergia form (Pernambuco, Cosern) read from images: garbled labels, split codes, fee cents
without their comma, descriptions put back to the form's wording.

Invented bills in the shape OCR gives them; every name, code and amount here is made up.
"""

from __future__ import annotations

from decimal import Decimal

from faturas.extraction.distributors.family.commas import restore_fee_amount
from faturas.extraction.distributors.family.vocabulary import numbered_description
from faturas.extraction.distributors.neoenergia.form import NUMBERED_DESCRIPTIONS
from faturas.extraction.extract import extract_from_image_text
from faturas.extraction.pdf_text import PdfText

#: The rows of a screenshot: "CÓDIGO DA INSTALAÇÃO" garbled but for its ending, on the holder's row;
#: the last fee's "0,12" read "012"; the consumption history's title lost.
NEOENERGIA_ROWS = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA Neoenergia
COMPANHIA ENERGÉTICA DE PERNAMBUCO CNPJ 10.835.932/0001-08
NOME FULANO DO CLIENTE: DE TAL coicoastauação SEEP LR
CPF: 000.0º.""*.* 1234567 ES NOTA FISCAL Nº 100000001 - SERIE 000
RUA INVENTADA 1 coa Do cuentE
00000-000 CIDADE PE 7000000001
REF:MESIANO TOTAL A PAGAR R$ VENCIMENTO
09/2025 70,36 16/09/2025
O ITENS DA FATURA UNID QUANT. PREÇO UNIT. VALOR
onsumo-TUSD kWh 100,00] 0,60000000 60,00 2,00 60,00] 20,50 12,30] 0,48000000) PIS 60,00 0,86 0,52
llum. Pub. Municipal 8,00
ICMS-CDE NF 100000002 2,24
IPCA.NF-100000002 012 O consumormm
CONSUMO FATURADO N'DIAS FAT
SET25 144 30
09/2025 cóDico Do cuEntTE 7000000001 vencimento 16/09/2025 TOTAL A PAGAR R$ 70,36
"""


def _read(text: str) -> PdfText:
    return PdfText((text,), from_ocr=True)


def test_neoenergia_reads_a_garbled_installation_label_on_the_holders_row_and_every_billed_line() -> None:
    invoice = extract_from_image_text(_read(NEOENERGIA_ROWS))
    assert (invoice.installation_number, invoice.client_number) == ("1234567", "7000000001")
    assert [(item.description, item.amount) for item in invoice.items] == [
        ("Consumo-TUSD", Decimal("60.00")),
        ("Ilum. Púb. Municipal", Decimal("8.00")),
        ("ICMS-CDE NF100000002", Decimal("2.24")),
        ("IPCA-NF-100000002", Decimal("0.12")),
    ]
    assert sum(item.amount for item in invoice.items) == invoice.total_amount


def test_fee_cents_without_their_comma_are_kept_only_when_the_lines_add_up_to_the_total() -> None:
    assert restore_fee_amount("IPCA.NF-100000002 012 O") == "IPCA.NF-100000002 0,12 O"
    assert restore_fee_amount("Juros 0123") == "Juros 0123"  # four digits after a zero: not cents
    invoice = extract_from_image_text(_read(NEOENERGIA_ROWS.replace("70,36", "70,37")))
    assert [item.amount for item in invoice.items][-1] == Decimal("2.24")  # "012" stays unread


def test_neoenergia_reads_a_garbled_installation_label_in_the_boxes_text() -> None:
    boxes = NEOENERGIA_ROWS.replace(
        'NOME FULANO DO CLIENTE: DE TAL coicoastauação SEEP LR\nCPF: 000.0º.""*.* 1234567 ES',
        "NOME DO CLIENTE:\nFULANO DE TAL\nconconasestuação\n1234567\ncoa Do cuentE\n7000000001\nES",
    )
    assert extract_from_image_text(_read(boxes)).installation_number == "1234567"


def test_a_garbled_word_that_is_not_the_installations_label_leads_to_no_code() -> None:
    # Ending in "ção" is not enough: off the holder's row, and not over the client's box, it is no label.
    text = NEOENERGIA_ROWS.replace("DE TAL coicoastauação SEEP LR", "DE TAL").replace(
        "RUA INVENTADA 1", "CLASSIFICAÇÃO 1234567 RUA INVENTADA 1"
    )
    assert extract_from_image_text(_read(text)).installation_number is None


def test_cosern_joins_an_installation_code_split_in_two_only_to_its_full_length() -> None:
    cosern = NEOENERGIA_ROWS.replace("COMPANHIA ENERGÉTICA DE PERNAMBUCO CNPJ 10.835.932/0001-08", "COSERN")
    split = cosern.replace("coicoastauação SEEP LR", "Cóbico E DA INSTALAÇÃO 6 LA").replace("1234567", "000123 4567 7")
    assert extract_from_image_text(_read(split)).installation_number == "0001234567"
    # Nine digits in two runs are not a ten-digit code: nothing is read.
    short = split.replace("000123 4567 7", "00123 4567 7")
    assert extract_from_image_text(_read(short)).installation_number is None


def test_numbered_descriptions_get_the_forms_punctuation_back_and_nothing_else() -> None:
    assert numbered_description("ICMS-CDE NF 100000002", NUMBERED_DESCRIPTIONS) == "ICMS-CDE NF100000002"
    assert numbered_description("IPCA.NF-100000002", NUMBERED_DESCRIPTIONS) == "IPCA-NF-100000002"
    assert numbered_description("Multa-NF100000002", NUMBERED_DESCRIPTIONS) == "Multa-NF 100000002"
    assert numbered_description("Multa-NF 100000002", NUMBERED_DESCRIPTIONS) == "Multa-NF 100000002"
    # A letter off is another line (or a misread): left as read.
    assert numbered_description("IPCA-NE-100000002", NUMBERED_DESCRIPTIONS) == "IPCA-NE-100000002"
    assert numbered_description("Juros 12345", NUMBERED_DESCRIPTIONS) == "Juros 12345"


#: A faint print: the TE row's quantity lost a digit ("18 :,00" for 162,00) and its price a 9 read as
#: an 8; its amount is printed twice (value and ICMS base), once misread.
COSERN_FAINT = """\
DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELÉTRICA ELETRÔNICA Neoenergia COSERN
KATIA DE TAL N É Cóbico E DA INSTALAÇÃO 6 LA
CPF 118 7º Ae? ES 0001234567
REF: MÊS / ANO TOTAL A PAGAR VENCIMENTO
03/2025 180,00 12/03/2025
ITENS DA FATURA UNID QUANT. PREÇO UNIT. VALOR
Consumo-TUSD kWh 100,00]0,50000000 50,00 3,70 50,00] 18,00 15,42] 041087000
Consumo-TE KYYH 18 :,00]0,40100000 40,80 2,99 40,00/13,00 12,51/0,33327000
Ilum. Púb. Municipal 90,00
TOTAL DA FATURA 180,00
"""


def test_a_faint_energy_row_is_rebuilt_from_the_total_its_sister_rows_quantity_and_one_digit_of_its_price() -> None:
    invoice = extract_from_image_text(_read(COSERN_FAINT))
    te = invoice.items[1]
    # 180,00 - 50,00 - 90,00 = 40,00, printed in the row; 100 × 0,40000000 = 40,00 (a 1 read for a 0).
    assert (te.description, te.quantity, te.unit_price, te.amount) == (
        "Consumo-TE",
        Decimal(100),
        Decimal("0.40000000"),
        Decimal("40.00"),
    )
    assert any(warning.check == "ocr_item_rebuilt" and "items" in warning.fields for warning in invoice.warnings)


def test_a_faint_energy_row_stays_unread_when_the_bill_does_not_prove_it() -> None:
    # The amount the other lines leave is not printed in the row.
    unprinted = COSERN_FAINT.replace("40,00/13,00", "41,00/13,00")
    assert extract_from_image_text(_read(unprinted)).items[1].quantity is None
    # No single digit of the price gives the amount.
    two_digits = COSERN_FAINT.replace("0,40100000", "0,41100000")
    assert extract_from_image_text(_read(two_digits)).items[1].quantity is None
    # The digit read where the quantity stands is not the sister row's.
    other_quantity = COSERN_FAINT.replace("KYYH 18 :,00", "KYYH 28 :,00")
    assert extract_from_image_text(_read(other_quantity)).items[1].quantity is None
