"""The one-page leader brief (A3) of a week, cut from the weekly snapshot: the few figures and
the top of each list a dispatch meeting goes through, and stale ledgers counted per 专班."""

from collections import Counter
from typing import Any

TOP = 8


def brief_context(data: dict[str, Any]) -> dict[str, Any]:
    stale_by_task_force = Counter(r["task_force"] for r in data["stale"])
    return {
        "summary": data["summary"],
        "status_changes": data["status_changes"][:TOP],
        "new_problems": sorted(data["new_problems"], key=lambda r: -r["amount"])[:TOP],
        "resolved_problems": data["resolved_problems"][:TOP],
        "deliveries": data["deliveries"][:TOP],
        "collective_warnings": data["collective_warnings"][:TOP],
        "overdue_tasks": sorted(data["overdue_tasks"], key=lambda r: -r["days_overdue"])[:TOP],
        "stale_by_task_force": stale_by_task_force.most_common(TOP),
        "petitions": data["petitions"],
        "top": TOP,
    }
