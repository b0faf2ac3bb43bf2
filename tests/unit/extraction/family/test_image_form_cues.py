"""Groups told apart when OCR loses the logo and the CNPJ: by what only their form prints.

Invented bills in the shape OCR gives them; every name, code and amount here is made up. The group
found this way is never confirmed: the read is flagged for review because no CNPJ was seen.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from faturas.domain.reference_month import ReferenceMonth
from faturas.errors import FieldsMissing, UnknownDistributor
from faturas.extraction.distributors import DISTRIBUTORS
from faturas.extraction.extract import extract_from_image_text
from faturas.extraction.image.detect import detect_image_distributor
from faturas.extraction.image.read import image_warnings
from faturas.extraction.pdf_text import PdfText

#: Enel's form (Ceará's shape) with the logo and CNPJ unreadable: the items' summary is legible.
ENEL_SUMMARY = """\
Cempanhia Enorgetica do Estada CNPS: 0?.0A7.2.. /000?-?0
CLASSIFICAÇÃO DA UNIDADE CONSUMIDORA
DESCRIÇÃO DO FATURAMENTO
Energia Ativa Fornecida TE kWh 100 0,30000 30,00
SUBTOTAL FATURAMENTO: 80,00
SUBTOTAL OUTROS: 5,00
TOTAL: 85,00
Tipos Fat: LID - Lido; MED - Media de consumo; MIN - minimo faturavel
"""

#: A Neoenergia concession's bill whose own name OCR read with one letter wrong.
NEOENERGIA_BLURRED = """\
Neoenergia Ligue grátis 0800
CÓDIGO DO CLIENTE 123456
REF:MES/ANO TOTAL A PAGAR R$ VENCIMENTO
11/2025 R$ 150,00 10/12/2025
CONSUMO TE kWh 100 0,500000 50,00
BENEFICIARIO: {name} REDES S.A.
"""


def _read(text: str) -> PdfText:
    return PdfText((text,), from_ocr=True)


def test_enel_is_known_by_its_items_summary_and_reads_the_total_from_it() -> None:
    invoice = extract_from_image_text(_read(ENEL_SUMMARY))
    assert (invoice.distributor, invoice.total_amount) == ("ENEL", Decimal("85.00"))
    warnings = image_warnings(invoice, 2000, ENEL_SUMMARY)
    assert any(w.check == "image_distributor_unconfirmed" and "distributor" in w.fields for w in warnings)


def test_a_garbled_summary_total_is_not_taken_from_the_numbers_after_it() -> None:
    text = ENEL_SUMMARY.replace("TOTAL: 85,00", "TOTAL: 8500 539 000 0,00")
    with pytest.raises(FieldsMissing):  # no total rather than the 0,00 that follows the label
        extract_from_image_text(_read(text))


def test_a_concession_name_one_letter_off_beside_its_parent_names_the_concession() -> None:
    text = NEOENERGIA_BLURRED.format(name="ELENTRO")
    assert detect_image_distributor(_read(text), DISTRIBUTORS).name == "ELEKTRO"


@pytest.mark.parametrize(
    "text",
    [
        NEOENERGIA_BLURRED.format(name="ELENTRO").replace("Neoenergia", "Nevenergia"),  # no parent: no guess
        NEOENERGIA_BLURRED.format(name="ELENTRO COSERM"),  # two concessions come close: no guess
        NEOENERGIA_BLURRED.format(name="ELETRICA"),  # two letters off
    ],
)
def test_without_the_parent_or_with_two_candidates_the_concession_is_not_guessed(text: str) -> None:
    with pytest.raises(UnknownDistributor):
        detect_image_distributor(_read(text), DISTRIBUTORS)


#: Elektro's form: the top box's client code under its label, past the access key; the stub labels
#: the installation code "CÓDIGO DO CLIENTE" beside the due date.
ELEKTRO_TOP_BOX = """\
Neoenergia Elektro Redes S.A. CNPJ 02.328.280/0001-97
NOME DO CLIENTE CÓDIGO DA INSTALAÇÃO
RUA DAS FLORES, 10 CÓDIGO DO CLIENTE Chave de Acesso 1111 2222 3333 4444 5555 6666 7777 8888 9999
CIDADE NOVA SP CEP 10000-000 55500011
REF:MES/ANO TOTAL A PAGAR R$ VENCIMENTO
10/2025 R$ 50,00 10/11/2025
CÓDIGO DO CLIENTE 22200033 VENCIMENTO 10/11/2025 TOTAL A PAGAR R$ 50,00
"""


def test_elektro_reads_the_client_code_from_the_top_box_and_the_installation_from_the_stub() -> None:
    invoice = extract_from_image_text(_read(ELEKTRO_TOP_BOX))
    assert (invoice.distributor, invoice.installation_number, invoice.client_number) == (
        "ELEKTRO",
        "22200033",
        "55500011",
    )


def test_a_client_code_equal_to_the_installation_was_read_from_the_wrong_box_and_is_dropped() -> None:
    text = ELEKTRO_TOP_BOX.replace("55500011", "22200033")
    assert extract_from_image_text(_read(text)).client_number is None


def test_edp_sao_paulo_reads_the_month_by_name_from_its_conta_do_mes_box() -> None:
    text = """\
EDP SAO PAULO DISTRIBUICAO DE ENERGIA S.A. CNPJ 02.302.100/0001-06
FULANO DE TAL Nº da instalação VENCIMENTO Total a Pagar
RUA INVENTADA 1 00000-000 CIDADE - SP 0100000001 18/09/2025 R$ 50,00
Atendimento EDP Conta do Mês
RUA INVENTADA 1 0800 000 0000 Agosto/2025
"""
    assert extract_from_image_text(_read(text)).reference_month == ReferenceMonth(2025, 8)
