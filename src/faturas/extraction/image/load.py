"""Opening an uploaded image safely: size checked before a single pixel is decoded."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from faturas.errors import DamagedImage, ImageTooLarge

#: A phone photo is 12 to 50 megapixels; more than this is not a bill photo but a decompression bomb
#: (a small file that decodes to gigabytes).
MAX_IMAGE_PIXELS = 60_000_000


def load_image(data: bytes, max_pixels: int = MAX_IMAGE_PIXELS) -> Image.Image:
    """The image upright (EXIF orientation applied) in grayscale; typed errors for bombs and damaged files."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; we refuse both the same way.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageTooLarge(max_pixels, width * height)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(max_pixels) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise DamagedImage(str(exc)) from exc
    upright = ImageOps.exif_transpose(image)
    return upright.convert("L")
