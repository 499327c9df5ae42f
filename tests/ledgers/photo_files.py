"""Photo files as phones and people really produce them, and the ones that must be refused."""

import io
import os
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image


def phone_jpeg(
    name: str = "IMG_20261128_152000.jpg",
    *,
    size: tuple[int, int] = (640, 480),
    taken: str | None = "2026:11:28 15:20:00",
    gps: bool = True,
    orientation: int = 6,
) -> SimpleUploadedFile:
    """A JPEG as a phone saves it: sensor-wise pixels with an Orientation tag, the date taken
    and (unless switched off) the GPS position of the site in EXIF."""
    image = Image.new("RGB", size, (190, 120, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "HUAWEI"
    exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (30.0, 30.0, 36.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (120.0, 12.0, 0.0),
        }
    if taken:
        exif[ExifTags.IFD.Exif] = {
            ExifTags.Base.DateTimeOriginal: taken,
            ExifTags.Base.OffsetTimeOriginal: "+08:00",
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=85)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def noisy_jpeg(size: tuple[int, int]) -> SimpleUploadedFile:
    """Noise compresses badly: a JPEG of a few megabytes from a small picture."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return SimpleUploadedFile("大图.jpg", out.getvalue(), content_type="image/jpeg")


def png(name: str = "截图.png", size: tuple[int, int] = (300, 200)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 90, 200, 128)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def text_named_jpeg() -> SimpleUploadedFile:
    """A web page saved under a photo's name."""
    return SimpleUploadedFile("现场.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")


def gif() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("P", (20, 20)).save(out, "GIF")
    return SimpleUploadedFile("动图.gif", out.getvalue(), content_type="image/gif")


def truncated_jpeg() -> SimpleUploadedFile:
    data = phone_jpeg(size=(1600, 1200)).read()
    return SimpleUploadedFile("断了.jpg", data[: len(data) // 2], content_type="image/jpeg")


def decompression_bomb() -> SimpleUploadedFile:
    """A few kilobytes that claim 9,000 × 9,000 pixels (81 million) once unpacked."""
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG", optimize=True)
    return SimpleUploadedFile("炸弹.png", out.getvalue(), content_type="image/png")


def forged_png(width: int = 50_000, height: int = 50_000) -> SimpleUploadedFile:
    """A tiny PNG whose header claims a huge picture: Pillow refuses it on opening."""
    out = io.BytesIO()
    Image.new("1", (8, 8)).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr : ihdr + 17]))
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", crc)
    return SimpleUploadedFile("巨图.png", bytes(data), content_type="image/png")
