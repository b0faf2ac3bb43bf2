"""An invented Light bill drawn as a phone screenshot: every name, code and amount made up."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

#: An invented Light bill in the form's shape (every name, code and amount made up), without accents:
#: the font Pillow bundles has no glyphs for them.
LIGHT_LINES = (
    "LIGHT SERVICOS DE ELETRICIDADE S.A. CNPJ 60.444.437/0001-46",
    "DANF3E - DOCUMENTO AUXILIAR DA NOTA FISCAL DE ENERGIA ELETRICA",
    "FULANO DE TAL CODIGO DA INSTALACAO 0400000001",
    "REF: MES/ANO VENCIMENTO TOTAL A PAGAR",
    "MAI/2025 13/06/2025 R$ 130,00",
    "Itens de fatura Unid. Quant. Preco unit com tributos Valor",
    "Energia Eletrica kWh 100 1,20000 120,00",
    "Contrib Ilum Publica Municipal 10,00",
    "TOTAL 130,00",
    "CODIGO DO CLIENTE 20000001",
)


def screenshot(lines: tuple[str, ...], rotate: int = 0) -> bytes:
    font = ImageFont.load_default(size=30)
    image = Image.new("RGB", (1300, 120 + 60 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1299, 50), fill=(20, 20, 20))  # the phone's status bar
    for number, line in enumerate(lines):
        draw.text((40, 90 + 60 * number), line, fill="black", font=font)
    output = io.BytesIO()
    image.rotate(rotate, expand=True).save(output, "PNG")
    return output.getvalue()
