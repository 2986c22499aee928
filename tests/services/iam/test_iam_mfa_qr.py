"""CreateVirtualMFADevice's QRCodePNG: a PNG of a QR code of the device's otpauth:// URI.

AWS: VirtualMFADevice in the IAM API reference
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_VirtualMFADevice.html): "A QR code
PNG image that encodes otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String";
authenticator apps list AWS's codes as "Amazon Web Services (NAME@ALIAS)" (the issuer).

The PNG is decoded here (no QR decoder is installed, so its modules are compared with those
of the expected URI's QR code; the URI is written from AWS's documentation, not read back
from our code).
"""

from __future__ import annotations

import struct
import zlib

import segno
from iam_harness import ACCOUNT, Iam


def _png_pixels(png: bytes) -> list[list[int]]:
    """Rows of 0/1 pixels (1 = light) of a 1-bit greyscale PNG, or an assertion error."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, width, height, data = 8, 0, 0, b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert (depth, color) == (1, 0), "1-bit greyscale"
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    raw = zlib.decompress(data)
    stride = (width + 7) // 8
    rows: list[list[int]] = []
    previous = bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, row = line[0], bytearray(line[1:])
        for i in range(stride):  # PNG filters, bpp = 1
            left = row[i - 1] if i else 0
            up, corner = previous[i], (previous[i - 1] if i else 0)
            if kind == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = row
        rows.append([(row[x // 8] >> (7 - x % 8)) & 1 for x in range(width)])
    return rows


def _modules(png: bytes) -> list[list[int]]:
    """The QR code's modules (1 = dark), found from the top-left finder pattern."""
    pixels = _png_pixels(png)
    top = next(y for y, row in enumerate(pixels) if 0 in row)
    left = pixels[top].index(0)
    run = 0
    while pixels[top][left + run] == 0:
        run += 1
    scale = run // 7  # the finder pattern's top edge is 7 dark modules
    size = (len(pixels[0]) - 2 * left) // scale
    return [[1 - pixels[top + r * scale][left + c * scale] for c in range(size)] for r in range(size)]


def _encodes(png: bytes, uri: str) -> bool:
    found = _modules(png)
    for error in "lmqh":
        expected = segno.make_qr(uri, error=error, boost_error=False)
        if [[int(bool(v)) for v in row] for row in expected.matrix] == found:
            return True
    return False


def test_qr_code_encodes_the_otpauth_uri_with_the_account_id(iam: Iam) -> None:
    device = iam("CreateVirtualMFADevice", VirtualMFADeviceName="dave-phone")["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode()
    expected = (
        f"otpauth://totp/Amazon%20Web%20Services:dave-phone@{ACCOUNT}?secret={seed}&issuer=Amazon%20Web%20Services"
    )
    assert _encodes(device["QRCodePNG"], expected)
    assert not _encodes(device["QRCodePNG"], expected.replace(seed, seed[::-1]))


def test_qr_code_names_the_account_alias_when_there_is_one(iam: Iam) -> None:
    iam("CreateAccountAlias", AccountAlias="example-corp")
    device = iam("CreateVirtualMFADevice", VirtualMFADeviceName="FredBloggs")["VirtualMFADevice"]
    seed = device["Base32StringSeed"].decode()
    expected = (
        f"otpauth://totp/Amazon%20Web%20Services:FredBloggs@example-corp?secret={seed}&issuer=Amazon%20Web%20Services"
    )
    assert _encodes(device["QRCodePNG"], expected)
