"""Values as people type them in survey sheets, turned into what the ledger stores.

Numbers: 1,234 · 85% · 3.2亿元 · 120万元 · 1.5万平方米 · full-width digits; the unit may also sit in
the column header. Dates: 2024年6月 · 2024.6.30 · 2024-06-30 · 2024/6/30 · Excel serials · real
dates. Every parser raises ParseError with a message in Chinese for the person who typed it.
"""

import calendar
import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ledgers.models import Problem
from projects.models import Project


class ParseError(ValueError):
    pass


# Multipliers to the ledger's units: money in 万元, area in m².
MONEY_UNITS = {"亿元": Decimal(10000), "亿": Decimal(10000), "千万元": Decimal(1000),
               "百万元": Decimal(100), "万元": Decimal(1), "万": Decimal(1),
               "千元": Decimal("0.1"), "元": Decimal("0.0001")}  # fmt: skip
AREA_UNITS = {"万平方米": Decimal(10000), "万平米": Decimal(10000), "万平方": Decimal(10000),
              "万㎡": Decimal(10000), "万m²": Decimal(10000), "万m2": Decimal(10000),
              "平方米": Decimal(1), "平米": Decimal(1), "平方": Decimal(1), "㎡": Decimal(1),
              "m²": Decimal(1), "m2": Decimal(1)}  # fmt: skip
COUNT_UNITS = {"套": Decimal(1), "户": Decimal(1), "人": Decimal(1)}
PERCENT_UNITS = {"%": Decimal(1), "％": Decimal(1)}

EXCEL_EPOCH = datetime.date(1899, 12, 30)
LAST_SERIAL = 2958466  # 9999-12-31 is serial 2958465: larger numbers are no date at all


def normalize_text(value: object) -> str:
    """Full-width to half-width, no surrounding or inner line breaks (one space between words)."""
    if value is None:
        return ""
    text = str(value)
    if not unicodedata.is_normalized("NFKC", text):  # most cells are: skip the copy
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def _unit_in(text: str, units: dict[str, Decimal]) -> tuple[str, Decimal | None]:
    if text.replace(".", "", 1).isdecimal():
        return text, None  # most figures carry no unit of their own
    lowered = text.lower()  # 5.2万M2
    for unit in sorted(units, key=len, reverse=True):
        if lowered.endswith(unit):
            return text[: -len(unit)].strip(), units[unit]
    return text, None


def parse_decimal(
    value: object,
    *,
    units: dict[str, Decimal],
    header_factor: Decimal = Decimal(1),
    places: int = 2,
) -> Decimal | None:
    """A number, with a unit in the cell overriding the column's unit."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ParseError("应填写数字")
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value)) * header_factor
    else:
        text = normalize_text(value).replace(",", "").replace("，", "").replace(" ", "")
        if text in ("", "-", "—", "/", "无"):
            return None
        text, factor = _unit_in(text, units)
        try:
            number = Decimal(text) * (factor if factor is not None else header_factor)
        except InvalidOperation as exc:
            raise ParseError(f"“{normalize_text(value)}”不是有效的数字") from exc
    if not number.is_finite():
        raise ParseError("数字无效")
    if number < 0:
        raise ParseError("不能为负数")
    if number >= Decimal(10) ** 12:
        raise ParseError("数字过大，请核对单位")
    return number.quantize(Decimal(1).scaleb(-places))


def parse_count(value: object) -> int | None:
    if type(value) is int and 0 <= value < 10**12:
        return value  # most counts arrive as whole numbers
    number = parse_decimal(value, units=COUNT_UNITS, places=4)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ParseError("套数应为整数")
    return int(number)


def parse_percent(value: object) -> Decimal | None:
    """85% / 85 → 85.0 (a number formatted as percent arrives as the text it shows, 85%)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
    else:
        text = normalize_text(value).replace(" ", "")
        if text in ("-", "—", "/"):
            return None
        text, _ = _unit_in(text, PERCENT_UNITS)
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ParseError(f"“{normalize_text(value)}”不是有效的百分比") from exc
    if not 0 <= number <= 100:
        raise ParseError("形象进度应在0%到100%之间")
    return number.quantize(Decimal("0.1"))


_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*月?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def _in_range(day: datetime.date, shown: object) -> datetime.date:
    if not 1990 <= day.year <= 2100:
        raise ParseError(f"“{shown}”年份不合理（应在1990年至2100年之间），请核对")
    return day


def parse_date(value: object) -> datetime.date | None:
    """2024年6月 is the last day of June: a promise to deliver "in June" holds until the 30th."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return _in_range(value.date(), f"{value:%Y-%m-%d}")
    if isinstance(value, datetime.date):
        return _in_range(value, value.isoformat())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < LAST_SERIAL:
            raise ParseError("日期超出范围")
        return _in_range(EXCEL_EPOCH + datetime.timedelta(days=int(value)), value)
    text = normalize_text(value)
    if text in ("-", "—", "/", "无"):
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = [int(g) for g in match.groups()]
        year, month = parts[0], parts[1]
        day = parts[2] if len(parts) > 2 else None
        try:
            if day is None:
                day = calendar.monthrange(year, month)[1]
            result = datetime.date(year, month, day)
        except ValueError as exc:
            raise ParseError(f"“{text}”不是有效的日期") from exc
        return _in_range(result, text)
    raise ParseError(f"“{text}”不是可识别的日期，请写作 2024-06-30 或 2024年6月")


STATUS_WORDS = {
    Project.Status.NORMAL: ["正常施工", "正常", "在建", "施工中", "正常推进"],
    Project.Status.LAGGING: ["进度滞后", "滞后", "缓慢"],
    Project.Status.SEMI_STOPPED: ["半停工", "缓建", "部分停工"],
    Project.Status.STOPPED: ["停工", "停建", "全面停工", "烂尾"],
    Project.Status.COMPLETED: ["已竣工", "竣工", "完工", "竣工验收"],
    Project.Status.DELIVERED: ["已全部交付", "已交付", "全部交付", "已交房", "全部交房"],
}
_STATUS_LOOKUP = {word: status for status, words in STATUS_WORDS.items() for word in words}


def parse_status(value: object) -> str | None:
    text = normalize_text(value).replace(" ", "")
    if not text:
        return None
    status = _STATUS_LOOKUP.get(text)
    if status is None:
        allowed = "、".join(str(s.label) for s in Project.Status)
        raise ParseError(f"施工状态“{text}”无法识别，应为：{allowed}")
    return str(status)


PROBLEM_WORDS = {
    Problem.Type.FUNDING_GAP: ["资金短缺", "资金缺口", "资金", "缺资金"],
    Problem.Type.PERMITS: ["手续不全", "手续", "证照不全"],
    Problem.Type.WAGE_ARREARS: ["劳资纠纷/欠薪", "劳资纠纷", "欠薪", "拖欠工资", "农民工工资"],
    Problem.Type.QUALITY: ["工程质量", "质量", "质量问题"],
    Problem.Type.SAFETY: ["安全隐患", "安全"],
    Problem.Type.SEIZURE: ["司法查封", "查封"],
    Problem.Type.OTHER: ["其他", "其它"],
}
_PROBLEM_LOOKUP = {word: ptype for ptype, words in PROBLEM_WORDS.items() for word in words}


def parse_problem_types(value: object) -> list[str]:
    """资金短缺、手续不全 / 资金短缺,欠薪 → the problem type codes, in order, once each."""
    text = normalize_text(value)
    if not text or text in ("无", "-", "—"):
        return []
    found: list[str] = []
    for part in re.split(r"[、,;；/\s]+", text):
        if not part:
            continue
        ptype = _PROBLEM_LOOKUP.get(part)
        if ptype is None:
            allowed = "、".join(str(t.label) for t in Problem.Type)
            raise ParseError(f"问题类型“{part}”无法识别，应为：{allowed}")
        if ptype not in found:
            found.append(str(ptype))
    return found
