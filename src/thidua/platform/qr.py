"""QR codes (segno, pure Python: no Pillow) for the links printed on certificates."""

from __future__ import annotations

import io

import segno

# M: 15 % of the modules may be lost (a fold, a stamp over a corner) and a verification URL
# still fits a small code.
_ERROR_LEVEL = "m"


def _make(text: str) -> segno.QRCode:
    # one fixed mask (any of the eight is valid and every reader applies it): choosing the
    # best-scoring mask tries all eight and was most of the time of printing 1.000 certificates
    return segno.make_qr(text, error=_ERROR_LEVEL, boost_error=False, mask=0)


def qr_svg_data_uri(text: str, *, scale: int = 4) -> str:
    """A `data:image/svg+xml` URI of the QR code of `text`, for an `<img src>` in HTML that
    WeasyPrint turns into vector paths (sharp at any print size)."""
    return str(_make(text).svg_data_uri(scale=scale, border=2, dark="#000", light="#fff"))


def qr_png(text: str, scale: int = 4) -> bytes:
    """The QR code of `text` as a PNG image, `scale` pixels per module."""
    out = io.BytesIO()
    _make(text).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
