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
        raise ImportRejected("文件不是Excel工作簿（.xlsx），请检查文件类型。")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRejected("文件已损坏，无法打开。请在Excel中重新保存后再上传。") from exc
    with archive:
        _check_entries(archive)


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
    if "xl/workbook.xml" not in names:
        raise ImportRejected("文件不是Excel工作簿（缺少工作簿内容），请检查文件类型。")
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
