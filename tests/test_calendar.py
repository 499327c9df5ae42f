"""The calendar is input: every date-dependent path, on the days that break date code.

One small demo county is seeded on each day (seed_demo, which also builds the three reports of
the previous week, month and quarter), then the dashboard, the 工作台, the reminder job and the
ledger's 台账未更新 and delay flags are read through their public entry points and checked against
rules that hold on any day. The server's clock is UTC and the county's Asia/Shanghai, so two
of the moments are Sunday 23:59 and Monday 00:00 in the county (15:59 and 16:00 UTC).
"""

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from time_machine import TimeMachineFixture

from core.dates import monday_of
from core.models import Notification, User
from dispatch import tasks
from dispatch.models import Report
from dispatch.reports.periods import period_bounds
from ledgers.models import DeliveryRecord, ProgressReport
from petitions.models import Petition
from petitions.services import petition_register
from projects.models import Project
from tests.calendar_checks import (
    entry_order_errors,
    existing_rows,
    future_dated_rows,
    ledger_consistency_errors,
    report_delivery_errors,
    report_period_errors,
)
from tests.conftest import SHANGHAI
from tests.factories import ProjectFactory

DAY = datetime.timedelta(days=1)


def at(year: int, month: int, day: int, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


MOMENTS = {
    "mon": at(2026, 12, 7, 9, 15),
    "tue": at(2026, 12, 8, 9, 15),
    "wed": at(2026, 12, 9, 9, 15),
    "thu": at(2026, 12, 10, 9, 15),
    "fri": at(2026, 12, 11, 17, 45),
    "sat": at(2026, 12, 12, 9, 15),
    "sun": at(2026, 12, 13, 9, 15),
    "month-last": at(2027, 4, 30, 18, 0),
    "month-first": at(2027, 5, 1, 8, 0),
    "quarter-last": at(2027, 3, 31, 18, 0),
    "quarter-first": at(2027, 4, 1, 8, 0),
    "year-last": at(2026, 12, 31, 23, 30),
    "year-first": at(2027, 1, 1, 0, 30),
    "leap-day": at(2028, 2, 29, 10, 0),
    "sunday-23:59": at(2026, 12, 6, 23, 59),
    "monday-00:00": at(2026, 12, 7, 0, 0),
}


def api_ids(client: Client, query: str) -> set[int]:
    response = client.get(f"/api/projects/?page_size=200&{query}")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    assert body["next"] is None
    return {row["id"] for row in body["results"]}


@pytest.mark.django_db
@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_every_date_path_holds_on_the_days_that_break_date_code(
    moment: datetime.datetime,
    time_machine: TimeMachineFixture,
    roles: None,
    client_for: Callable[[User], Client],
) -> None:
    # Given a county seeded on that day, with one project due yesterday and one due today
    time_machine.move_to(moment, tick=False)
    today = moment.date()
    assert timezone.localdate() == today  # the county's day, not the UTC server's
    before = existing_rows()
    call_command("seed_demo", "--projects", "8", stdout=StringIO())
    due_yesterday = ProjectFactory.create(contract_delivery_date=today - DAY)
    due_today = ProjectFactory.create(contract_delivery_date=today)
    leader = User.objects.get(username="leader1")

    # Then nothing lies in the future and the ledger agrees with its entries at every date
    assert future_dated_rows(before) == []
    assert entry_order_errors() == []
    assert ledger_consistency_errors() == []

    # The reports are of the last complete week, month and quarter, with that year's target
    assert sorted(Report.objects.values_list("kind", flat=True)) == sorted(Report.Kind.values)
    for report in Report.objects.all():
        current_start, _ = period_bounds(report.kind, today)
        assert report.period_end == current_start - DAY, report.kind
        assert report.period_start == period_bounds(report.kind, report.period_end)[0]
    assert report_period_errors() == []
    assert {r.doc_year for r in Report.objects.exclude(doc_year=None)} <= {today.year}
    assert report_delivery_errors() == []

    # The pages open for every role
    reader = client_for(leader)
    for username in ("leader1", "taskforce1", "petition1", "dept1"):
        assert client_for(User.objects.get(username=username)).get("/").status_code == 200
    for path in ("/dashboard/", "/projects/?flag=stale", "/dispatch/", "/dispatch/unreported/"):
        assert reader.get(path).status_code == 200, path
    for report in Report.objects.all():
        assert reader.get(f"/dispatch/reports/{report.pk}/").status_code == 200

    # The delay flags count the county's days
    delayed = api_ids(reader, "flag=delayed")
    assert due_yesterday.pk in delayed
    assert due_today.pk not in delayed
    for p in Project.objects.all():
        expected = (
            (today - p.contract_delivery_date).days
            if p.contract_delivery_date
            and p.contract_delivery_date < today
            and p.units_delivered < p.units_sold
            else 0
        )
        assert p.delay_days == expected, p.code
        assert (p.pk in delayed) is (expected > 0), p.code
    assert api_ids(reader, "flag=delay180") == {
        p.pk for p in Project.objects.all() if p.delay_days > 180
    }

    # 台账未更新: a project still being built is overdue when the latest week whose Friday is
    # over (this week from Saturday, else last week) has no report; dashboard, 工作台 and list
    # count the same
    stale = api_ids(reader, "flag=stale")
    this_monday = monday_of(today)
    due_week = this_monday if today.weekday() >= 5 else this_monday - 7 * DAY
    for p in Project.objects.all():
        weeks = set(p.progress_reports.values_list("period_start", flat=True))
        overdue = p.construction_status != Project.Status.DELIVERED and due_week not in weeks
        assert (p.pk in stale) is overdue, p.code
    dashboard = reader.get("/dashboard/").context["d"]
    assert dashboard.today == today
    assert dashboard.totals["stale"] == len(stale)
    assert dashboard.totals["delay_over_180"] == len(api_ids(reader, "flag=delay180"))
    assert reader.get("/").context["totals"]["stale"] == len(stale)

    # Deliveries count in their own month and year, none after today
    this_year = DeliveryRecord.objects.filter(date__year=today.year)
    assert dashboard.delivered_this_year == sum(d.units for d in this_year)
    assert dashboard.monthly_deliveries[today.month :] == [0] * (12 - today.month)
    assert dashboard.target is not None

    # The reminder job tells only 专班 with a project missing this week's report, once a week
    tasks.reminders_send()
    told = Notification.objects.filter(kind=Notification.Kind.REMINDER)
    assert all(f":{this_monday:%Y-%m-%d}" in n.key for n in told)
    for n in told.filter(key__startswith="remind:ledger:"):
        task_force = int(n.key.split(":")[2])
        silent = (
            Project.objects.filter(task_force=task_force)
            .exclude(construction_status=Project.Status.DELIVERED)
            .exclude(progress_reports__period_start=this_monday)
        )
        assert silent.exists(), n.key
    assert tasks.reminders_send() == 0

    # A call taken now is numbered in the county's year and due for acceptance in 15 days
    petition = petition_register(
        actor=User.objects.get(username="petition1"),
        data={
            "channel": Petition.Channel.PHONE,
            "petitioner_name": "张三",
            "petitioner_phone": "13812341234",
            "category": Petition.Category.DELAYED_DELIVERY,
            "summary": "询问交房时间。",
        },
    )
    assert petition.received_date == today
    assert petition.number.startswith(f"XF-{today.year}-")
    assert petition.due_date == today + 15 * DAY
    assert not ProgressReport.objects.filter(report_date__gt=today).exists()
