"""What a document is made of, as data: the writer lays it out."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    """An 附件: a table whose cells are text already formatted for print."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    unit_line: str = ""
    widths: Sequence[float] = ()  # relative column widths; equal when empty
    right_aligned: Sequence[bool] = ()  # the number columns

    @property
    def landscape(self) -> bool:
        return len(self.columns) > 7 or sum(self.widths) > 110


@dataclass(frozen=True)
class OfficialDocument:
    title: str
    paragraphs: Sequence[str]
    masthead: str = ""  # 发文机关标志; empty for a notice handed to a person
    number: str = ""  # 发文字号 under the 版头, or a notice's number under its title
    draft_mark: str = ""  # e.g. 送审稿, top left where 份号 and 密级 go
    recipients: str = ""  # 主送机关, ending in a full-width colon
    remark: str = ""  # a leader's 批示
    signature: str = ""  # 发文机关署名
    date_line: str = ""  # 成文日期
    attachments: Sequence[Attachment] = ()
    copy_to: str = ""  # 抄送
    imprint: tuple[str, str] | None = None  # 版记: 印发机关, 印发日期
    created: datetime.datetime | None = None
