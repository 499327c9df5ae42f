"""The ledger list's columns: which exist, which show by default, which a person chose.

项目编号 and 项目名称 always show (the number is the one frozen column). The defaults are what
people look at first and fit a 1366-wide screen; the rest are a click away in 显示列, and the
choice is kept per user on the server.
"""

from dataclasses import dataclass

from core.models import User
from core.selectors import preference_value
from core.services import preference_clear, preference_set

PREFERENCE_KEY = "ledger_columns"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    default: bool


OPTIONAL_COLUMNS = [
    Column("township", "乡镇", True),
    Column("developer", "开发企业", False),
    Column("contractor", "总包单位", False),
    Column("area", "总建筑面积", False),
    Column("sold", "已售套数", True),
    Column("delivered", "已交套数", False),
    Column("undelivered", "未交套数", True),
    Column("contract_date", "合同交房日期", False),
    Column("delay", "延期天数", True),
    Column("status", "施工状态", True),
    Column("progress", "形象进度", True),
    Column("problems", "问题类型", True),
    Column("funding_gap", "资金缺口", True),
    Column("task_force", "工作专班", True),
    Column("leader", "包案领导", False),
    Column("risk", "风险", True),
    Column("last_report", "最近填报", True),
]
KEYS = [c.key for c in OPTIONAL_COLUMNS]
DEFAULT_KEYS = [c.key for c in OPTIONAL_COLUMNS if c.default]


def chosen_columns(*, actor: User) -> list[str]:
    """The columns the actor chose (unknown keys from an older release are dropped)."""
    stored = preference_value(actor=actor, key=PREFERENCE_KEY)
    if not isinstance(stored, list):
        return DEFAULT_KEYS
    return [key for key in KEYS if key in stored]


def columns_choose(*, actor: User, keys: list[str]) -> list[str]:
    """Remember the actor's columns, in the ledger's own order."""
    chosen = [key for key in KEYS if key in keys]
    preference_set(actor=actor, key=PREFERENCE_KEY, value=chosen)
    return chosen


def columns_reset(*, actor: User) -> None:
    preference_clear(actor=actor, key=PREFERENCE_KEY)
