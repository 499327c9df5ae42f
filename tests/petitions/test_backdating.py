"""A reply dated before the day it is entered (补录): the department answering is the party
按期办结率 measures, so back-dating needs a reason, is logged as 补录 and never makes a late
answer count as on time (issue 15)."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from time_machine import TimeMachineFixture

from core.models import Department, User
from petitions import services
from petitions.models import Petition
from petitions.selectors import petition_rates
from tests.conftest import SHANGHAI
from tests.factories import valid_id_number

D = datetime.date


@pytest.fixture
def assigned(petition_clerk: User, department_user: User) -> Petition:
    """Accepted 09-01, so its handling deadline is 10-31; assigned to the department."""
    p = services.petition_register(
        actor=petition_clerk,
        data={
            "received_date": D(2026, 8, 25),
            "channel": Petition.Channel.PHONE,
            "petitioner_name": "张三",
            "petitioner_phone": "13812341234",
            "petitioner_id_number": valid_id_number(3),
            "headcount": 1,
            "category": Petition.Category.DELAYED_DELIVERY,
            "summary": "要求按期交房",
        },
    )
    p = services.petition_accept(actor=petition_clerk, petition=p, on=D(2026, 9, 1))
    department = department_user.department
    assert isinstance(department, Department)
    p = services.petition_assign(actor=petition_clerk, petition=p, department=department)
    assert p.handling_due_date == D(2026, 10, 31)
    return p


def closed_on_time() -> int:
    return petition_rates(start=D(2026, 9, 1), end=D(2026, 11, 30)).closed_on_time


def test_a_back_dated_reply_without_a_reason_is_refused(
    department_user: User, assigned: Petition
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.petition_reply(
            actor=department_user, petition=assigned, opinion="已答复", on=D(2026, 10, 20)
        )
    assert "属补录，请填写补录原因" in exc.value.message_dict["backdate_reason"][0]
    assigned.refresh_from_db()
    assert (assigned.status, assigned.replied_date) == (Petition.Status.ASSIGNED, None)


def test_a_back_dated_reply_is_logged_as_such_and_counts_on_the_day_entered(
    department_user: User, assigned: Petition
) -> None:
    p = services.petition_reply(
        actor=department_user,
        petition=assigned,
        opinion="已答复",
        on=D(2026, 10, 20),
        backdate_reason="纸质答复10月20日已送达",
    )
    p = services.petition_close(actor=department_user, petition=p, satisfaction="satisfied")
    assert p.first_replied_date == D(2026, 10, 20)
    assert "【补录】答复日期2026-10-20，2026-11-30录入：纸质答复10月20日已送达" in (
        p.events.get(action="答复").note
    )
    assert closed_on_time() == 0


def test_a_reply_entered_by_its_deadline_counts_on_time(
    department_user: User, assigned: Petition, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(datetime.datetime(2026, 10, 31, 23, 50, tzinfo=SHANGHAI), tick=False)
    p = services.petition_reply(actor=department_user, petition=assigned, opinion="已答复")
    p = services.petition_close(actor=department_user, petition=p, satisfaction="satisfied")
    assert closed_on_time() == 1


def test_the_page_asks_for_the_reason_of_a_back_dated_reply(
    client_for: Callable[[User], Client], department_user: User, assigned: Petition
) -> None:
    client = client_for(department_user)
    url = f"/petitions/{assigned.pk}/reply/"
    refused = client.post(url, {"reply-note": "已答复", "reply-on": "2026-10-20"})
    assert refused.status_code == 400
    assert "属补录，请填写补录原因" in refused.content.decode()
    done = client.post(
        url,
        {"reply-note": "已答复", "reply-on": "2026-10-20", "reply-backdate_reason": "纸质已送达"},
    )
    assert done.status_code == 302
