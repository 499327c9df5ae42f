"""Writes of the petition register: registration and every step of the 信访工作条例 workflow.

Each step checks who may take it and from which status, sets the dates and the deadline that
follows from them, and writes a PetitionEvent — the petition's own log. Deadlines count calendar
days, as the 条例 does (see the closing note of the petitions issue).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Department, User
from petitions import permissions
from petitions.models import Petition, PetitionEvent
from petitions.numbering import next_number
from projects.services import save_with_history

S = Petition.Status

ACCEPT_DAYS = 15
HANDLE_DAYS = 60
MAX_EXTENSION_DAYS = 30
REVIEW_REQUEST_DAYS = 30
REVIEW_ANSWER_DAYS = 30

REGISTER_FIELDS = [
    "received_date",
    "channel",
    "petitioner_name",
    "petitioner_phone",
    "petitioner_id_number",
    "headcount",
    "project",
    "category",
    "summary",
    "duplicate_of",
]


def _triage(user: User, petition: Petition) -> bool:
    return permissions.can_triage(user)


# action → (label, statuses it may start from, who may take it). The one statement of the
# workflow: services enforce it and pages offer only what it allows.
TRANSITIONS: dict[str, tuple[str, list[str], Callable[[User, Petition], bool]]] = {
    "accept": ("受理", [S.REGISTERED], _triage),
    "reject": ("不予受理", [S.REGISTERED], _triage),
    "assign": ("交办", [S.ACCEPTED, S.ASSIGNED], _triage),
    "extend": ("延期", [S.ACCEPTED, S.ASSIGNED], permissions.can_handle),
    "reply": ("答复", [S.ASSIGNED, S.REVIEW, S.RE_REVIEW], permissions.can_handle),
    "close": ("办结", [S.REPLIED], permissions.can_handle),
    "review": ("申请复查/复核", [S.REPLIED, S.CLOSED], _triage),
}


def available_actions(user: User, petition: Petition) -> list[str]:
    """The steps this user may take on this petition now."""
    actions = []
    for action, (_label, statuses, allowed) in TRANSITIONS.items():
        if petition.status not in statuses or not allowed(user, petition):
            continue
        if action == "extend" and (petition.extended_days or _deadline_passed(petition)):
            continue
        if action == "review" and petition.review_level >= 2:
            continue
        actions.append(action)
    return actions


def _deadline_passed(petition: Petition) -> bool:
    """The handling deadline is over (the due day itself still counts as within it)."""
    return petition.due_date is not None and petition.due_date < timezone.localdate()


def _check(actor: User, petition: Petition, action: str) -> None:
    label, statuses, allowed = TRANSITIONS[action]
    if not allowed(actor, petition):
        raise PermissionDenied(f"您无权对该信访件执行“{label}”。")
    if petition.status not in statuses:
        wanted = "、".join(str(S(s).label) for s in statuses)
        raise ValidationError(
            f"该信访件当前状态为“{petition.get_status_display()}”，不能{label}"
            f"（只有“{wanted}”状态可以{label}）。",
            code="illegal_transition",
        )


def days_after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def _event(petition: Petition, *, actor: User, action: str, before: str, note: str = "") -> None:
    PetitionEvent.objects.create(
        petition=petition,
        action=action,
        from_status=before,
        to_status=petition.status,
        actor=actor,
        note=note.strip(),
    )


def _check_day(
    day: datetime.date | None,
    *,
    earliest: datetime.date | None,
    what: str,
    after: str = "",
    field: str = "on",
) -> datetime.date:
    """Steps happen in order and not in the future: dates drive deadlines and rates."""
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValidationError({field: f"{what}不能晚于今天。"})
    if earliest is not None and day < earliest:
        raise ValidationError({field: f"{what}不能早于{after}（{earliest:%Y-%m-%d}）。"})
    if day.year < 1990:
        raise ValidationError({field: f"{what}不合理，请核对。"})
    return day


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().get(pk=petition.pk)


@transaction.atomic
def petition_register(*, actor: User, data: dict[str, Any]) -> Petition:
    """登记: a tracking number is issued and the 15-day acceptance clock starts."""
    if not permissions.can_register(actor):
        raise PermissionDenied("只有信访专员和系统管理员可以登记信访件。")
    unknown = set(data) - set(REGISTER_FIELDS)
    if unknown:
        raise ValueError(f"fields not accepted at registration: {sorted(unknown)}")
    petition = Petition(**data, registered_by=actor, status=S.REGISTERED)
    received = petition.received_date or timezone.localdate()
    _check_day(received, earliest=None, field="received_date", what="登记日期")
    petition.received_date = received
    petition.due_date = petition.decision_due_date = days_after(received, ACCEPT_DAYS)
    petition.number = "XF-0000-00000"  # placeholder so validation passes before numbering
    petition.full_clean(exclude=["number"])
    petition.number = next_number(received.year)
    save_with_history(petition, actor=actor, reason="登记")
    note = "集体访" if petition.is_collective else ""
    if petition.duplicate_of_id:
        note = f"{note} 关联重复件 {petition.duplicate_of}".strip()
    _event(petition, actor=actor, action="登记", before="", note=note)
    return petition


@transaction.atomic
def petition_accept(
    *, actor: User, petition: Petition, on: datetime.date | None = None, note: str = ""
) -> Petition:
    """受理: the 60-day handling clock starts on the day of acceptance."""
    p = _locked(petition)
    _check(actor, p, "accept")
    day = _check_day(on, earliest=p.received_date, what="受理日期", after="登记日期")
    before = p.status
    p.status = S.ACCEPTED
    p.accepted_date = p.decided_date = day
    p.due_date = p.handling_due_date = days_after(day, HANDLE_DAYS)
    save_with_history(p, actor=actor, reason="受理")
    _event(p, actor=actor, action="受理", before=before, note=_with_late_decision(p, note))
    return p


def _with_late_decision(p: Petition, note: str) -> str:
    """The step's note, with the trace of a decision made after the 15 days of the 条例."""
    if not p.decision_late_days:
        return note
    due = f"{p.decision_due_date:%Y-%m-%d}"
    return f"超过受理期限（{due}）{p.decision_late_days}天作出决定，不计入按期受理。{note.strip()}"


@transaction.atomic
def petition_reject(
    *, actor: User, petition: Petition, reason: str, on: datetime.date | None = None
) -> Petition:
    """不予受理, with the reason that goes into the notice and the day it was decided, which
    counts in 按期受理率 as a 受理 does."""
    p = _locked(petition)
    _check(actor, p, "reject")
    if not reason.strip():
        raise ValidationError({"note": "请填写不予受理的理由。"})
    day = _check_day(on, earliest=p.received_date, what="不予受理日期", after="登记日期")
    before = p.status
    p.status = S.NOT_ACCEPTED
    p.decided_date = day
    p.due_date = None
    save_with_history(p, actor=actor, reason="不予受理")
    _event(p, actor=actor, action="不予受理", before=before, note=_with_late_decision(p, reason))
    return p


@transaction.atomic
def petition_assign(
    *,
    actor: User,
    petition: Petition,
    department: Department | None,
    case_leader: User | None = None,
    note: str = "",
) -> Petition:
    """交办 to a department, with a 包案领导 for hard cases; may be re-assigned while handled."""
    p = _locked(petition)
    _check(actor, p, "assign")
    if department is None:
        raise ValidationError({"department": "请选择承办部门。"})
    before = p.status
    p.status = S.ASSIGNED
    p.department = department
    if case_leader is not None:
        p.case_leader = case_leader
    save_with_history(p, actor=actor, reason="交办")
    detail = f"交{department}办理" + (f"，包案领导{case_leader}" if case_leader else "")
    _event(
        p, actor=actor, action="交办", before=before, note=f"{detail}。{note}".strip("。") + "。"
    )
    return p


@transaction.atomic
def petition_extend(*, actor: User, petition: Petition, days: int, reason: str) -> Petition:
    """延期: once, by at most 30 days, with a reason, before the deadline has passed (after it,
    an extension would turn late work into work on time)."""
    p = _locked(petition)
    _check(actor, p, "extend")
    if p.extended_days:
        raise ValidationError("办理期限只能延长一次，该信访件已延期。", code="extended_once")
    if _deadline_passed(p):
        passed = f"办理期限已于{p.due_date:%Y-%m-%d}届满，期限届满后不能再延期"
        raise ValidationError(f"{passed}；请尽快答复，该件按逾期统计。", code="deadline_passed")
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError({"days": f"延长天数应为1至{MAX_EXTENSION_DAYS}天。"})
    if not reason.strip():
        raise ValidationError({"note": "请填写延期理由。"})
    before = p.status
    p.extended_days = days
    p.extension_reason = reason.strip()[:300]
    p.due_date = days_after(p.due_date or timezone.localdate(), days)
    p.handling_due_date = p.due_date
    save_with_history(p, actor=actor, reason="延期")
    _event(p, actor=actor, action="延期", before=before, note=f"延长{days}天：{reason}")
    return p


@transaction.atomic
def petition_reply(
    *,
    actor: User,
    petition: Petition,
    opinion: str,
    on: datetime.date | None = None,
    backdate_reason: str = "",
) -> Petition:
    """答复: the department's written opinion; review, when asked, answers the same way.

    The department is the party 按期办结率 measures, so a reply dated before the day it is entered
    (补录) needs a reason, is logged as 补录, and the rate counts it on the day it was entered.
    """
    p = _locked(petition)
    _check(actor, p, "reply")
    if not opinion.strip():
        raise ValidationError({"note": "请填写答复意见。"})
    start = p.review_requested_date if p.status != S.ASSIGNED else p.accepted_date
    day = _check_day(on, earliest=start, what="答复日期", after="受理或申请日期")
    today = timezone.localdate()
    note = opinion
    if day < today:
        if not backdate_reason.strip():
            raise ValidationError(
                {
                    "backdate_reason": f"答复日期{day:%Y-%m-%d}早于今天，属补录，请填写补录原因"
                    "（按期办结率按录入日计算）。"
                }
            )
        note = (
            f"{opinion}\n【补录】答复日期{day:%Y-%m-%d}，{today:%Y-%m-%d}录入："
            f"{backdate_reason.strip()}"
        )
    before = p.status
    p.status = S.REPLIED
    p.replied_date = day
    if p.first_replied_date is None:
        p.first_replied_date = day
        p.first_reply_recorded_at = timezone.now()
    save_with_history(p, actor=actor, reason="答复")
    action = {"review": "复查答复", "re_review": "复核答复"}.get(before, "答复")
    _event(p, actor=actor, action=action, before=before, note=note)
    return p


@transaction.atomic
def petition_close(
    *,
    actor: User,
    petition: Petition,
    satisfaction: str,
    on: datetime.date | None = None,
    note: str = "",
) -> Petition:
    """办结, recording the petitioner's satisfaction with the answer."""
    p = _locked(petition)
    _check(actor, p, "close")
    if satisfaction not in Petition.Satisfaction.values:
        raise ValidationError({"satisfaction": "请选择信访人对答复的满意程度。"})
    day = _check_day(on, earliest=p.replied_date, what="办结日期", after="答复日期")
    before = p.status
    p.status = S.CLOSED
    p.satisfaction = satisfaction
    p.closed_date = day
    save_with_history(p, actor=actor, reason="办结")
    label = Petition.Satisfaction(satisfaction).label
    _event(
        p, actor=actor, action="办结", before=before, note=f"信访人评价：{label}。{note}".strip()
    )
    return p


@transaction.atomic
def petition_request_review(
    *, actor: User, petition: Petition, on: datetime.date | None = None, note: str = ""
) -> Petition:
    """复查, then 复核: the petitioner disagrees with the answer within 30 days of it."""
    p = _locked(petition)
    _check(actor, p, "review")
    if p.review_level >= 2:
        raise ValidationError("该信访件已经复核，复核意见为最终意见，不能再申请。", code="final")
    day = _check_day(on, earliest=p.replied_date, what="申请日期", after="答复日期")
    if p.replied_date and day > days_after(p.replied_date, REVIEW_REQUEST_DAYS):
        raise ValidationError(
            f"已超过申请期限：应在收到答复之日起{REVIEW_REQUEST_DAYS}日内"
            f"（{days_after(p.replied_date, REVIEW_REQUEST_DAYS):%Y-%m-%d}前）提出。",
            code="review_too_late",
        )
    before = p.status
    p.review_level += 1
    p.status = S.REVIEW if p.review_level == 1 else S.RE_REVIEW
    p.review_requested_date = day
    p.due_date = days_after(day, REVIEW_ANSWER_DAYS)
    p.closed_date = None
    p.satisfaction = ""
    save_with_history(p, actor=actor, reason=p.get_status_display())
    action = "申请复查" if p.review_level == 1 else "申请复核"
    _event(p, actor=actor, action=action, before=before, note=note)
    return p


def petition_take_action(
    *, actor: User, petition: Petition, action: str, data: dict[str, Any]
) -> Petition:
    """One step of TRANSITIONS by name, with the inputs its form or API request gave.

    The page and the API both call this, so a step takes the same inputs whichever way it comes.
    `data` may hold note, on, backdate_reason, department, case_leader, days and satisfaction.
    """
    note = data.get("note") or ""
    on = data.get("on")
    if action == "accept":
        return petition_accept(actor=actor, petition=petition, on=on, note=note)
    if action == "reject":
        return petition_reject(actor=actor, petition=petition, reason=note, on=on)
    if action == "assign":
        return petition_assign(
            actor=actor,
            petition=petition,
            department=data.get("department"),
            case_leader=data.get("case_leader"),
            note=note,
        )
    if action == "extend":
        return petition_extend(
            actor=actor, petition=petition, days=data.get("days") or 0, reason=note
        )
    if action == "reply":
        return petition_reply(
            actor=actor,
            petition=petition,
            opinion=note,
            on=on,
            backdate_reason=data.get("backdate_reason") or "",
        )
    if action == "close":
        return petition_close(
            actor=actor,
            petition=petition,
            satisfaction=data.get("satisfaction") or "",
            on=on,
            note=note,
        )
    if action == "review":
        return petition_request_review(actor=actor, petition=petition, on=on, note=note)
    raise ValidationError({"action": f"未知的办理环节：{action}。"})
