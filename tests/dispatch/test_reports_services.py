"""Generating reports: schedules, one draft per kind and period and a new version once a leader
has remarked on it or published it, the past-period rule, retries, notifications, the leaders'
remark, and the management command."""

import datetime
import json
import threading
from typing import Any

import pytest
from celery.exceptions import Retry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from baozhaofang.celery import app
from core.models import Notification, User
from dispatch import tasks
from dispatch.models import AssessmentScore, Report
from dispatch.reports import services
from dispatch.reports.periods import period_bounds, previous_period
from projects.models import Project
from tests.dispatch.reports_helpers import change, stamp
from tests.factories import ProjectFactory

D = datetime.date


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_default_schedules_in_shanghai_time() -> None:
    rows = {
        json.loads(t.kwargs)["kind"]: t
        for t in PeriodicTask.objects.filter(task="dispatch.tasks.report_generate_scheduled")
    }
    assert set(rows) == {"weekly", "monthly", "quarterly"}

    def fields(kind: str) -> tuple[str, ...]:
        c = rows[kind].crontab
        assert c is not None
        assert str(c.timezone) == "Asia/Shanghai"
        return (c.minute, c.hour, c.day_of_week, c.day_of_month, c.month_of_year)

    assert fields("weekly") == ("30", "7", "1", "*", "*")
    assert fields("monthly") == ("30", "7", "*", "1", "*")
    assert fields("quarterly") == ("30", "7", "*", "1", "1,4,7,10")
    assert all(t.enabled for t in rows.values())
    assert "dispatch.tasks.report_generate_scheduled" in app.tasks


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        ("weekly", D(2026, 11, 23), (D(2026, 11, 16), D(2026, 11, 22))),
        ("weekly", D(2026, 11, 22), (D(2026, 11, 9), D(2026, 11, 15))),
        ("monthly", D(2026, 3, 1), (D(2026, 2, 1), D(2026, 2, 28))),
        ("monthly", D(2026, 1, 1), (D(2025, 12, 1), D(2025, 12, 31))),
        ("quarterly", D(2026, 10, 1), (D(2026, 7, 1), D(2026, 9, 30))),
        ("quarterly", D(2026, 1, 1), (D(2025, 10, 1), D(2025, 12, 31))),
    ],
)
def test_a_schedule_generates_the_period_that_just_ended(
    kind: str, today: D, expected: tuple[D, D]
) -> None:
    assert previous_period(kind, today) == expected


@pytest.mark.django_db
def test_scheduled_task_generates_last_week(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dispatch.tasks.timezone.localdate", lambda: D(2026, 11, 23))
    pk = tasks.report_generate_scheduled.apply(kwargs={"kind": "weekly"}).get()
    report = Report.objects.get(pk=pk)
    assert (report.kind, report.period_start, report.period_end) == (
        "weekly",
        D(2026, 11, 16),
        D(2026, 11, 22),
    )
    assert str(report.file.name).endswith(".xlsx")


@pytest.mark.django_db
def test_regenerating_a_draft_leaves_one_report_and_one_notification_each(
    leader: User, admin_user: User, taskforce_member: User, petition_clerk: User
) -> None:
    first = services.report_generate(kind="monthly", period_start=D(2026, 10, 9))
    second = services.report_generate(kind="monthly", period_start=D(2026, 10, 20))

    assert Report.objects.count() == 1
    assert (second.pk, second.version) == (first.pk, 1)
    assert second.period_start == D(2026, 10, 1)
    keys = Notification.objects.filter(key=f"report:{first.pk}")
    assert sorted(keys.values_list("recipient__username", flat=True)) == [
        "admin1",
        "leader1",
        "tf1",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remark", "publish"), [("抓紧推进", False), ("", True), ("抓紧推进", True)]
)
def test_a_report_a_leader_remarked_on_or_published_stays_as_the_leader_saw_it(
    own_project: Project, leader: User, taskforce_member: User, remark: str, publish: bool
) -> None:
    stamp(own_project, D(2026, 6, 1))
    seen = services.report_generate(kind="quarterly", period_start=D(2026, 7, 1))
    services.report_comment_publish(actor=leader, report=seen, remark=remark, publish=publish)
    seen.refresh_from_db()
    snapshot, number, file = seen.data, seen.doc_number, str(seen.file.name)
    scores = list(AssessmentScore.objects.filter(report=seen).values_list("pk", "score"))

    newer = services.report_generate(kind="quarterly", period_start=D(2026, 9, 30))
    again = services.report_generate(kind="quarterly", period_start=D(2026, 8, 1))

    seen.refresh_from_db()
    assert (seen.version, seen.remark, seen.published) == (1, remark, publish)
    assert (seen.data, seen.doc_number, seen.file.name) == (snapshot, number, file)
    assert seen.file.storage.exists(file)
    assert list(AssessmentScore.objects.filter(report=seen).values_list("pk", "score")) == scores
    assert (newer.version, newer.remark, newer.published) == (2, "", False)
    assert newer.doc_number != number
    assert again.pk == newer.pk  # the new version is a draft: regenerated in place
    assert Report.objects.filter(kind="quarterly").count() == 2
    assert AssessmentScore.objects.filter(report=newer).count() == 5
    assert Notification.objects.filter(
        recipient=taskforce_member, key=f"report:{newer.pk}", title__endswith="（第2版）"
    ).exists()


@pytest.mark.django_db
def test_a_published_report_cannot_be_withdrawn(leader: User) -> None:
    report = services.report_generate(kind="weekly", period_start=D(2026, 11, 9))
    services.report_comment_publish(actor=leader, report=report, remark="已阅", publish=True)
    with pytest.raises(ValidationError) as refused:
        services.report_comment_publish(actor=leader, report=report, remark="", publish=False)
    assert "published" in refused.value.message_dict
    report.refresh_from_db()
    assert (report.remark, report.published) == ("已阅", True)
    services.report_comment_publish(actor=leader, report=report, remark="请落实", publish=True)
    report.refresh_from_db()
    assert report.remark == "请落实"


@pytest.mark.django_db
def test_only_leaders_and_admins_ask_for_a_report(
    leader: User, admin_user: User, taskforce_member: User, petition_clerk: User
) -> None:
    for refused in (taskforce_member, petition_clerk):
        with pytest.raises(PermissionDenied):
            services.report_request(actor=refused, kind="weekly", day=D(2026, 11, 9))
    for allowed in (leader, admin_user):
        assert services.report_request(actor=allowed, kind="weekly", day=D(2026, 11, 9))[0] == D(
            2026, 11, 9
        )


@pytest.mark.django_db
def test_quarterly_scores_are_stored_and_replaced(own_project: Project) -> None:
    stamp(own_project, D(2026, 6, 1))
    report = services.report_generate(kind="quarterly", period_start=D(2026, 7, 1))
    assert AssessmentScore.objects.filter(report=report).count() == 5
    services.report_generate(kind="quarterly", period_start=D(2026, 9, 30))
    assert AssessmentScore.objects.filter(report=report).count() == 5
    ledger = AssessmentScore.objects.get(report=report, indicator__code="ledger_on_time")
    assert (ledger.task_force_id, ledger.score) == (own_project.task_force_id, 0)


@pytest.mark.django_db
def test_a_period_not_yet_begun_is_refused() -> None:
    with pytest.raises(ValidationError):
        services.report_generate(kind="weekly", period_start=D(2099, 1, 1))
    with pytest.raises(CommandError, match="尚未开始"):
        call_command("generate_report", "weekly", "--period", "2099-01-01")
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_command_generates_the_period_containing_the_date(capsys: Any) -> None:
    call_command("generate_report", "quarterly", "--period", "2026-08-15")
    report = Report.objects.get()
    assert (report.kind, report.period_start, report.period_end) == (
        "quarterly",
        D(2026, 7, 1),
        D(2026, 9, 30),
    )
    assert "季度考核" in capsys.readouterr().out


@pytest.mark.django_db
def test_past_period_reads_the_ledger_as_it_stood_then() -> None:
    p = stamp(
        ProjectFactory.create(code="OLD", construction_status=Project.Status.STOPPED),
        D(2026, 9, 1),
    )
    report = services.report_generate(kind="monthly", period_start=D(2026, 10, 1))
    assert [r["code"] for r in report.data["lagging"]] == ["OLD"]

    change(p, D(2026, 11, 20), construction_status=Project.Status.NORMAL, units_delivered=300)
    report.refresh_from_db()
    assert [r["code"] for r in report.data["lagging"]] == ["OLD"]  # the snapshot stays

    again = services.report_generate(kind="monthly", period_start=D(2026, 10, 1))
    assert [r["code"] for r in again.data["lagging"]] == ["OLD"]  # history, not today's row
    assert again.data["delivery"]["units_delivered"] == 0
    now = services.report_generate(kind="monthly", period_start=D(2026, 11, 1))
    assert now.data["lagging"] == []
    assert now.data["delivery"]["units_delivered"] == 300


@pytest.mark.django_db
def test_failing_task_retries_then_tells_the_admins(
    admin_user: User, leader: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def broken(**kwargs: Any) -> Report:
        calls.append(kwargs["kind"])
        raise RuntimeError("数据库连接中断")

    monkeypatch.setattr(services, "report_generate", broken)
    with pytest.raises(Retry):  # a first failure is retried later, nobody is told yet
        tasks.report_generate.apply(args=("weekly", "2026-11-09"))
    assert not Notification.objects.exists()
    # The last retry fails for good (not re-raised here, as a worker records it).
    result = tasks.report_generate.apply(
        args=("weekly", "2026-11-09"), retries=tasks.report_generate.max_retries, throw=False
    )
    assert result.failed()
    assert calls == ["weekly", "weekly"]
    failure = Notification.objects.get(recipient=admin_user)
    assert failure.title == "报告生成失败：周调度简报"
    assert "数据库连接中断" in failure.body
    assert not Notification.objects.filter(recipient=leader).exists()


def test_report_tasks_acknowledge_late_with_backoff(settings: Any) -> None:
    for task in (tasks.report_generate, tasks.report_generate_scheduled):
        assert task.acks_late
        assert task.retry_backoff
        assert task.max_retries == 3
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.django_db
def test_only_leaders_and_admins_remark(taskforce_member: User, leader: User) -> None:
    report = services.report_generate(kind="weekly", period_start=D(2026, 11, 9))
    with pytest.raises(PermissionDenied):
        services.report_comment_publish(
            actor=taskforce_member, report=report, remark="x", publish=True
        )
    services.report_comment_publish(actor=leader, report=report, remark=" 已阅 ", publish=False)
    report.refresh_from_db()
    assert (report.remark, report.published) == ("已阅", False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("published", [False, True])
def test_two_workers_at_once_leave_one_report(roles: None, published: bool) -> None:
    """Two threads (two database connections) generate the same week at the same moment: one
    draft, whether it is the first version or the one after a published version."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    ProjectFactory.create()
    if published:
        Report.objects.create(
            kind="weekly",
            period_start=D(2026, 11, 9),
            period_end=D(2026, 11, 15),
            generated_at=timezone.now(),
            published=True,
        )
    start = threading.Barrier(2)
    results: list[Any] = []

    def generate() -> None:
        from django.db import connection as thread_connection

        try:
            start.wait(timeout=10)
            results.append(services.report_generate(kind="weekly", period_start=D(2026, 11, 9)).pk)
        except Exception as e:
            results.append(e)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=generate) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(results) == 2
    assert all(isinstance(r, int) for r in results), results
    assert results[0] == results[1]
    versions = Report.objects.filter(kind="weekly", period_start=D(2026, 11, 9))
    expected = [(2, False), (1, True)] if published else [(1, False)]
    assert list(versions.values_list("version", "published")) == expected


@pytest.mark.django_db
def test_period_bounds() -> None:
    assert period_bounds("weekly", D(2026, 11, 15)) == (D(2026, 11, 9), D(2026, 11, 15))
    assert period_bounds("monthly", D(2024, 2, 10)) == (D(2024, 2, 1), D(2024, 2, 29))
    assert period_bounds("quarterly", D(2026, 12, 31)) == (D(2026, 10, 1), D(2026, 12, 31))
