"""The report pages: who sees them, unread marks, generate now, remark, Excel, brief, market."""

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.models import User
from dispatch import tasks
from dispatch.models import MarketFigure, Report
from dispatch.reports import services

pytestmark = pytest.mark.django_db
D = datetime.date
Clients = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def weekly(leader: User, taskforce_member: User, admin_user: User) -> Report:
    return services.report_generate(kind="weekly", period_start=D(2026, 11, 9))


def test_list_marks_unread_until_the_report_is_opened(
    client_for: Clients, leader: User, weekly: Report
) -> None:
    client = client_for(leader)
    page = client.get(reverse("dispatch:report_list")).content.decode()
    assert "未读" in page
    assert client.get(reverse("dispatch:report_detail", args=[weekly.pk])).status_code == 200
    page = client.get(reverse("dispatch:report_list")).content.decode()
    assert "未读" not in page
    assert leader.notifications.get(key=f"report:{weekly.pk}").read_at is not None


def test_overview_card_shows_the_latest_reports(
    client_for: Clients, taskforce_member: User, weekly: Report
) -> None:
    page = client_for(taskforce_member).get(reverse("dispatch:index")).content.decode()
    assert reverse("dispatch:report_detail", args=[weekly.pk]) in page


def test_department_users_do_not_read_reports(
    client_for: Clients, department_user: User, weekly: Report
) -> None:
    client = client_for(department_user)
    assert client.get(reverse("dispatch:report_list")).status_code == 403
    assert client.get(reverse("dispatch:report_detail", args=[weekly.pk])).status_code == 403
    assert client.get(reverse("dispatch:report_download", args=[weekly.pk])).status_code == 403
    overview = client.get(reverse("dispatch:index")).content.decode()
    assert reverse("dispatch:report_detail", args=[weekly.pk]) not in overview


@pytest.mark.parametrize("kind", ["weekly", "monthly", "quarterly"])
def test_each_report_page_and_excel(client_for: Clients, leader: User, kind: str) -> None:
    report = services.report_generate(kind=kind, period_start=D(2026, 9, 30))
    client = client_for(leader)
    page = client.get(reverse("dispatch:report_detail", args=[report.pk]))
    assert page.status_code == 200
    assert report.data["title"] in page.content.decode()
    response = client.get(reverse("dispatch:report_download", args=[report.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    first = workbook.worksheets[0]
    assert first["A1"].value == report.data["title"]
    assert first.freeze_panes == "A4"
    for sheet in workbook.worksheets:
        headers = [c.value for c in sheet[3] if c.value]
        assert len(headers) == len(set(headers)), (sheet.title, headers)


def test_generate_now_queues_the_task(
    client_for: Clients,
    leader: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.report_generate, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(leader).post(
            reverse("dispatch:report_generate"), {"kind": "monthly", "period": "2026-10-05"}
        )
    assert response.status_code == 302
    assert queued == [("monthly", "2026-10-01")]


def test_task_force_members_read_reports_but_do_not_generate_them(
    client_for: Clients,
    taskforce_member: User,
    weekly: Report,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.report_generate, "delay", lambda *args: queued.append(args))
    client = client_for(taskforce_member)
    page = client.get(reverse("dispatch:report_list")).content.decode()
    assert reverse("dispatch:report_detail", args=[weekly.pk]) in page
    assert reverse("dispatch:report_generate") not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dispatch:report_generate"), {"kind": "weekly", "period": "2026-11-10"}
        )
    assert response.status_code == 403
    assert queued == []


def test_pages_tell_the_published_version_from_the_latest(
    client_for: Clients, leader: User, taskforce_member: User, weekly: Report
) -> None:
    services.report_comment_publish(actor=leader, report=weekly, remark="按期交付", publish=True)
    newer = services.report_generate(kind="weekly", period_start=D(2026, 11, 9))
    client = client_for(taskforce_member)

    listing = client.get(reverse("dispatch:report_list")).content.decode()
    assert listing.count("第1版") == 1
    assert listing.count("第2版") == 1
    assert listing.count("最新版") == 1
    assert listing.count("已有新版本") == 1

    published = client.get(reverse("dispatch:report_detail", args=[weekly.pk])).content.decode()
    assert "按期交付" in published
    assert "当前查看第1版（已有新版本）" in published
    assert reverse("dispatch:report_detail", args=[newer.pk]) in published
    latest = client.get(reverse("dispatch:report_detail", args=[newer.pk])).content.decode()
    assert "按期交付" not in latest
    assert "当前查看第2版：" in latest
    assert reverse("dispatch:report_detail", args=[weekly.pk]) in latest


def test_the_page_does_not_withdraw_a_published_report(
    client_for: Clients, leader: User, weekly: Report
) -> None:
    services.report_comment_publish(actor=leader, report=weekly, remark="", publish=True)
    client = client_for(leader)
    detail = client.get(reverse("dispatch:report_detail", args=[weekly.pk])).content.decode()
    assert "不能撤回" in detail
    url = reverse("dispatch:report_comment", args=[weekly.pk])
    page = client.post(url, {"remark": "已阅"}, follow=True).content.decode()
    assert "报告已发布，不能撤回" in page
    assert "<ul" not in page.split("批示未保存")[1][:50]
    weekly.refresh_from_db()
    assert (weekly.published, weekly.remark) == (True, "")
    client.post(url, {"remark": "已阅", "published": "on"})
    weekly.refresh_from_db()
    assert (weekly.published, weekly.remark) == (True, "已阅")


def test_generate_now_refuses_bad_input_and_future_periods(
    client_for: Clients, leader: User, petition_clerk: User
) -> None:
    client = client_for(leader)
    url = reverse("dispatch:report_generate")
    for data in (
        {"kind": "daily", "period": "2026-10-05"},
        {"kind": "weekly", "period": "x"},
        {"kind": "weekly", "period": "2099-01-01"},
    ):
        assert client.post(url, data, follow=True).status_code == 200
    assert not Report.objects.exists()
    assert (
        client_for(petition_clerk).post(url, {"kind": "weekly", "period": "2026-11-01"}).status_code
        == 403
    )


def test_leader_remarks_and_publishes(
    client_for: Clients, leader: User, taskforce_member: User, weekly: Report
) -> None:
    url = reverse("dispatch:report_comment", args=[weekly.pk])
    assert client_for(taskforce_member).post(url, {"remark": "x"}).status_code == 403
    client_for(leader).post(url, {"remark": "请各专班抓紧落实", "published": "on"})
    weekly.refresh_from_db()
    assert (weekly.remark, weekly.published) == ("请各专班抓紧落实", True)
    page = client_for(taskforce_member).get(reverse("dispatch:report_detail", args=[weekly.pk]))
    assert "请各专班抓紧落实" in page.content.decode()
    assert "保存批示" not in page.content.decode()


def test_leader_brief_is_an_a3_page_of_the_week(
    client_for: Clients, leader: User, weekly: Report
) -> None:
    page = client_for(leader).get(reverse("dispatch:report_brief", args=[weekly.pk]))
    assert page.status_code == 200
    assert "size: A3" in page.content.decode()
    monthly = services.report_generate(kind="monthly", period_start=D(2026, 10, 1))
    assert (
        client_for(leader).get(reverse("dispatch:report_brief", args=[monthly.pk])).status_code
        == 404
    )


def test_staff_enter_and_correct_market_figures(
    client_for: Clients, taskforce_member: User, leader: User
) -> None:
    url = reverse("dispatch:market_figures")
    client = client_for(taskforce_member)
    data = {"month": "2026-10", "sales_area": "3000", "inventory_area": "6000"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "sales_area": "3500.5"}).status_code == 302
    figure = MarketFigure.objects.get()
    assert (figure.month, figure.sales_area, figure.entered_by) == (
        D(2026, 10, 1),
        3500.5,
        taskforce_member,
    )
    bad = client.post(url, {**data, "sales_area": "-1"})
    assert bad.status_code == 200
    assert "errorlist" in bad.content.decode()
    assert client_for(leader).post(url, data).status_code == 403
    assert client_for(leader).get(url).status_code == 200
