"""The names a row gives, resolved against the ledger on one normalised key (context.py):
companies, 专班 and leader; then the project, by 项目编号, else by 项目名称 + 开发企业. A name
that only looks like a known one is new, with a warning; nothing near-duplicate is silent."""

import difflib
from typing import Any

from imports.analysis.context import Context
from imports.analysis.rows import COMPANY_FIELDS, RowResult
from imports.reading.cells import RawRow
from projects.models import Company
from projects.names import code_key, company_stem, name_key


def resolve(result: RowResult, row: RawRow, ctx: Context) -> None:
    """Companies, 专班 and leader by their keys; the project by code, else name + developer."""
    values = result.values
    cells = row.cells
    for name in COMPANY_FIELDS:
        if name not in values:
            continue
        key = name_key(values[name])
        company = ctx.companies.get(key)
        if company is None:
            ctx.new_companies.setdefault(key, values[name])
            alike = ctx.company_stems.get(company_stem(key))
            if alike is not None:
                result.warnings.append(
                    (
                        cells[name].letter,
                        f"“{values[name]}”将作为新企业登记；已登记的“{alike.name}”"
                        "与其名称相近，若是同一企业请改用已登记的名称",
                    )
                )
        values[name] = company or values[name]
    if values.get("township"):
        match = ctx.township(values["township"])
        if match.township is None:
            result.error(cells["township"].letter, _township_message(match, ctx))
            result.failed.add("township")
        values["township"] = match.township or values["township"]
    if "task_force" in values:
        typed = values["task_force"]
        tf = ctx.task_forces.get(name_key(typed))
        if tf is None and ctx.admin:
            ctx.new_task_forces.setdefault(name_key(typed), typed)
        elif tf is None:
            known = "、".join(t.name for t in ctx.task_forces.values() if t.pk in ctx.editable)
            result.error(
                cells["task_force"].letter,
                f"工作专班“{typed}”不存在，请核对名称"
                + (f"（您所在的专班：{known}）" if known else ""),
            )
        values["task_force"] = tf or typed
    if "responsible_leader" in values:
        typed = values["responsible_leader"]
        leader = ctx.leaders.get(name_key(typed))
        if leader is None:
            result.error(
                cells["responsible_leader"].letter,
                f"包案领导“{typed}”不是系统中的县领导，请核对姓名",
            )
        values["responsible_leader"] = leader
    _match_project(result, row, ctx)


def _township_message(match: Any, ctx: Context) -> str:
    """The list's own words, and the nearest names on it when it suggests none."""
    message = str(match.message())
    if match.suggestions or not ctx.townships:
        return message
    names = [t.name for t in ctx.townships]
    near = difflib.get_close_matches(match.text, names, n=3, cutoff=0.3) or names[:5]
    return f"{message}列表中相近的有：{'、'.join(near)}"


def _match_project(result: RowResult, row: RawRow, ctx: Context) -> None:
    values = result.values
    pid = ctx.code_index.get(code_key(result.code)) if result.code else None
    developer = values.get("developer")
    dev_name = developer.name if isinstance(developer, Company) else str(developer or "")
    by_name = ctx.name_index.get((name_key(result.name), name_key(dev_name)))
    if pid is None and result.name and developer is not None:
        pid = by_name
    if pid is not None:
        result.project_id = pid
        return
    if result.code and by_name is not None:
        result.error(
            row.cells["code"].letter,
            f"台账中“{result.name}”（开发企业{dev_name}）的项目编号不是“{result.code}”，请核对",
        )
    same_name = ctx.names_only.get(name_key(result.name), []) if result.name else []
    if same_name:
        _, code, dev_id = same_name[0]
        result.warnings.append(
            (
                row.cells["name"].letter,
                f"台账中已有同名项目（{code}，开发企业{ctx.company_name(dev_id)}），"
                "本行的开发企业不同，将新建为另一个项目；若是同一项目，请填写其项目编号",
            )
        )
