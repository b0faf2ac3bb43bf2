from __future__ import annotations

import re

import pytest

from faturas.domain.invoice import Invoice
from faturas.errors import NotABill, UnknownDistributor, UnsupportedLayout
from faturas.extraction.distributors.base import Distributor, cnpj_cue, text_cue
from faturas.extraction.distributors.detection import choose_layout, detect_distributor, lower
from faturas.extraction.pdf_text import PdfText

BILL_WORDS = "Conta de energia elétrica. Consumo 150 kWh. Vencimento 10/04/2025."


class _Layout:
    def __init__(self, name: str, marker: str) -> None:
        self.name = name
        self._marker = re.compile(marker)

    def matches(self, document: PdfText) -> bool:
        return bool(self._marker.search(document.text))

    def extract(self, document: PdfText) -> Invoice:  # pragma: no cover - detection never extracts
        raise NotImplementedError


NORTE = Distributor(
    "NORTE",
    (cnpj_cue("11.222.333/0001-44"), text_cue("NORTE ENERGIA", r"\bNORTE ENERGIA\b")),
    (_Layout("norte.nova", r"MODELO NOVO"), _Layout("norte.antiga", r"MODELO ANTIGO")),
)
SUL = Distributor("SUL", (text_cue("SUL LUZ", r"\bSUL LUZ\b", weight=3),), ())


def _doc(*pages: str) -> PdfText:
    return PdfText(pages)


def test_a_text_without_bill_words_is_not_a_bill() -> None:
    with pytest.raises(NotABill) as raised:
        detect_distributor(_doc("Recibo de aluguel do mês de março."), (NORTE, SUL))
    assert "kWh" in raised.value.reason
    assert raised.value.code == "not_a_bill"


def test_a_bill_of_no_known_distributor_names_the_cues_tried() -> None:
    with pytest.raises(UnknownDistributor) as raised:
        detect_distributor(_doc(BILL_WORDS), (NORTE, SUL))
    assert raised.value.cues_tried == ("CNPJ 11.222.333/0001-44", "NORTE ENERGIA", "SUL LUZ")
    assert "CNPJ 11.222.333/0001-44" in raised.value.message


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-44", "11222333000144", "11 222 333 0001 44"])
def test_a_cnpj_with_or_without_punctuation_identifies_the_distributor(cnpj: str) -> None:
    assert detect_distributor(_doc(f"{BILL_WORDS} CNPJ {cnpj}"), (SUL, NORTE)) is NORTE


@pytest.mark.parametrize("extra", ["", " Pague com PIX ✓ — até o vencimento"])
@pytest.mark.parametrize("cnpj", ["11.222.333/0001-44", "11\xa0222\t333\n0001-44", "11.222.333/\f0001-44"])
def test_a_cnpj_split_by_any_separator_is_found_in_latin1_and_wider_text(cnpj: str, extra: str) -> None:
    # Latin-1 text takes a byte-level path, text with wider characters the general one: both read it.
    assert detect_distributor(_doc(f"{BILL_WORDS}{extra} CNPJ {cnpj}"), (SUL, NORTE)) is NORTE


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("0001 1122233300014400", True),  # its branch "0001" printed before it, digits after it
        ("9911222333000010001 44", False),  # the branch twice, the CNPJ not
        ("112223330000001 44", False),
        ("1.222.333/0001-44", False),  # cut short
        ("CNPJ 11.222.333/00-01-44", True),
    ],
)
def test_a_cnpj_cue_matches_its_14_digits_wherever_they_run_and_nothing_else(text: str, found: bool) -> None:
    cue = NORTE.cues[0]
    assert cue.found_in(text, text.lower()) is found


def test_the_distributor_with_the_highest_cue_score_wins() -> None:
    text = f"{BILL_WORDS} SUL LUZ parceira. NORTE ENERGIA S.A. CNPJ 11.222.333/0001-44"
    assert detect_distributor(_doc(text), (SUL, NORTE)) is NORTE


LESTE = Distributor(
    "LESTE",
    (cnpj_cue("55.666.777/0001-88"), text_cue("LESTE", r"\bLESTE\b", weight=5), text_cue("OESTE", r"\bOESTE\b")),
    (),
)
OESTE = Distributor("OESTE", (text_cue("OESTE", r"\bOESTE\b", weight=8),), ())


@pytest.mark.parametrize(
    "names",
    [
        "",
        "SUL LUZ",
        "NORTE ENERGIA",
        "CNPJ 11.222.333/0001-44",
        "CNPJ 11.222.333/0001-44 SUL LUZ OESTE",
        "CNPJ 55.666.777/0001-88 OESTE",
        "CNPJ 55.666.777/0001-88 CNPJ 11.222.333/0001-44 NORTE ENERGIA OESTE",
        "LESTE OESTE",
        "OESTE SUL LUZ",
        "CNPJ 55.666.777/0001-88 LESTE NORTE ENERGIA",
    ],
)
def test_detection_skips_no_distributor_that_could_win_or_tie(names: str) -> None:
    """Distributors whose CNPJ and text cues cannot reach the best score are not scored: same result, ties too."""
    text = f"{BILL_WORDS} {names}"
    lowered = lower(text)
    for distributors in ((NORTE, SUL, LESTE, OESTE), (OESTE, LESTE, SUL, NORTE), (SUL, OESTE, NORTE, LESTE)):
        scores = [distributor.score(text, lowered) for distributor in distributors]
        if max(scores) < 3:
            with pytest.raises(UnknownDistributor):
                detect_distributor(_doc(text), distributors)
            continue
        assert detect_distributor(_doc(text), distributors) is distributors[scores.index(max(scores))]


def test_cues_are_searched_on_every_page() -> None:
    assert detect_distributor(_doc(BILL_WORDS, "página 2: SUL LUZ"), (NORTE, SUL)) is SUL


def test_a_long_bill_is_known_by_its_first_pages() -> None:
    pages = [f"{BILL_WORDS} NORTE ENERGIA CNPJ 11.222.333/0001-44", "itens", *(["SUL LUZ SUL LUZ"] * 5)]
    assert detect_distributor(_doc(*pages), (SUL, NORTE)) is NORTE


def test_a_long_bill_whose_first_pages_name_no_distributor_is_scored_whole() -> None:
    pages = ["Sumário da conta coletiva", "Lista de unidades", f"{BILL_WORDS} CNPJ 11.222.333/0001-44"]
    assert detect_distributor(_doc(*pages), (SUL, NORTE)) is NORTE


def test_a_weak_cue_alone_is_noise() -> None:
    weak = Distributor("FRACA", (text_cue("FRACA", r"FRACA", weight=1),), ())
    with pytest.raises(UnknownDistributor):
        detect_distributor(_doc(f"{BILL_WORDS} FRACA"), (weak,))


def test_the_first_matching_layout_is_chosen() -> None:
    assert choose_layout(NORTE, _doc("MODELO ANTIGO")).name == "norte.antiga"
    assert choose_layout(NORTE, _doc("MODELO NOVO e MODELO ANTIGO")).name == "norte.nova"


def test_a_bill_in_no_known_layout_names_the_layouts_tried() -> None:
    with pytest.raises(UnsupportedLayout) as raised:
        choose_layout(NORTE, _doc("MODELO DE 1990"))
    assert raised.value.distributor == "NORTE"
    assert raised.value.layouts_tried == ("norte.nova", "norte.antiga")


def test_a_distributor_without_layouts_is_unsupported() -> None:
    with pytest.raises(UnsupportedLayout) as raised:
        choose_layout(SUL, _doc(BILL_WORDS))
    assert "nenhum" in raised.value.message


def test_lower_is_str_lower_for_every_latin1_character_and_beyond() -> None:
    latin1 = "".join(map(chr, range(256)))
    assert lower(latin1) == latin1.lower()
    assert lower("ENERGIA ELÉTRICA – ÇÃO") == "ENERGIA ELÉTRICA – ÇÃO".lower()  # an en dash: not Latin-1


@pytest.mark.parametrize(
    "text", ["", "CNPJ 11.222.333/0001-44", "11222333000144 55.666.777/0001-88", "55666777 0001 88"]
)
def test_the_cnpj_score_is_what_the_cnpj_cues_find(text: str) -> None:
    for distributor in (NORTE, SUL, LESTE, OESTE):
        expected = sum(cue.weight for cue in distributor.cnpj_cues if cue.found_in(text, lower(text)))
        assert distributor.cnpj_score(text, lower(text)) == expected
