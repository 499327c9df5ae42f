"""The demo ledgers: a year of weekly reports, deliveries, problems, funding and inspections."""

import datetime
from decimal import Decimal
from typing import Any

from core.dates import monday_of
from demo.base import SeederBase, at_ten, history_rows
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from projects.models import Project


class LedgerSeeding(SeederBase):
    """Each project's ledger entries and the history rows they leave on the project."""

    def seed_ledgers(self) -> None:
        this_monday = monday_of(self.today)
        staff = {tf.pk: tf.members.all()[0].pk for tf in self.task_forces}
        historical = Project.history.model  # each `Project.history` builds a new manager
        project_history: list[Any] = []
        reports: list[ProgressReport] = []
        deliveries: list[DeliveryRecord] = []
        problems: list[Problem] = []
        funding: list[FundingRecord] = []
        inspections: list[Inspection] = []
        to_update: list[Project] = []
        depts = list(self.departments.values())
        total_reports = 0
        for index, (project, plan) in enumerate(zip(self.projects, self.plans, strict=True)):
            stale_weeks = int(str(plan["stale_weeks"]))
            final_progress = float(project.progress_percent)
            start_progress = max(0.0, final_progress - self.rng.uniform(15, 45))
            # Deliveries: a few batches within the last year, summing to the final figure.
            delivered_total = project.units_delivered
            batches: list[tuple[datetime.date, int]] = []
            remaining = delivered_total
            while remaining > 0:
                units = remaining if remaining < 40 else self.rng.randint(20, remaining)
                batches.append((self.days_ago(7, 360), units))
                remaining -= units
            batches.sort()
            for day, units in batches:
                deliveries.append(
                    DeliveryRecord(
                        project=project,
                        date=day,
                        units=units,
                        area=(project.sold_area / project.units_sold * units).quantize(
                            Decimal("0.01")
                        )
                        if project.units_sold
                        else Decimal(0),
                        note="分批交付",
                    )
                )
            # A week's report comes on one of its working days; this week's may not be due yet,
            # and then the project's latest report (which sets its figures) is last week's.
            weeks: list[tuple[int, datetime.date, datetime.date]] = []
            for w in range(self.weeks - 1, stale_weeks - 1, -1):
                monday = this_monday - datetime.timedelta(weeks=w)
                report_day = monday + datetime.timedelta(days=self.rng.randint(0, 4))
                if report_day <= self.today:
                    weeks.append((w, monday, report_day))
            timeline: list[tuple[datetime.date, str, Decimal]] = []
            for k, (w, monday, report_day) in enumerate(weeks):
                share = (self.weeks - w) / self.weeks
                progress = start_progress + (final_progress - start_progress) * share
                is_last = k == len(weeks) - 1
                reports.append(
                    ProgressReport(
                        project=project,
                        period_start=monday,
                        report_date=report_day,
                        construction_status=project.construction_status
                        if is_last or w < 8
                        else Project.Status.NORMAL
                        if project.construction_status != Project.Status.DELIVERED
                        else Project.Status.COMPLETED,
                        progress_percent=Decimal(f"{progress:.1f}")
                        if not is_last
                        else project.progress_percent,
                        units_delivered_cumulative=sum(u for d, u in batches if d <= report_day),
                        workers_on_site=0
                        if project.construction_status == Project.Status.STOPPED and w < 8
                        else self.rng.randint(20, 260),
                        funds_received=Decimal(self.rng.choice([0, 0, 0, 50, 120, 300])),
                        note="" if self.rng.random() < 0.7 else "按计划推进，本周完成既定节点。",
                        reporter=self.taskforce_users[index % len(self.taskforce_users)],
                    )
                )
                latest = reports[-1]
                timeline.append((report_day, latest.construction_status, latest.progress_percent))
            project.last_report_date = timeline[-1][0] if timeline else None
            to_update.append(project)
            # Problems: troubled projects carry open ones; others have resolved history.
            problems_before = len(problems)
            troubled = project.construction_status in (
                Project.Status.STOPPED,
                Project.Status.SEMI_STOPPED,
                Project.Status.LAGGING,
            )
            for _ in range(self.rng.randint(1, 3) if troubled else self.rng.randint(0, 1)):
                ptype = self.rng.choice(list(Problem.Type))
                resolved = (not troubled and self.rng.random() < 0.8) or self.rng.random() < 0.25
                reported = self.days_ago(20, 300)
                amount = (
                    Decimal(self.rng.randrange(50, 8000, 10))
                    if ptype in (Problem.Type.FUNDING_GAP, Problem.Type.WAGE_ARREARS)
                    else Decimal(0)
                )
                problems.append(
                    Problem(
                        project=project,
                        problem_type=ptype,
                        description=f"{Problem.Type(ptype).label}：需协调解决。",
                        amount=amount,
                        responsible_department=self.rng.choice(depts),
                        deadline=reported + datetime.timedelta(days=self.rng.randint(30, 120)),
                        status=Problem.Status.RESOLVED
                        if resolved
                        else self.rng.choice([Problem.Status.OPEN, Problem.Status.IN_PROGRESS]),
                        reported_date=reported,
                        resolved_date=min(
                            self.today, reported + datetime.timedelta(days=self.rng.randint(10, 90))
                        )
                        if resolved
                        else None,
                        resolution="已协调落实。" if resolved else "",
                    )
                )
            if troubled or self.rng.random() < 0.3:
                funding.append(
                    FundingRecord(
                        project=project,
                        source=self.rng.choice(list(FundingRecord.Source)),
                        amount=Decimal(self.rng.randrange(200, 20000, 50)),
                        status=self.rng.choice(list(FundingRecord.Status)),
                        date=self.days_ago(5, 300),
                    )
                )
            if self.rng.random() < 0.4:
                day = self.days_ago(5, 200)
                severity = self.rng.choice(list(Inspection.Severity))
                inspections.append(
                    Inspection(
                        project=project,
                        date=day,
                        kind=self.rng.choice(list(Inspection.Kind)),
                        findings="" if severity == "none" else "现场发现问题，已下达整改通知。",
                        severity=severity,
                        rectification_deadline=None
                        if severity == "none"
                        else day + datetime.timedelta(days=30),
                        rectified_date=None
                        if severity == "none" or self.rng.random() < 0.4
                        else day + datetime.timedelta(days=self.rng.randint(5, 30)),
                    )
                )
                if (inspections[-1].rectified_date or day) > self.today:
                    inspections[-1].rectified_date = None  # still being rectified
            open_money = [p for p in problems[problems_before:] if p.status != "resolved"]
            project.funding_gap, project.wages_owed = (
                sum((p.amount for p in open_money if p.problem_type == kind), Decimal(0))
                for kind in (Problem.Type.FUNDING_GAP, Problem.Type.WAGE_ARREARS)
            )
            # Entered into the ledger a year ago, before its first entry.
            entered = min(
                [self.today - datetime.timedelta(days=360), *(r[0] for r in timeline)]
                + [d for d, _ in batches]
            )
            project.created_at = at_ten(entered)
            project_history += self.project_history(
                historical, project, entered, batches, timeline, staff[project.task_force_id]
            )
            if len(project_history) >= 50_000:
                historical.objects.bulk_create(project_history, batch_size=5000)
                project_history = []
            if len(reports) >= 50_000:
                total_reports += self._save_reports(reports)
                reports = []
                self.progress(f"progress reports: {total_reports}")
        total_reports += self._save_reports(reports)
        historical.objects.bulk_create(project_history, batch_size=5000)
        Project.objects.bulk_update(
            to_update,
            ["last_report_date", "funding_gap", "wages_owed", "created_at"],
            batch_size=2000,
        )
        by_project = {p.pk: staff[p.task_force_id] for p in self.projects}
        kinds: list[tuple[Any, list[Any], str]] = [
            (DeliveryRecord, deliveries, "date"),
            (Problem, problems, "reported_date"),
            (FundingRecord, funding, "date"),
            (Inspection, inspections, "date"),
        ]
        for model, rows, date_attr in kinds:
            saved = model.objects.bulk_create(rows, batch_size=5000)
            model.history.model.objects.bulk_create(
                history_rows(
                    model,
                    saved,
                    at=lambda o, a=date_attr: at_ten(getattr(o, a)),  # type: ignore[misc]
                    user_id=lambda o: by_project[o.project_id],
                ),
                batch_size=5000,
            )
        self.problems = problems
        self.result.counts.update(
            {
                "progress_reports": total_reports,
                "deliveries": len(deliveries),
                "problems": len(problems),
                "funding_records": len(funding),
                "inspections": len(inspections),
            }
        )

    def _save_reports(self, reports: list[ProgressReport]) -> int:
        saved = ProgressReport.objects.bulk_create(reports, batch_size=5000)
        ProgressReport.history.model.objects.bulk_create(
            history_rows(
                ProgressReport,
                saved,
                at=lambda r: at_ten(r.report_date),
                user_id=lambda r: r.reporter_id,
            ),
            batch_size=5000,
        )
        return len(saved)

    def project_history(
        self,
        historical: type[Any],
        project: Project,
        entered: datetime.date,
        batches: list[tuple[datetime.date, int]],
        timeline: list[tuple[datetime.date, str, Decimal]],
        user_id: int,
    ) -> list[Any]:
        """The project's history rows: the day it entered the ledger, then one for each day a
        weekly report or a delivery changed its figures, as the services write them, so the
        ledger as of any day agrees with the entries made by then."""
        final = {f.attname: getattr(project, f.attname) for f in project._meta.concrete_fields}
        reported = {day: (day, status, progress) for day, status, progress in timeline}
        first = (
            timeline[0]
            if timeline
            else (None, project.construction_status, project.progress_percent)
        )
        state: tuple[datetime.date | None, str, Decimal] = (None, first[1], first[2])
        rows = []
        for k, day in enumerate(sorted({entered, *reported, *(d for d, _ in batches)})):
            state = reported.get(day, state)
            report_day, status, progress = state
            figures = {
                "units_delivered": sum(u for d, u in batches if d <= day),
                "construction_status": status,
                "progress_percent": progress,
                "last_report_date": report_day,
            }
            rows.append(
                historical(
                    **{**final, **figures},
                    history_date=at_ten(day),
                    history_type="~" if k else "+",
                    history_user_id=user_id,
                    history_change_reason=("进度填报" if day in reported else "新增交房记录")
                    if k
                    else "录入台账",
                )
            )
        return rows
