"""Every API write goes through the services: history rows, events and derived figures."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from core.models import User
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from petitions.models import Petition
from projects.models import Company, Milestone, Project
from tests.factories import (
    CompanyFactory,
    DeliveryRecordFactory,
    DepartmentFactory,
    ProjectFactory,
    TownshipFactory,
)

ApiFor = Callable[[User], APIClient]
pytestmark = pytest.mark.django_db


@pytest.fixture
def member_api(api_for: ApiFor, taskforce_member: User) -> APIClient:
    return api_for(taskforce_member)


def test_project_create_records_who_and_why(member_api: APIClient, taskforce_member: User) -> None:
    developer = CompanyFactory.create()
    TownshipFactory.create(name="城关镇")
    response = member_api.post(
        "/api/projects/",
        {
            "code": "CG-9",
            "name": "锦绣华府",
            "township": "城关镇",
            "developer": developer.pk,
            "total_floor_area": "50000.00",
            "sold_area": "30000",
            "total_units": 400,
            "units_sold": 300,
            "contract_delivery_date": "2025-06-30",
            "task_force": taskforce_member.task_forces.get().pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["version"] == 1
    assert data["units_undelivered"] == 300
    assert data["risk_level"] == "high"  # delayed more than 180 days
    history = Project.objects.get(pk=data["id"]).history.get()
    assert (history.history_user, history.history_change_reason) == (taskforce_member, "新建项目")


def test_project_update_bumps_version_and_keeps_the_reason(
    member_api: APIClient, own_project: Project
) -> None:
    response = member_api.patch(
        f"/api/projects/{own_project.pk}/",
        {"name": "锦绣华府二期", "version": 1, "reason": "更正项目名称"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert own_project.history.first().history_change_reason == "更正项目名称"


def test_stale_version_is_a_409_and_changes_nothing(
    member_api: APIClient, own_project: Project
) -> None:
    member_api.patch(
        f"/api/projects/{own_project.pk}/", {"notes": "a", "version": 1}, format="json"
    )
    stale = member_api.patch(
        f"/api/projects/{own_project.pk}/", {"notes": "b", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert "您编辑的是旧版本，本次保存未生效" in stale.json()["detail"]
    own_project.refresh_from_db()
    assert (own_project.notes, own_project.version) == ("a", 2)


def test_update_without_version_is_refused(member_api: APIClient, own_project: Project) -> None:
    response = member_api.patch(f"/api/projects/{own_project.pk}/", {"notes": "a"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


def test_delivery_updates_units_delivered_and_refuses_more_than_sold(
    member_api: APIClient, own_project: Project
) -> None:
    ok = member_api.post(
        "/api/deliveries/",
        {"project": own_project.pk, "date": "2026-11-01", "units": 100, "area": "9000"},
        format="json",
    )
    too_many = member_api.post(
        "/api/deliveries/",
        {"project": own_project.pk, "date": "2026-11-02", "units": 201},
        format="json",
    )
    own_project.refresh_from_db()
    assert ok.status_code == 201
    assert own_project.units_delivered == 100
    assert too_many.status_code == 400
    assert too_many.json() == {"units": ["累计交房将达到301套，超过已售套数300套，请核对。"]}
    assert DeliveryRecord.objects.filter(project=own_project).count() == 1


def test_progress_report_sets_project_figures_and_registers_homes_handed_over(
    member_api: APIClient, own_project: Project, taskforce_member: User
) -> None:
    response = member_api.post(
        "/api/progress-reports/",
        {
            "project": own_project.pk,
            "period_start": "2026-11-16",
            "report_date": "2026-11-18",
            "construction_status": "lagging",
            "progress_percent": "72.5",
            "workers_on_site": 80,
            "delivered_this_week": 20,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["units_delivered_cumulative"] == 20
    report = ProgressReport.objects.get()
    assert report.reporter == taskforce_member
    own_project.refresh_from_db()
    assert own_project.construction_status == "lagging"
    assert own_project.progress_percent == Decimal("72.5")
    assert own_project.units_delivered == 20
    assert own_project.last_report_date == datetime.date(2026, 11, 18)


def test_second_report_for_the_same_week_is_a_field_error(
    member_api: APIClient, own_project: Project
) -> None:
    body = {
        "project": own_project.pk,
        "period_start": "2026-11-16",
        "report_date": "2026-11-18",
        "construction_status": "normal",
        "progress_percent": "10",
    }
    assert member_api.post("/api/progress-reports/", body, format="json").status_code == 201
    again = member_api.post("/api/progress-reports/", body, format="json")
    assert again.status_code == 400
    first = ProgressReport.objects.get()
    assert again.json() == {
        "period_start": [f"该项目2026-11-16这一周已有进度填报（记录号{first.pk}），请修改原记录。"]
    }


def test_problem_amounts_feed_the_funding_gap_until_resolved(
    member_api: APIClient, own_project: Project
) -> None:
    created = member_api.post(
        "/api/problems/",
        {
            "project": own_project.pk,
            "problem_type": "funding_gap",
            "description": "资金缺口",
            "amount": "1200.50",
            "reported_date": "2026-10-01",
            "responsible_department": DepartmentFactory.create().pk,
        },
        format="json",
    )
    own_project.refresh_from_db()
    assert own_project.funding_gap == Decimal("1200.50")
    resolved = member_api.patch(
        f"/api/problems/{created.json()['id']}/",
        {
            "status": "resolved",
            "resolved_date": "2026-11-01",
            "resolution": "专项借款到位",
            "version": created.json()["version"],
        },
        format="json",
    )
    assert resolved.status_code == 200
    own_project.refresh_from_db()
    assert own_project.funding_gap == 0
    assert Problem.objects.get().history.count() == 2


def test_resolved_problem_needs_its_date(member_api: APIClient, own_project: Project) -> None:
    response = member_api.post(
        "/api/problems/",
        {
            "project": own_project.pk,
            "problem_type": "permits",
            "description": "手续不全",
            "reported_date": "2026-10-01",
            "status": "resolved",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "resolved_date" in response.json()


def test_deleting_an_entry_recounts_the_project(
    member_api: APIClient, own_project: Project
) -> None:
    delivery = DeliveryRecordFactory.create(project=own_project, units=30)
    Project.objects.filter(pk=own_project.pk).update(units_delivered=30)
    response = member_api.delete(f"/api/deliveries/{delivery.pk}/?reason=重复登记")
    assert response.status_code == 204
    own_project.refresh_from_db()
    assert own_project.units_delivered == 0
    deleted = DeliveryRecord.history.get(history_type="-")
    assert deleted.history_change_reason == "重复登记"


def test_funding_inspection_and_milestone_writes(
    member_api: APIClient, own_project: Project, taskforce_member: User
) -> None:
    project = own_project.pk
    funding = member_api.post(
        "/api/funding-records/",
        {"project": project, "source": "whitelist_loan", "amount": "500", "date": "2026-11-01"},
        format="json",
    )
    assert funding.status_code == 201
    assert (
        member_api.patch(
            f"/api/funding-records/{funding.json()['id']}/",
            {"status": "disbursed", "version": 1},
            format="json",
        ).status_code
        == 200
    )
    assert FundingRecord.objects.get().status == "disbursed"
    bad_inspection = member_api.post(
        "/api/inspections/",
        {
            "project": project,
            "date": "2026-11-10",
            "kind": "safety",
            "rectification_deadline": "2026-11-01",
        },
        format="json",
    )
    assert bad_inspection.status_code == 400
    assert bad_inspection.json() == {"rectification_deadline": ["整改期限不能早于检查日期。"]}
    assert not Inspection.objects.exists()
    milestone = member_api.post(
        "/api/milestones/",
        {"project": project, "title": "主体封顶", "planned_date": "2026-12-31"},
        format="json",
    )
    assert milestone.status_code == 201
    moved = member_api.patch(
        f"/api/milestones/{milestone.json()['id']}/", {"project": project + 1000}, format="json"
    )
    assert moved.status_code == 400
    assert Milestone.objects.get().history.get().history_user == taskforce_member


def test_company_writes_go_through_the_credit_code_check(member_api: APIClient) -> None:
    bad = member_api.post(
        "/api/companies/", {"name": "某公司", "credit_code": "91330522000000001X"}, format="json"
    )
    assert bad.status_code == 400
    assert "credit_code" in bad.json()
    created = member_api.post("/api/companies/", {"name": "某公司"}, format="json")
    assert created.status_code == 201
    renamed = member_api.patch(
        f"/api/companies/{created.json()['id']}/",
        {"legal_representative": "王五", "version": 1},
        format="json",
    )
    assert renamed.status_code == 200
    assert Company.objects.get().history.count() == 2


def test_petition_registration_and_workflow_through_transitions(
    api_for: ApiFor, petition_clerk: User
) -> None:
    client = api_for(petition_clerk)
    registered = client.post(
        "/api/petitions/",
        {
            "received_date": "2026-11-02",
            "channel": "visit",
            "petitioner_name": "王五",
            "petitioner_phone": "138 1234 5678",
            "headcount": 6,
            "category": "delayed_delivery",
            "summary": "要求按期交房。",
        },
        format="json",
    )
    assert registered.status_code == 201, registered.json()
    data = registered.json()
    assert data["number"] == "XF-2026-00001"
    assert data["petitioner_phone"] == "13812345678"
    assert data["is_collective"] is True
    assert data["available_actions"] == ["accept", "reject"]
    url = f"/api/petitions/{data['id']}/transition/"
    accepted = client.post(url, {"action": "accept", "on": "2026-11-03"}, format="json")
    assert accepted.status_code == 200
    assert accepted.json()["due_date"] == "2027-01-02"
    no_department = client.post(url, {"action": "assign"}, format="json")
    assert no_department.status_code == 400
    assert no_department.json() == {"department": ["请选择承办部门。"]}
    department = DepartmentFactory.create(name="县住建局")
    assigned = client.post(url, {"action": "assign", "department": department.pk}, format="json")
    events = assigned.json()["events"]
    assert [e["action"] for e in events] == ["登记", "受理", "交办"]
    assert {e["actor_name"] for e in events} == {str(petition_clerk)}
    illegal = client.post(url, {"action": "close", "satisfaction": "satisfied"}, format="json")
    assert illegal.status_code == 400
    assert "不能办结" in illegal.json()["non_field_errors"][0]
    assert Petition.objects.get().status == Petition.Status.ASSIGNED


def _week(project: Project, **overrides: object) -> dict[str, object]:
    return {
        "project": project.pk,
        "period_start": "2026-11-16",
        "report_date": "2026-11-18",
        "construction_status": "normal",
        "progress_percent": "40.0",
        **overrides,
    }


def test_a_batch_of_weekly_reports_is_saved_whole_through_the_same_service(
    member_api: APIClient, taskforce_member: User
) -> None:
    force = taskforce_member.task_forces.get()
    projects = ProjectFactory.create_batch(3, task_force=force)
    body = {
        "reports": [
            _week(p, delivered_this_week=5 if i == 1 else 0) for i, p in enumerate(projects)
        ],
        "reason": "周五集中填报",
    }

    response = member_api.post("/api/progress-reports/batch/", body, format="json")

    assert response.status_code == 201
    assert [r["project"] for r in response.json()] == [p.pk for p in projects]
    assert ProgressReport.objects.count() == 3
    assert DeliveryRecord.objects.get().units == 5
    assert ProgressReport.history.filter(history_change_reason="周五集中填报").count() == 3


def test_a_batch_with_a_wrong_row_saves_nothing_and_names_the_row(
    member_api: APIClient, taskforce_member: User
) -> None:
    force = taskforce_member.task_forces.get()
    projects = ProjectFactory.create_batch(3, task_force=force)
    reports = [_week(p) for p in projects]
    reports[1]["progress_percent"] = "140.0"
    reports[2]["delivered_this_week"] = 301

    refused = member_api.post("/api/progress-reports/batch/", {"reports": reports}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["reports[1].progress_percent"]

    reports[1]["progress_percent"] = "40.0"
    refused = member_api.post("/api/progress-reports/batch/", {"reports": reports}, format="json")
    assert refused.status_code == 400
    assert refused.json() == {
        "reports[2].delivered_this_week": ["累计交房将达到301套，超过已售套数300套，请核对。"]
    }
    assert not ProgressReport.objects.exists()


def test_a_batch_touching_another_task_force_is_forbidden(
    member_api: APIClient, own_project: Project, other_project: Project
) -> None:
    body = {"reports": [_week(own_project), _week(other_project)]}
    assert member_api.post("/api/progress-reports/batch/", body, format="json").status_code == 403
    assert not ProgressReport.objects.exists()


def test_the_api_gives_a_missing_code_the_next_one_and_keeps_the_opening_balance(
    api_for: ApiFor, taskforce_member: User, time_machine: Any
) -> None:
    time_machine.move_to(
        datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )
    api = api_for(taskforce_member)
    TownshipFactory.create(name="城关镇")
    body = {
        "name": "锦绣华府",
        "township": "城关镇",
        "developer": CompanyFactory.create().pk,
        "total_floor_area": "50000.00",
        "total_units": 400,
        "units_sold": 300,
        "units_delivered_opening": 100,
        "task_force": taskforce_member.task_forces.get().pk,
    }
    created = api.post("/api/projects/", body, format="json")
    assert created.status_code == 201, created.json()
    assert (created.json()["code"], created.json()["units_delivered"]) == ("BJF-2026-00001", 100)
    changed = api.patch(
        f"/api/projects/{created.json()['id']}/",
        {"units_delivered_opening": 50, "version": 1},
        format="json",
    )
    assert changed.status_code == 400
    assert "只能在新建项目时填写" in str(changed.json())
