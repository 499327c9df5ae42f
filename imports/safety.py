"""Checks a file before any parser touches it: refuse in seconds, with little memory, anything
that is not a plain .xlsx — old .xls, encrypted or macro workbooks, broken or bomb archives,
XML with DTDs or entities."""

import zipfile
from pathlib import Path

from django.conf import settings

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
XML_HEAD_BYTES = 4096


class ImportRejected(Exception):
    """The file cannot be imported; the message says why, in Chinese."""


def check_workbook(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        data = path.read_bytes()[: 2 * 1024 * 1024]
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data:
            raise ImportRejected(
                "文件设置了打开密码，无法读取。请在Excel中取消密码后另存为.xlsx再上传。"
            )
        raise ImportRejected(
            "这是旧版Excel（.xls）文件，请在Excel中“另存为”Excel工作簿（.xlsx）后再上传。"
        )
    if not head.startswith(ZIP_MAGIC):
        raise ImportRejected(_not_a_workbook(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRejected("文件已损坏，无法打开。请在Excel中重新保存后再上传。") from exc
    with archive:
        _check_entries(archive)


SAVE_AS = (
    "请用Excel或WPS打开该文件，点“文件 → 另存为”，保存类型选“Excel工作簿（*.xlsx）”，"
    "再上传另存的文件。"
)


def _not_a_workbook(path: Path) -> str:
    """What the file is instead, so the person knows what to do with it."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"mime-version:"))
        or b"<html" in text
    ):
        return (
            "该文件实际是网页（HTML）格式，只是扩展名为.xlsx（常见于从OA或网页系统导出的表格）。"
            + SAVE_AS
        )
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return f"该文件是“XML电子表格（2003）”格式，不是Excel工作簿。{SAVE_AS}"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"," in head[:200] or b"\t" in head[:200]:
        return f"该文件像是文本（CSV）文件，只是扩展名为.xlsx。{SAVE_AS}"
    return f"文件不是Excel工作簿（.xlsx），请检查文件类型。{SAVE_AS}"


def _check_entries(archive: zipfile.ZipFile) -> None:
    try:
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRejected("文件已损坏，无法打开。") from exc
    names = {e.filename for e in entries}
    if len(entries) > 10_000:
        raise ImportRejected("文件结构异常（包含过多部件），已拒绝。")
    if any("vbaproject" in n.lower() for n in names):
        raise ImportRejected(
            "文件包含宏（.xlsm），为安全起见不予导入。请另存为不含宏的.xlsx后再上传。"
        )
    if "mimetype" in names and "content.xml" in names:
        raise ImportRejected(
            f"该文件是ODS格式（WPS或LibreOffice的电子表格），不是Excel工作簿。{SAVE_AS}"
        )
    if "xl/workbook.bin" in names:
        raise ImportRejected(f"该文件是Excel二进制工作簿（.xlsb）。{SAVE_AS}")
    if "xl/workbook.xml" not in names:
        raise ImportRejected(f"文件不是Excel工作簿（缺少工作簿内容），请检查文件类型。{SAVE_AS}")
    total = 0
    limit_total = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    for entry in entries:
        total += entry.file_size
        if entry.file_size > limit_total or total > limit_total:
            raise ImportRejected("文件解压后体积异常巨大（疑似压缩炸弹），已拒绝。")
        # Sheets saved with a million formatted empty rows compress several hundred times, so
        # the ratio is judged only on large parts; the total size limit catches every bomb.
        if entry.compress_size and entry.file_size > 20 * 1024 * 1024:
            ratio = entry.file_size / entry.compress_size
            if ratio > settings.IMPORT_MAX_COMPRESSION_RATIO:
                raise ImportRejected("文件压缩比异常（疑似压缩炸弹），已拒绝。")
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(entry) as part:
                head = part.read(XML_HEAD_BYTES)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise ImportRejected("文件已损坏或已加密，无法读取。") from exc
        upper = head.upper()
        if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
            raise ImportRejected("文件包含不安全的XML声明（DTD/实体），已拒绝。")
