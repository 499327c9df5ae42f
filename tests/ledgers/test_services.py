"""Saving a ledger entry updates the project's derived figures in the same transaction."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import User
from ledgers import services
from ledgers.models import DeliveryRecord, Problem, ProgressReport
from projects.models import Project
from tests.factories import ProjectFactory

REPORT = {
    "period_start": datetime.date(2026, 11, 16),
    "report_date": datetime.date(2026, 11, 18),
    "construction_status": Project.Status.LAGGING,
    "progress_percent": Decimal("72.5"),
    "workers_on_site": 80,
    "funds_received": Decimal("150"),
    "note": "主体封顶",
}


def test_progress_report_sets_status_progress_and_last_report(
    taskforce_member: User, own_project: Project
) -> None:
    services.progress_report_create(actor=taskforce_member, project=own_project, data=REPORT)
    own_project.refresh_from_db()
    assert own_project.construction_status == Project.Status.LAGGING
    assert own_project.progress_percent == Decimal("72.5")
    assert own_project.last_report_date == datetime.date(2026, 11, 18)


def test_homes_delivered_this_week_become_a_delivery_and_count(
    taskforce_member: User, own_project: Project
) -> None:
    report = services.progress_report_create(
        actor=taskforce_member, project=own_project, data=REPORT, delivered_this_week=40
    )
    own_project.refresh_from_db()
    assert own_project.units_delivered == 40
    assert report.units_delivered_cumulative == 40
    delivery = DeliveryRecord.objects.get(project=own_project)
    assert (delivery.date, delivery.units) == (datetime.date(2026, 11, 18), 40)
    assert delivery.area == Decimal("4000.00")  # 30000 m² sold / 300 units × 40


def test_an_older_report_does_not_override_the_latest(
    taskforce_member: User, own_project: Project
) -> None:
    services.progress_report_create(actor=taskforce_member, project=own_project, data=REPORT)
    older = {
        **REPORT,
        "period_start": datetime.date(2026, 11, 2),
        "report_date": datetime.date(2026, 11, 3),
        "construction_status": Project.Status.STOPPED,
        "progress_percent": Decimal("60"),
    }
    services.progress_report_create(actor=taskforce_member, project=own_project, data=older)
    own_project.refresh_from_db()
    assert own_project.construction_status == Project.Status.LAGGING
    assert own_project.last_report_date == datetime.date(2026, 11, 18)


def test_one_report_per_project_and_week(taskforce_member: User, own_project: Project) -> None:
    services.progress_report_create(actor=taskforce_member, project=own_project, data=REPORT)
    with pytest.raises(ValidationError, match="这一周已有进度填报"):
        services.progress_report_create(actor=taskforce_member, project=own_project, data=REPORT)


def test_report_week_must_be_a_monday(taskforce_member: User, own_project: Project) -> None:
    with pytest.raises(ValidationError) as exc:
        services.progress_report_create(
            actor=taskforce_member,
            project=own_project,
            data={**REPORT, "period_start": datetime.date(2026, 11, 17)},
        )
    assert "period_start" in exc.value.message_dict


def test_deliveries_cannot_exceed_units_sold(taskforce_member: User, own_project: Project) -> None:
    services.delivery_create(
        actor=taskforce_member,
        project=own_project,
        data={"date": datetime.date(2026, 10, 1), "units": 290, "area": Decimal(0), "note": ""},
    )
    with pytest.raises(ValidationError) as exc:
        services.progress_report_create(
            actor=taskforce_member, project=own_project, data=REPORT, delivered_this_week=11
        )
    assert "超过已售套数300套" in exc.value.message_dict["delivered_this_week"][0]
    assert not ProgressReport.objects.exists()
    own_project.refresh_from_db()
    assert own_project.units_delivered == 290


def test_editing_a_delivery_recounts_the_project(
    taskforce_member: User, own_project: Project
) -> None:
    delivery = services.delivery_create(
        actor=taskforce_member,
        project=own_project,
        data={"date": datetime.date(2026, 10, 1), "units": 100, "area": Decimal(0), "note": ""},
    )
    services.delivery_update(
        actor=taskforce_member, delivery=delivery, data={"units": 300}, expected_version=1
    )
    own_project.refresh_from_db()
    assert own_project.units_delivered == 300
    with pytest.raises(ValidationError):
        services.delivery_update(
            actor=taskforce_member, delivery=delivery, data={"units": 301}, expected_version=2
        )


def test_open_problems_set_funding_gap_and_wages_owed_until_resolved(
    taskforce_member: User, own_project: Project
) -> None:
    base = {"description": "缺口", "reported_date": datetime.date(2026, 10, 1)}
    gap = services.problem_create(
        actor=taskforce_member,
        project=own_project,
        data={**base, "problem_type": Problem.Type.FUNDING_GAP, "amount": Decimal("1200")},
    )
    services.problem_create(
        actor=taskforce_member,
        project=own_project,
        data={**base, "problem_type": Problem.Type.WAGE_ARREARS, "amount": Decimal("85.5")},
    )
    own_project.refresh_from_db()
    assert (own_project.funding_gap, own_project.wages_owed) == (Decimal("1200"), Decimal("85.5"))
    services.problem_update(
        actor=taskforce_member,
        problem=gap,
        data={"status": Problem.Status.RESOLVED, "resolved_date": datetime.date(2026, 11, 1)},
        expected_version=1,
        reason="专项借款到位",
    )
    own_project.refresh_from_db()
    assert own_project.funding_gap == Decimal(0)
    assert own_project.wages_owed == Decimal("85.5")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": Problem.Status.RESOLVED}, "resolved_date"),
        ({"resolved_date": datetime.date(2026, 11, 1)}, "resolved_date"),
        (
            {"status": Problem.Status.RESOLVED, "resolved_date": datetime.date(2026, 9, 1)},
            "resolved_date",
        ),
        ({"amount": Decimal("-1")}, "amount"),
    ],
)
def test_problem_invariants(
    taskforce_member: User, own_project: Project, data: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.problem_create(
            actor=taskforce_member,
            project=own_project,
            data={
                "problem_type": Problem.Type.OTHER,
                "description": "x",
                "reported_date": datetime.date(2026, 10, 1),
                **data,
            },
        )
    assert field in exc.value.message_dict


def test_inspection_dates_cannot_precede_the_inspection(
    taskforce_member: User, own_project: Project
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.inspection_create(
            actor=taskforce_member,
            project=own_project,
            data={
                "date": datetime.date(2026, 10, 1),
                "kind": "safety",
                "rectification_deadline": datetime.date(2026, 9, 1),
            },
        )
    assert "rectification_deadline" in exc.value.message_dict


def test_funding_amount_must_be_positive(taskforce_member: User, own_project: Project) -> None:
    with pytest.raises(ValidationError) as exc:
        services.funding_record_create(
            actor=taskforce_member,
            project=own_project,
            data={"source": "fiscal", "amount": Decimal(0), "date": datetime.date(2026, 10, 1)},
        )
    assert "amount" in exc.value.message_dict


def test_entry_history_records_actor_and_reason(
    taskforce_member: User, own_project: Project
) -> None:
    report = services.progress_report_create(
        actor=taskforce_member, project=own_project, data=REPORT
    )
    services.progress_report_update(
        actor=taskforce_member,
        report=report,
        data={"workers_on_site": 95},
        expected_version=1,
        reason="补报人数",
    )
    latest = report.history.first()
    assert latest.history_user == taskforce_member
    assert latest.history_change_reason == "补报人数"
    assert latest.workers_on_site == 95
    derived = own_project.history.filter(history_change_reason="进度填报").first()
    assert derived is not None
    assert derived.history_user == taskforce_member


def test_deleting_a_delivery_recounts_and_keeps_history(
    taskforce_member: User, own_project: Project
) -> None:
    delivery = services.delivery_create(
        actor=taskforce_member,
        project=own_project,
        data={"date": datetime.date(2026, 10, 1), "units": 30, "area": Decimal(0), "note": ""},
    )
    services.ledger_entry_delete(actor=taskforce_member, entry=delivery, reason="重复登记")
    own_project.refresh_from_db()
    assert own_project.units_delivered == 0
    deleted = DeliveryRecord.history.filter(history_type="-").get()
    assert deleted.history_user == taskforce_member
    assert deleted.history_change_reason == "重复登记"


def test_a_refused_report_leaves_no_delivery_behind(
    taskforce_member: User, own_project: Project
) -> None:
    services.progress_report_create(actor=taskforce_member, project=own_project, data=REPORT)
    with pytest.raises(ValidationError, match="这一周已有进度填报"):
        services.progress_report_create(
            actor=taskforce_member, project=own_project, data=REPORT, delivered_this_week=15
        )
    assert not DeliveryRecord.objects.exists()
    own_project.refresh_from_db()
    assert own_project.units_delivered == 0


def _rows(projects: list[Project], **overrides: object) -> list[services.ReportRow]:
    return [services.ReportRow(project=p, data={**REPORT, **overrides}) for p in projects]


def test_a_week_of_many_projects_is_filed_in_one_call(taskforce_member: User) -> None:
    force = taskforce_member.task_forces.get()
    projects = ProjectFactory.create_batch(10, task_force=force)
    rows = _rows(projects)
    rows[3] = services.ReportRow(project=projects[3], data=REPORT, delivered_this_week=12)

    reports = services.progress_reports_file(actor=taskforce_member, rows=rows, reason="周报")

    assert len(reports) == 10
    assert ProgressReport.objects.filter(period_start=datetime.date(2026, 11, 16)).count() == 10
    projects[3].refresh_from_db()
    assert projects[3].units_delivered == 12
    assert projects[3].construction_status == Project.Status.LAGGING
    assert ProgressReport.history.filter(history_change_reason="周报").count() == 10


def test_one_wrong_row_saves_nothing_and_names_every_wrong_row(taskforce_member: User) -> None:
    force = taskforce_member.task_forces.get()
    projects = ProjectFactory.create_batch(4, task_force=force)
    rows = _rows(projects)
    rows[1] = services.ReportRow(project=projects[1], data={**REPORT, "progress_percent": 140})
    rows[2] = services.ReportRow(project=projects[2], data=REPORT, delivered_this_week=301)

    with pytest.raises(services.BatchRejected) as exc:
        services.progress_reports_file(actor=taskforce_member, rows=rows)

    assert sorted(exc.value.rows) == [1, 2]
    assert "progress_percent" in exc.value.rows[1].message_dict
    assert "超过已售套数300套" in exc.value.rows[2].message_dict["delivered_this_week"][0]
    assert not ProgressReport.objects.exists()
    assert not DeliveryRecord.objects.exists()


def test_a_batch_with_another_task_forces_project_is_refused_whole(
    taskforce_member: User, own_project: Project, other_project: Project
) -> None:
    with pytest.raises(PermissionDenied):
        services.progress_reports_file(
            actor=taskforce_member, rows=_rows([own_project, other_project])
        )
    assert not ProgressReport.objects.exists()


def test_a_week_already_reported_names_the_report(
    taskforce_member: User, own_project: Project
) -> None:
    first = services.progress_report_create(
        actor=taskforce_member, project=own_project, data=REPORT
    )
    with pytest.raises(ValidationError) as exc:
        services.progress_report_create(actor=taskforce_member, project=own_project, data=REPORT)
    (error,) = exc.value.error_dict["period_start"]
    assert error.code == services.WEEK_REPORTED
    assert error.params is not None
    assert error.params["report_id"] == first.pk


def test_the_same_project_twice_in_one_batch_is_refused(
    taskforce_member: User, own_project: Project
) -> None:
    with pytest.raises(services.BatchRejected) as exc:
        services.progress_reports_file(
            actor=taskforce_member, rows=_rows([own_project, own_project])
        )
    assert list(exc.value.rows) == [1]
