from faturas.errors import ExtractionTimedOut, OcrTimeout


def test_time_limits_are_written_with_a_decimal_comma() -> None:
    assert "limite de 6,2 segundos" in OcrTimeout(6.182).message
    assert "limite de 300 segundos" in ExtractionTimedOut(300.0).message
