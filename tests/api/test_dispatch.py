"""The work cycle over the API: the same services, permissions and notifications as the pages."""

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from rest_framework.test import APIClient

from core.models import Notification, User
from dispatch.models import DispatchMeeting, SupervisionTask
from dispatch.reports.services import report_generate
from projects.models import Project
from tests.conftest import SUITE_NOW
from tests.factories import (
    DepartmentFactory,
    DispatchMeetingFactory,
    PetitionFactory,
    ProblemFactory,
    SupervisionTaskFactory,
    UserFactory,
)

Api = Callable[[User], APIClient]
TODAY = SUITE_NOW.date()  # the suite's pinned day (tests/conftest.py)


def test_a_meeting_is_recorded_with_its_projects_and_history(
    api_for: Api, leader: User, own_project: Project
) -> None:
    response = api_for(leader).post(
        "/api/meetings/",
        {
            "date": TODAY.isoformat(),
            "title": "第12次周调度会",
            "chair": leader.pk,
            "attendees": [leader.pk],
            "projects": [own_project.pk],
            "minutes": "研究复工",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    meeting = DispatchMeeting.objects.get()
    assert list(meeting.projects.all()) == [own_project]
    assert meeting.history.get().history_user == leader


def test_department_staff_cannot_record_meetings(api_for: Api, department_user: User) -> None:
    response = api_for(department_user).post(
        "/api/meetings/", {"date": TODAY.isoformat(), "title": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not DispatchMeeting.objects.exists()


def test_a_task_from_a_problem_takes_its_project_and_tells_the_department(
    api_for: Api, taskforce_member: User, own_project: Project
) -> None:
    department = DepartmentFactory.create(name="县财政局")
    clerk = UserFactory.create(department=department)
    problem = ProblemFactory.create(project=own_project)
    response = api_for(taskforce_member).post(
        "/api/tasks/",
        {
            "source": "problem",
            "problem": problem.pk,
            "title": "落实专项借款拨付",
            "assignee_department": department.pk,
            "deadline": (TODAY + datetime.timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    task = SupervisionTask.objects.get()
    assert (task.project, task.created_by, task.status) == (own_project, taskforce_member, "open")
    assert Notification.objects.filter(recipient=clerk, kind="task").exists()


def test_a_past_deadline_is_a_field_error(api_for: Api, leader: User) -> None:
    response = api_for(leader).post(
        "/api/tasks/",
        {
            "source": "other",
            "title": "x",
            "assignee_user": leader.pk,
            "deadline": (TODAY - datetime.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "deadline" in response.json()
    assert not SupervisionTask.objects.exists()


def test_the_petition_office_raises_tasks_only_from_petitions(
    api_for: Api, petition_clerk: User
) -> None:
    petition = PetitionFactory.create()
    body: dict[str, Any] = {
        "title": "约谈开发企业",
        "assignee_user": petition_clerk.pk,
        "deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
    }
    client = api_for(petition_clerk)
    assert client.post("/api/tasks/", {**body, "source": "other"}, format="json").status_code == 403
    response = client.post(
        "/api/tasks/", {**body, "source": "petition", "petition": petition.pk}, format="json"
    )
    assert response.status_code == 201, response.json()


def test_the_department_reports_progress_and_completes_its_task(
    api_for: Api, department_user: User
) -> None:
    task = SupervisionTaskFactory.create(
        assignee_department=department_user.department, deadline=TODAY
    )
    client = api_for(department_user)

    progress = client.post(f"/api/tasks/{task.pk}/progress/", {"note": "已约谈"}, format="json")
    assert progress.status_code == 200, progress.json()
    assert progress.json()["status"] == "in_progress"
    done = client.post(f"/api/tasks/{task.pk}/complete/", {"result": "已拨付"}, format="json")
    assert done.json()["status"] == "done"
    assert done.json()["done_date"] == TODAY.isoformat()
    again = client.post(f"/api/tasks/{task.pk}/complete/", {"result": "x"}, format="json")
    assert again.status_code == 400
    refused = client.post(f"/api/tasks/{task.pk}/reopen/", {"reason": "x"}, format="json")
    assert refused.status_code == 403  # only who raised it, or the cycle's staff
    assert task.history.count() == 3


def test_another_departments_task_is_not_found(api_for: Api, department_user: User) -> None:
    task = SupervisionTaskFactory.create(
        assignee_department=DepartmentFactory.create(name="别的局")
    )
    response = api_for(department_user).post(
        f"/api/tasks/{task.pk}/progress/", {"note": "x"}, format="json"
    )
    assert response.status_code == 404


def test_where_a_task_comes_from_cannot_be_changed(api_for: Api, leader: User) -> None:
    task = SupervisionTaskFactory.create(deadline=TODAY + datetime.timedelta(days=3))
    response = api_for(leader).patch(
        f"/api/tasks/{task.pk}/", {"source": "petition"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["source"]


def test_reports_are_requested_remarked_and_hidden_from_departments(
    api_for: Api,
    leader: User,
    department_user: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = api_for(leader)
    last_month = TODAY.replace(day=1) - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks() as queued_tasks:
        queued = client.post(
            "/api/reports/generate/",
            {"kind": "monthly", "period": last_month.isoformat()},
            format="json",
        )
    assert queued.status_code == 202, queued.json()
    assert queued.json()["period_start"] == last_month.replace(day=1).isoformat()
    assert len(queued_tasks) == 1  # the worker's job, sent once the request commits
    report = report_generate(kind="monthly", period_start=last_month)  # what the worker runs
    listed = client.get("/api/reports/").json()["results"]
    assert [r["unread"] for r in listed] == [True]

    remarked = client.post(
        f"/api/reports/{report.pk}/remark/",
        {"remark": "各专班对照整改", "published": True},
        format="json",
    )
    assert remarked.json()["published"] is True
    assert api_for(department_user).get("/api/reports/").json()["results"] == []
    assert api_for(department_user).get(f"/api/reports/{report.pk}/").status_code == 404


def test_a_report_of_a_future_period_is_refused(api_for: Api, leader: User) -> None:
    response = api_for(leader).post(
        "/api/reports/generate/",
        {"kind": "weekly", "period": (TODAY + datetime.timedelta(days=30)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert "period" in response.json()


def test_task_force_members_may_not_generate_reports_over_the_api(
    api_for: Api, taskforce_member: User, admin_user: User
) -> None:
    body = {"kind": "weekly", "period": "2026-11-10"}
    assert (
        api_for(taskforce_member).post("/api/reports/generate/", body, format="json").status_code
        == 403
    )
    assert (
        api_for(admin_user).post("/api/reports/generate/", body, format="json").status_code == 202
    )


def test_the_api_tells_the_published_version_from_the_latest(
    api_for: Api, leader: User, taskforce_member: User
) -> None:
    seen = report_generate(kind="weekly", period_start=datetime.date(2026, 11, 9))
    api_for(leader).post(
        f"/api/reports/{seen.pk}/remark/", {"remark": "按期交付", "published": True}, format="json"
    )
    newer = report_generate(kind="weekly", period_start=datetime.date(2026, 11, 9))
    listed = api_for(taskforce_member).get("/api/reports/").json()["results"]
    shown = [(r["id"], r["version"], r["is_latest"], r["published"], r["remark"]) for r in listed]
    assert shown == [(newer.pk, 2, True, False, ""), (seen.pk, 1, False, True, "按期交付")]
    withdraw = api_for(leader).post(
        f"/api/reports/{seen.pk}/remark/", {"remark": "", "published": False}, format="json"
    )
    assert withdraw.status_code == 400
    assert "published" in withdraw.json()


def test_a_task_with_the_longest_title_notifies_with_a_shortened_title(
    api_for: Api, leader: User, department_user: User
) -> None:
    title = "督" * 200
    response = api_for(leader).post(
        "/api/tasks/",
        {
            "source": "other",
            "title": title,
            "assignee_department": department_user.department_id,
            "deadline": (TODAY + datetime.timedelta(days=7)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    assert SupervisionTask.objects.get().title == title
    shown = Notification.objects.get(recipient=department_user).title
    assert len(shown) == 200
    assert shown.startswith("新督办事项：督督")
    assert shown.endswith("督…")


def test_departments_and_the_petition_office_read_only_meetings_they_are_party_to(
    client_for: Callable[[User], Client],
    api_for: Api,
    leader: User,
    department_user: User,
    petition_clerk: User,
) -> None:
    attended = DispatchMeetingFactory.create(title="甲会", minutes="甲会纪要")
    attended.attendees.add(petition_clerk)
    tasked = DispatchMeetingFactory.create(title="乙会", minutes="乙会纪要")
    SupervisionTaskFactory.create(meeting=tasked, assignee_department=department_user.department)
    other = DispatchMeetingFactory.create(title="丙会", minutes="丙会纪要")
    readable = {
        leader: {attended, tasked, other},
        department_user: {tasked},
        petition_clerk: {attended},
    }
    for user, meetings in readable.items():
        client = client_for(user)
        listed = client.get("/dispatch/meetings/").content.decode()
        api = {row["id"] for row in api_for(user).get("/api/meetings/").json()["results"]}
        assert api == {m.pk for m in meetings}
        for meeting in (attended, tasked, other):
            shown = meeting in meetings
            assert (meeting.title in listed) is shown
            page = client.get(f"/dispatch/meetings/{meeting.pk}/")
            assert page.status_code == (200 if shown else 404)
            assert (api_for(user).get(f"/api/meetings/{meeting.pk}/").status_code == 200) is shown
