"""What a cell's number format makes of its value on screen.

A survey cell holding 0.6 under `0%` shows 60%, under `0"%"` it holds 60 and shows 60%; 1.2 under
`0.0"亿元"` shows 1.2亿元; a date under `yyyy"年"m"月"` shows a month, not a day. The importer
takes the value as the person sees it, so it needs the format's meaning: percent, date and its
precision, the unit written after the number, and the thousands scaling of trailing commas.
"""

import re
from dataclasses import dataclass

# Built-in formats as a zh-CN Excel or WPS shows them; files refer to them by id alone.
BUILTIN: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
    11: "0.00E+00", 12: "# ?/?", 13: "# ??/??", 14: "yyyy/m/d", 15: "d-mmm-yy", 16: "d-mmm",
    17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss",
    22: "yyyy/m/d h:mm", 27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"',
    30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"',
    34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"', 36: 'yyyy"年"m"月"',
    37: "#,##0 ;(#,##0)", 38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    48: "##0.0E+0", 49: "@", 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"',
    53: 'm"月"d"日"', 54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"',
    56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}  # fmt: skip

_BRACKET = re.compile(r"\[[^\]]*\]")
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.IGNORECASE)


@dataclass(frozen=True)
class NumberFormat:
    """The parts of a format that change what a number means to the person reading it."""

    code: str
    percent: bool = False  # a % outside quotes: the value is shown multiplied by 100
    date: str = ""  # day · month · year · monthday, monthonly (no year shown) · time
    unit: str = ""  # literal text after the number: 万元, 亿元, ㎡, 套 …
    scale: int = 0  # trailing thousands separators: the value is shown divided by 1000**scale
    text: bool = False  # "@": the cell is text

    @property
    def matters(self) -> bool:
        """Whether a number in this format reads differently from the bare value."""
        return bool(self.percent or self.date or self.unit or self.scale)


GENERAL = NumberFormat("General")


def _tokens(section: str) -> tuple[str, str]:
    """The format's control characters and its literal text, quotes and escapes resolved."""
    controls: list[str] = []
    literal: list[str] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            literal.append(section[i + 1 : end])
            controls.append("L")  # where the literal stood, for the scaling rule
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            literal.append(section[i + 1])
            controls.append("L")
            i += 2
        elif ch in "_*" and i + 1 < len(section):  # padding and fill take the next character
            i += 2
        elif ch == "[":
            end = section.find("]", i)
            end = len(section) if end < 0 else end
            token = section[i : end + 1]
            if _ELAPSED.fullmatch(token):
                controls.append("h")
            i = end + 1
        elif ch in "0#?.,%eEyYmMdDhHsS/:-+ ()" or ch.isascii():
            if ch.isascii() and ch.isalpha() and ch.lower() not in "eymdhs":
                literal.append(ch)  # AM/PM, letters Excel lets stand unquoted
                controls.append("L")
            else:
                controls.append(ch)
            i += 1
        else:  # a non-ASCII character Excel lets stand without quotes (万, 元, ㎡, 年 …)
            literal.append(ch)
            controls.append("L")
            i += 1
    return "".join(controls), "".join(literal)


def _first_section(code: str) -> str:
    """The section for positive numbers (sections are split at unquoted semicolons)."""
    quoted = False
    for i, ch in enumerate(code):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return code[:i]
    return code


def parse_format(code: str) -> NumberFormat:
    code = code or "General"
    if code.strip().lower() == "general":
        return GENERAL
    section = _first_section(code)
    if section.strip() == "@":
        return NumberFormat(code, text=True)
    controls, literal = _tokens(section)
    lowered = controls.lower()
    is_date = any(ch in lowered for ch in "ydh") or ("s" in lowered and ":" in lowered)
    if "e" in lowered and not re.search(r"[0#?.]e", lowered):  # e alone is the era year
        is_date = True
    if is_date or ("m" in lowered and not any(ch in lowered for ch in "0#?")):
        has_year = "y" in lowered or "e" in lowered.replace("0e", "")
        has_day = "d" in lowered
        # m alone is a month when nothing makes it minutes (h:mm, mm:ss)
        has_month = "m" in lowered and (has_year or has_day or not any(c in lowered for c in "hs:"))
        if has_day:
            precision = "day" if has_year else "monthday"
        elif has_month:
            precision = "month" if has_year else "monthonly"
        elif has_year:
            precision = "year"
        else:
            precision = "time"
        return NumberFormat(code, date=precision)
    digits = [i for i, ch in enumerate(controls) if ch in "0#?"]
    scale = 0
    if digits:
        j = digits[-1] + 1
        while j < len(controls) and controls[j] == ",":
            scale += 1
            j += 1
    return NumberFormat(
        code,
        percent="%" in controls,
        unit=literal.strip() if digits else "",
        scale=scale,
    )


def format_for(num_fmt_id: int, custom: dict[int, str]) -> NumberFormat:
    code = custom.get(num_fmt_id) or BUILTIN.get(num_fmt_id, "General")
    return parse_format(code)
