"""Every step of the 信访工作条例 workflow, legal and illegal, and its deadlines."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from time_machine import TimeMachineFixture

from core.models import Department, User
from core.roles import Role
from petitions import services
from petitions.models import Petition, PetitionEvent
from petitions.selectors import petition_rates
from tests.conftest import SHANGHAI, SUITE_NOW
from tests.factories import DepartmentFactory, valid_id_number

S = Petition.Status
D = datetime.date


@pytest.fixture
def dept(department_user: User) -> Department:
    assert department_user.department is not None
    return department_user.department


def register(actor: User, **overrides: Any) -> Petition:
    data: dict[str, Any] = {
        "received_date": D(2026, 11, 2),
        "channel": Petition.Channel.PHONE,
        "petitioner_name": "张三",
        "petitioner_phone": "13812341234",
        "petitioner_id_number": valid_id_number(7),
        "headcount": 1,
        "category": Petition.Category.DELAYED_DELIVERY,
        "summary": "要求按期交房",
        **overrides,
    }
    return services.petition_register(actor=actor, data=data)


def test_registration_issues_consecutive_numbers_per_year(petition_clerk: User) -> None:
    first = register(petition_clerk)
    second = register(petition_clerk)
    last_year = register(petition_clerk, received_date=D(2025, 12, 30))
    assert [first.number, second.number, last_year.number] == [
        "XF-2026-00001",
        "XF-2026-00002",
        "XF-2025-00001",
    ]
    assert first.status == S.REGISTERED
    assert PetitionEvent.objects.filter(petition=first, action="登记").exists()


def test_only_the_petition_office_registers(taskforce_member: User, department_user: User) -> None:
    for actor in (taskforce_member, department_user):
        with pytest.raises(PermissionDenied):
            register(actor)


def test_id_number_and_phone_are_validated(petition_clerk: User) -> None:
    bad_check = valid_id_number(7)[:-1] + ("0" if valid_id_number(7)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        register(petition_clerk, petitioner_id_number=bad_check, petitioner_phone="12345")
    assert "校验位不正确" in exc.value.message_dict["petitioner_id_number"][0]
    assert "电话号码格式不正确" in exc.value.message_dict["petitioner_phone"][0]
    assert not Petition.objects.exists()


def test_the_full_path_with_review_and_re_review(
    petition_clerk: User,
    department_user: User,
    dept: Department,
    leader: User,
    time_machine: TimeMachineFixture,
) -> None:
    time_machine.move_to(datetime.datetime(2026, 7, 1, 10, tzinfo=SHANGHAI), tick=False)
    p = register(petition_clerk, received_date=D(2026, 5, 4))
    p = services.petition_accept(actor=petition_clerk, petition=p, on=D(2026, 5, 6))
    assert (p.status, p.accepted_date, p.due_date) == (S.ACCEPTED, D(2026, 5, 6), D(2026, 7, 5))
    p = services.petition_assign(
        actor=petition_clerk, petition=p, department=dept, case_leader=leader
    )
    assert (p.status, p.department, p.case_leader) == (S.ASSIGNED, dept, leader)
    p = services.petition_extend(actor=department_user, petition=p, days=30, reason="需司法鉴定")
    time_machine.move_to(SUITE_NOW, tick=True)  # extended on 07-01, before its 07-05 deadline
    assert (p.due_date, p.handling_due_date, p.extended_days) == (D(2026, 8, 4), D(2026, 8, 4), 30)
    p = services.petition_reply(
        actor=department_user,
        petition=p,
        opinion="已督促复工",
        on=D(2026, 7, 20),
        backdate_reason="纸质答复已送达，补录",
    )
    assert (p.status, p.replied_date, p.first_replied_date) == (
        S.REPLIED,
        D(2026, 7, 20),
        D(2026, 7, 20),
    )
    p = services.petition_close(
        actor=department_user, petition=p, satisfaction="unsatisfied", on=D(2026, 7, 21)
    )
    assert p.status == S.CLOSED
    p = services.petition_request_review(actor=petition_clerk, petition=p, on=D(2026, 8, 10))
    assert (p.status, p.review_level, p.due_date) == (S.REVIEW, 1, D(2026, 9, 9))
    assert p.closed_date is None
    assert p.satisfaction == ""
    p = services.petition_reply(
        actor=department_user,
        petition=p,
        opinion="维持",
        on=D(2026, 9, 1),
        backdate_reason="纸质答复已送达，补录",
    )
    assert p.first_replied_date == D(2026, 7, 20)
    assert p.handling_due_date == D(2026, 8, 4)
    p = services.petition_request_review(actor=petition_clerk, petition=p, on=D(2026, 9, 20))
    assert (p.status, p.review_level) == (S.RE_REVIEW, 2)
    p = services.petition_reply(
        actor=department_user,
        petition=p,
        opinion="复核维持",
        on=D(2026, 10, 1),
        backdate_reason="纸质答复已送达，补录",
    )
    p = services.petition_close(
        actor=petition_clerk, petition=p, satisfaction="basic", on=D(2026, 10, 2)
    )
    assert p.status == S.CLOSED
    actions = list(p.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        "登记", "受理", "交办", "延期", "答复", "办结", "申请复查", "复查答复", "申请复核",
        "复核答复", "办结",
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="复核意见为最终意见"):
        services.petition_request_review(actor=petition_clerk, petition=p, on=D(2026, 10, 5))


def test_steps_cannot_be_backdated_before_the_previous_one_or_dated_in_the_future(
    petition_clerk: User,
) -> None:
    with pytest.raises(ValidationError, match="登记日期不能晚于今天"):
        register(petition_clerk, received_date=D(2099, 1, 1))
    p = register(petition_clerk)
    with pytest.raises(ValidationError, match="受理日期不能早于登记日期"):
        services.petition_accept(actor=petition_clerk, petition=p, on=D(2026, 11, 1))
    with pytest.raises(ValidationError, match="受理日期不能晚于今天"):
        services.petition_accept(actor=petition_clerk, petition=p, on=D(2099, 1, 1))


def test_closing_before_the_reply_is_refused(petition_clerk: User, dept: Department) -> None:
    p = services.petition_accept(
        actor=petition_clerk, petition=register(petition_clerk), on=D(2026, 11, 3)
    )
    p = services.petition_assign(actor=petition_clerk, petition=p, department=dept)
    p = services.petition_reply(
        actor=petition_clerk,
        petition=p,
        opinion="x",
        on=D(2026, 11, 10),
        backdate_reason="纸质答复已送达，补录",
    )
    with pytest.raises(ValidationError, match="办结日期不能早于答复日期"):
        services.petition_close(
            actor=petition_clerk, petition=p, satisfaction="satisfied", on=D(2026, 11, 9)
        )


def test_not_accepting_needs_a_reason_and_ends_the_petition(petition_clerk: User) -> None:
    p = register(petition_clerk)
    with pytest.raises(ValidationError):
        services.petition_reject(actor=petition_clerk, petition=p, reason=" ")
    p = services.petition_reject(actor=petition_clerk, petition=p, reason="属于诉讼事项")
    assert p.status == S.NOT_ACCEPTED
    assert p.deadline_state() == ""
    with pytest.raises(ValidationError, match="不能受理"):
        services.petition_accept(actor=petition_clerk, petition=p)


# (action, statuses from which it is illegal)
ILLEGAL: list[tuple[str, list[str]]] = [
    ("accept", [S.ACCEPTED, S.ASSIGNED, S.REPLIED, S.CLOSED, S.NOT_ACCEPTED, S.REVIEW]),
    ("reject", [S.ACCEPTED, S.ASSIGNED, S.REPLIED, S.CLOSED]),
    ("assign", [S.REGISTERED, S.REPLIED, S.CLOSED, S.NOT_ACCEPTED, S.REVIEW]),
    ("extend", [S.REGISTERED, S.REPLIED, S.CLOSED, S.REVIEW]),
    ("reply", [S.REGISTERED, S.ACCEPTED, S.REPLIED, S.CLOSED, S.NOT_ACCEPTED]),
    ("close", [S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.CLOSED, S.REVIEW]),
    ("review", [S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.NOT_ACCEPTED, S.REVIEW]),
]


def _do(action: str, actor: User, p: Petition, dept: Department) -> None:
    calls: dict[str, Callable[[], object]] = {
        "accept": lambda: services.petition_accept(actor=actor, petition=p),
        "reject": lambda: services.petition_reject(actor=actor, petition=p, reason="x"),
        "assign": lambda: services.petition_assign(actor=actor, petition=p, department=dept),
        "extend": lambda: services.petition_extend(actor=actor, petition=p, days=5, reason="x"),
        "reply": lambda: services.petition_reply(actor=actor, petition=p, opinion="x"),
        "close": lambda: services.petition_close(actor=actor, petition=p, satisfaction="satisfied"),
        "review": lambda: services.petition_request_review(actor=actor, petition=p),
    }
    calls[action]()


@pytest.mark.parametrize(
    ("action", "status"), [(a, s) for a, statuses in ILLEGAL for s in statuses]
)
def test_illegal_transitions_are_refused_with_a_clear_message(
    petition_clerk: User, dept: Department, action: str, status: str
) -> None:
    p = register(petition_clerk)
    Petition.objects.filter(pk=p.pk).update(
        status=status, department=dept, replied_date=D(2026, 11, 20)
    )
    p.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        _do(action, petition_clerk, p, dept)
    assert exc.value.code == "illegal_transition"
    assert f"当前状态为“{S(status).label}”" in exc.value.messages[0]
    assert Petition.objects.get(pk=p.pk).status == status


def test_available_actions_match_the_rules(petition_clerk: User, department_user: User) -> None:
    p = register(petition_clerk)
    assert services.available_actions(petition_clerk, p) == ["accept", "reject"]
    assert services.available_actions(department_user, p) == []


def test_extension_once_by_at_most_30_days_with_a_reason(
    petition_clerk: User, dept: Department
) -> None:
    p = services.petition_accept(actor=petition_clerk, petition=register(petition_clerk))
    with pytest.raises(ValidationError):
        services.petition_extend(actor=petition_clerk, petition=p, days=31, reason="x")
    with pytest.raises(ValidationError):
        services.petition_extend(actor=petition_clerk, petition=p, days=10, reason="")
    services.petition_extend(actor=petition_clerk, petition=p, days=30, reason="需鉴定")
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.petition_extend(actor=petition_clerk, petition=p, days=1, reason="再延")


def test_department_handles_only_its_own_assignments(
    petition_clerk: User, department_user: User, make_user: Callable[..., User]
) -> None:
    other_dept = DepartmentFactory.create(name="县财政局")
    p = services.petition_accept(actor=petition_clerk, petition=register(petition_clerk))
    p = services.petition_assign(actor=petition_clerk, petition=p, department=other_dept)
    with pytest.raises(PermissionDenied):
        services.petition_reply(actor=department_user, petition=p, opinion="x")
    with pytest.raises(PermissionDenied):
        services.petition_accept(actor=department_user, petition=p)
    finance = make_user(Role.DEPARTMENT, username="cz", department=other_dept)
    services.petition_reply(actor=finance, petition=p, opinion="已拨付")


# Deadlines count calendar days: weekends and holidays are not skipped (see the closing note).
@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2026, 11, 14), "due_soon"),
        (D(2026, 11, 17), "due_soon"),  # the 15th day after receipt: still in time
        (D(2026, 11, 18), "overdue"),
        (D(2026, 11, 10), "ok"),
    ],
)
def test_acceptance_deadline_is_15_calendar_days(
    petition_clerk: User, today: datetime.date, state: str
) -> None:
    p = register(petition_clerk, received_date=D(2026, 11, 2))
    assert p.due_date == D(2026, 11, 17)
    assert p.deadline_state(today) == state


def test_a_deadline_falling_on_a_weekend_is_not_moved(petition_clerk: User) -> None:
    p = register(petition_clerk, received_date=D(2026, 11, 6))  # a Friday
    assert p.due_date == D(2026, 11, 21)  # a Saturday
    assert p.due_date.weekday() == 5


def test_handling_deadline_is_60_days_from_acceptance_plus_extension(
    petition_clerk: User,
) -> None:
    p = services.petition_accept(
        actor=petition_clerk, petition=register(petition_clerk), on=D(2026, 11, 16)
    )
    assert p.due_date == D(2027, 1, 15)
    assert p.deadline_state(D(2027, 1, 15)) == "due_soon"
    assert p.deadline_state(D(2027, 1, 16)) == "overdue"
    p = services.petition_extend(actor=petition_clerk, petition=p, days=30, reason="需鉴定")
    assert p.due_date == D(2027, 2, 14)


def test_review_must_be_asked_within_30_days_of_the_answer(
    petition_clerk: User, dept: Department
) -> None:
    p = services.petition_accept(
        actor=petition_clerk,
        petition=register(petition_clerk, received_date=D(2026, 8, 1)),
        on=D(2026, 8, 3),
    )
    p = services.petition_assign(actor=petition_clerk, petition=p, department=dept)
    p = services.petition_reply(
        actor=petition_clerk,
        petition=p,
        opinion="x",
        on=D(2026, 9, 1),
        backdate_reason="纸质答复已送达，补录",
    )
    with pytest.raises(ValidationError, match="已超过申请期限"):
        services.petition_request_review(actor=petition_clerk, petition=p, on=D(2026, 10, 2))
    p = services.petition_request_review(actor=petition_clerk, petition=p, on=D(2026, 10, 1))
    assert p.due_date == D(2026, 10, 31)


def test_a_replied_petition_waiting_for_the_petitioner_is_not_overdue(
    petition_clerk: User, dept: Department
) -> None:
    p = services.petition_accept(actor=petition_clerk, petition=register(petition_clerk))
    p = services.petition_assign(actor=petition_clerk, petition=p, department=dept)
    p = services.petition_reply(actor=petition_clerk, petition=p, opinion="x")
    assert p.deadline_state(D(2030, 1, 1)) == ""


def test_numbering_continues_after_petitions_entered_before_the_counter(
    petition_clerk: User,
) -> None:
    from tests.factories import PetitionFactory

    PetitionFactory.create(number="XF-2026-00007")
    PetitionFactory.create(number="XF-2026-00009")
    assert register(petition_clerk).number == "XF-2026-00010"
    PetitionFactory.create(number="XF-2026-00011")
    assert register(petition_clerk).number == "XF-2026-00012"


# --- The 条例's clocks: 15 days to decide, no extension once the deadline has passed ---------


@pytest.mark.parametrize(
    ("day", "late"),
    [(D(2026, 11, 16), 0), (D(2026, 11, 17), 0), (D(2026, 11, 18), 1)],
    ids=["day-14", "day-15", "day-16"],
)
@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_the_acceptance_decision_is_dated_and_a_late_one_leaves_a_trace(
    petition_clerk: User, decision: str, day: datetime.date, late: int
) -> None:
    p = register(petition_clerk, received_date=D(2026, 11, 2))
    assert p.decision_due_date == D(2026, 11, 17)

    p = services.petition_take_action(
        actor=petition_clerk, petition=p, action=decision, data={"on": day, "note": "理由"}
    )

    assert (p.decided_date, p.decision_late_days) == (day, late)
    assert p.status == (S.ACCEPTED if decision == "accept" else S.NOT_ACCEPTED)
    note = p.events.order_by("-pk").values_list("note", flat=True)[0]
    if late:
        assert note == "超过受理期限（2026-11-17）1天作出决定，不计入按期受理。理由"
    else:
        assert note == "理由"


def test_a_handling_deadline_cannot_be_extended_once_it_has_passed(
    petition_clerk: User, dept: Department, time_machine: TimeMachineFixture
) -> None:
    """The issue's case: accepted 2028-01-10, due 03-10; on 03-20 the extension is refused, the
    petition stays overdue and its reply that day counts as late."""
    time_machine.move_to(datetime.datetime(2028, 1, 10, 9, tzinfo=SHANGHAI), tick=False)
    p = register(petition_clerk, received_date=D(2028, 1, 10))
    p = services.petition_accept(actor=petition_clerk, petition=p)
    p = services.petition_assign(actor=petition_clerk, petition=p, department=dept)
    assert p.due_date == D(2028, 3, 10)

    time_machine.move_to(datetime.datetime(2028, 3, 20, 9, tzinfo=SHANGHAI), tick=False)
    assert "extend" not in services.available_actions(petition_clerk, p)
    with pytest.raises(ValidationError, match="办理期限已于2028-03-10届满，期限届满后不能再延期"):
        services.petition_extend(actor=petition_clerk, petition=p, days=30, reason="需鉴定")
    p.refresh_from_db()
    assert (p.due_date, p.extended_days, p.is_overdue) == (D(2028, 3, 10), 0, True)

    p = services.petition_reply(actor=petition_clerk, petition=p, opinion="已答复")
    p = services.petition_close(actor=petition_clerk, petition=p, satisfaction="satisfied")
    rates = petition_rates(start=D(2028, 1, 1), end=D(2028, 3, 31))
    assert (rates.closed, rates.closed_on_time) == (1, 0)


def test_an_extension_on_the_due_day_itself_is_still_in_time(
    petition_clerk: User, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime.datetime(2028, 1, 10, 9, tzinfo=SHANGHAI), tick=False)
    p = services.petition_accept(
        actor=petition_clerk, petition=register(petition_clerk, received_date=D(2028, 1, 10))
    )
    time_machine.move_to(datetime.datetime(2028, 3, 10, 23, 59, tzinfo=SHANGHAI), tick=False)
    assert "extend" in services.available_actions(petition_clerk, p)
    p = services.petition_extend(actor=petition_clerk, petition=p, days=30, reason="需鉴定")
    assert p.due_date == D(2028, 4, 9)
