"""现场照片: checking an uploaded photo and making what the pages show of it, with Pillow.

A photo is refused with a clear message, before anything is stored, when it is too large, is
not a JPEG, PNG or WebP picture whatever its name says, would unpack to more pixels than any
camera takes (a decompression bomb) or cannot be decoded to the end. An accepted photo keeps
its original bytes (stored privately and never served: they carry the GPS position) and gets
a display copy — turned upright, at most PHOTO_MAX_EDGE pixels, its EXIF kept except the GPS
block — and a thumbnail without EXIF. The date taken comes from EXIF when the camera wrote it.
"""

import datetime
import io
import warnings
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_EDGE = 480
GPS_IFD = ExifTags.IFD.GPSInfo
EXIF_IFD = ExifTags.IFD.Exif
# Not copied to the display copy: the GPS block, the orientation (the copy is turned upright)
# and the pointers to sub-blocks, which are rebuilt.
DROPPED_TAGS = {GPS_IFD, EXIF_IFD, ExifTags.IFD.Interop, ExifTags.Base.Orientation}
EARLIEST_TAKEN = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@dataclass
class CheckedPhoto:
    """An upload that passed every check, with the files to store and what EXIF told."""

    name: str
    original: bytes
    original_extension: str
    display: bytes
    display_type: str
    thumbnail: bytes
    width: int
    height: int
    taken_at: datetime.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}MB"


def _refuse(name: str, why: str) -> ValidationError:
    return ValidationError(f"照片“{name}”{why}", code="photo")


def check_photo(upload: Any) -> CheckedPhoto:
    """Read one uploaded file (a Django UploadedFile) or refuse it with the reason."""
    name = str(getattr(upload, "name", "") or "照片")[:100]
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise _refuse(
            name, f"有{_mb(upload.size)}，超过每张{_mb(settings.PHOTO_MAX_BYTES)}的上限。"
        )
    data = upload.read(settings.PHOTO_MAX_BYTES + 1)
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise _refuse(name, f"超过每张{_mb(settings.PHOTO_MAX_BYTES)}的上限。")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _decode(name, data)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _refuse(name, "的像素数异常巨大（疑似“解压炸弹”文件），已拒绝。") from None
        except UnidentifiedImageError:
            raise _refuse(name, "不是图片文件（只接受 JPG、PNG、WEBP 格式的照片）。") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise _refuse(name, "已损坏或不完整，无法读取，请重新拍摄或选择原图。") from None


def _decode(name: str, data: bytes) -> CheckedPhoto:
    with Image.open(io.BytesIO(data)) as probe:
        kind = probe.format or ""
        if kind not in FORMATS:
            raise _refuse(name, f"是{kind or '未知'}格式，只接受 JPG、PNG、WEBP 格式的照片。")
        width, height = probe.size
        if width * height > settings.PHOTO_MAX_PIXELS:
            megapixels = settings.PHOTO_MAX_PIXELS // 1_000_000
            raise _refuse(
                name,
                f"有{width}×{height}像素，超过{megapixels}百万像素的上限，"
                "疑似“解压炸弹”文件，已拒绝。",
            )
        probe.verify()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        exif = image.getexif()
        taken_at = _taken_at(exif)
        latitude, longitude = _position(exif)
        upright = ImageOps.exif_transpose(image)
        display, display_type = _display_copy(upright, kind, exif)
        thumbnail = _thumbnail(upright)
        return CheckedPhoto(
            name=name,
            original=data,
            original_extension=EXTENSIONS[kind],
            display=display,
            display_type=display_type,
            thumbnail=thumbnail,
            width=upright.width,
            height=upright.height,
            taken_at=taken_at,
            latitude=latitude,
            longitude=longitude,
        )


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "P"):
        canvas = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return image.convert("RGB")


def _display_copy(image: Image.Image, kind: str, exif: Image.Exif) -> tuple[bytes, str]:
    """What the pages show: upright, bounded in size, EXIF kept but for the GPS position."""
    shown = image.copy()
    shown.thumbnail((settings.PHOTO_MAX_EDGE, settings.PHOTO_MAX_EDGE))
    kept = Image.Exif()
    for tag, value in exif.items():
        if tag not in DROPPED_TAGS:
            kept[tag] = value
    details = exif.get_ifd(EXIF_IFD)
    if details:
        kept[EXIF_IFD] = dict(details)
    out = io.BytesIO()
    if kind == "PNG":
        shown.save(out, "PNG", optimize=True)
        return out.getvalue(), FORMATS["PNG"]
    _rgb(shown).save(out, "JPEG", quality=90, exif=kept.tobytes())
    return out.getvalue(), FORMATS["JPEG"]


def _thumbnail(image: Image.Image) -> bytes:
    small = _rgb(image.copy())
    small.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def _taken_at(exif: Image.Exif) -> datetime.datetime | None:
    """DateTimeOriginal (or DateTime), in the camera's offset when given, else Beijing time.
    A date before 2000 or after now is a camera whose clock was never set: not used."""
    details = exif.get_ifd(EXIF_IFD)
    raw = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(raw, str):
        return None
    try:
        naive = datetime.datetime.strptime(raw.strip().rstrip("\x00"), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    taken = None
    if isinstance(offset, str):
        try:
            taken = datetime.datetime.fromisoformat(f"{naive.isoformat()}{offset.strip()}")
        except ValueError:
            taken = None
    if taken is None:
        taken = timezone.make_aware(naive, timezone.get_default_timezone())
    if not EARLIEST_TAKEN <= taken <= timezone.now() + datetime.timedelta(days=1):
        return None
    return taken


def _position(exif: Image.Exif) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude in degrees, when the GPS block has both."""
    gps = exif.get_ifd(GPS_IFD)

    def degrees(value_tag: int, ref_tag: int, negative: str) -> Decimal | None:
        value, ref = gps.get(value_tag), gps.get(ref_tag)
        if not value or len(value) != 3:
            return None
        try:
            d, m, s = (Decimal(str(float(part))) for part in value)
        except (TypeError, ValueError, ZeroDivisionError, ArithmeticError):
            return None
        result = (d + m / 60 + s / 3600).quantize(Decimal("0.000001"))
        return -result if ref == negative else result

    latitude = degrees(ExifTags.GPS.GPSLatitude, ExifTags.GPS.GPSLatitudeRef, "S")
    longitude = degrees(ExifTags.GPS.GPSLongitude, ExifTags.GPS.GPSLongitudeRef, "W")
    if latitude is None or longitude is None or abs(latitude) > 90 or abs(longitude) > 180:
        return None, None
    return latitude, longitude
