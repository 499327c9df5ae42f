"""A believable county for demos and benchmarks, deterministic for a given seed and day.

This is a factory, not a use case: it writes with bulk_create (bypassing the services) so that
20,000 projects with a year of weekly reports take minutes. Every derived figure it stores
(units delivered, last report date, status and progress) is computed here from the rows it
creates, exactly as the ledger services would.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from core.dates import monday_of
from core.models import Department, Notification, User
from core.roles import Role
from core.validators import credit_code_check_char, id_number_check_char
from dispatch.models import AnnualTarget, DispatchMeeting, MarketFigure, SupervisionTask
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from petitions.models import Petition, PetitionEvent, PetitionSequence
from projects.models import Company, Milestone, Project, SavedFilter, TaskForce, Township
from projects.townships import township_key

DEMO_PASSWORD = "Bzf#demo2026"  # noqa: S105  (published in the README: demo accounts only)

TOWNSHIPS = ["城关镇", "东城街道", "西城街道", "南湖镇", "北山乡", "青石镇", "柳河镇", "桃源乡"]
DEPARTMENTS = ["县住建局", "县自然资源局", "县财政局", "县市场监管局", "县人社局", "县信访局"]
NAME_HEADS = [
    "锦绣",
    "御景",
    "翡翠",
    "金色",
    "阳光",
    "湖畔",
    "滨江",
    "书香",
    "龙湾",
    "盛世",
    "东方",
    "紫金",
    "银河",
    "碧桂",
    "世纪",
    "天悦",
    "云栖",
    "铂悦",
    "名都",
    "香榭",
]
NAME_TAILS = [
    "华府",
    "湾",
    "城",
    "花园",
    "名苑",
    "公馆",
    "家园",
    "雅居",
    "府",
    "新城",
    "壹号",
    "里",
]
COMPANY_HEADS = [
    "恒昌",
    "鑫泰",
    "华宇",
    "宏达",
    "金盛",
    "兴业",
    "广厦",
    "远大",
    "新城",
    "瑞丰",
    "中天",
    "永盛",
    "德润",
    "嘉禾",
    "荣华",
    "安居",
    "恒基",
    "泰和",
    "富源",
    "祥瑞",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "霞",
]
# Supervision tasks and the department that owns each kind.
TASKS = [
    ("落实专项借款拨付", "县财政局"),
    ("督促总包单位复工", "县住建局"),
    ("办理竣工验收备案手续", "县住建局"),
    ("清偿农民工工资", "县人社局"),
    ("完成质量问题整改", "县市场监管局"),
    ("协调办理不动产首次登记", "县自然资源局"),
]
MILESTONES = ["复工复产", "主体结构封顶", "外立面及配套施工", "竣工验收备案", "交付业主"]

# Final state of the demo projects: one status each in turn, so every status appears.
STATUS_CYCLE = [
    Project.Status.NORMAL,
    Project.Status.LAGGING,
    Project.Status.NORMAL,
    Project.Status.SEMI_STOPPED,
    Project.Status.STOPPED,
    Project.Status.COMPLETED,
    Project.Status.DELIVERED,
    Project.Status.NORMAL,
]
PROGRESS_RANGE = {
    Project.Status.NORMAL: (45, 90),
    Project.Status.LAGGING: (30, 70),
    Project.Status.SEMI_STOPPED: (20, 60),
    Project.Status.STOPPED: (10, 50),
    Project.Status.COMPLETED: (100, 100),
    Project.Status.DELIVERED: (100, 100),
}


@dataclass
class SeedResult:
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def history_rows(
    model: type[Any], objs: list[Any], *, at: Callable[[Any], datetime.datetime], user_id: Any
) -> list[Any]:
    """'Created' history rows for bulk-created objects, dated when the entry was made."""
    historical = model.history.model
    names = [f.attname for f in model._meta.concrete_fields]
    return [
        historical(
            **{n: getattr(o, n) for n in names},
            history_date=at(o),
            history_type="+",
            history_user_id=user_id(o),
            history_change_reason="",
        )
        for o in objs
    ]


def at_ten(day: datetime.date) -> datetime.datetime:
    """When an entry of that day was made: 10:00, or now if today's 10:00 has not come yet."""
    return min(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0))), timezone.now()
    )


class DemoSeeder:
    """Builds the demo county in memory, then writes it in bulk inside one transaction."""

    def __init__(
        self,
        *,
        projects: int = 40,
        seed: int = 2026,
        weeks: int = 52,
        today: datetime.date | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.n_projects = projects
        self.rng = random.Random(seed)
        self.weeks = weeks
        self.today = today or timezone.localdate()
        self.progress = progress or (lambda _msg: None)
        self.result = SeedResult()

    # --- small generators -------------------------------------------------------------
    def person_name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice([1, 2])))

    def mobile(self) -> str:
        prefix = self.rng.choice(
            ["135", "136", "138", "139", "150", "152", "158", "181", "187", "189"]
        )
        return f"{prefix}{self.rng.randrange(10**8):08d}"

    def id_number(self) -> str:
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=self.rng.randrange(20000))
        region = self.rng.choice(["330522", "330521", "330502"])
        first17 = f"{region}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
        return first17 + id_number_check_char(first17)

    def credit_code(self) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        first17 = "91330522" + "".join(self.rng.choice(alphabet) for _ in range(9))
        return first17 + credit_code_check_char(first17)

    def days_ago(self, lo: int, hi: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(lo, hi))

    # --- the county ---------------------------------------------------------------------
    @transaction.atomic
    def run(self) -> SeedResult:
        self.seed_departments()
        self.seed_users()
        self.seed_companies()
        self.seed_townships()
        self.seed_task_forces()
        self.seed_projects()
        self.seed_ledgers()
        self.seed_petitions()
        self.seed_dispatch()
        return self.result

    def seed_departments(self) -> None:
        self.departments = {
            name: Department.objects.create(name=name, phone=f"0572-{6000000 + i * 1111}")
            for i, name in enumerate(DEPARTMENTS)
        }

    def _user(
        self, username: str, full_name: str, role: Role, title: str = "", department: str = ""
    ) -> User:
        user = User(
            username=username,
            full_name=full_name,
            title=title,
            phone=self.mobile(),
            department=self.departments[department] if department else None,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
            password=self.password_hash,
        )
        self.pending_users.append((user, role))
        self.result.logins.append((username, Role(role).label, full_name))
        return user

    def seed_users(self) -> None:
        self.password_hash = make_password(DEMO_PASSWORD)
        self.pending_users: list[tuple[User, Role]] = []
        self.admin = self._user("admin", "系统管理员", Role.ADMIN, "信息中心", "县住建局")
        self.leaders = [
            self._user("leader1", "王建国", Role.LEADER, "县委副书记"),
            self._user("leader2", "李志强", Role.LEADER, "副县长"),
            self._user("leader3", "陈海燕", Role.LEADER, "县住建局局长"),
        ]
        self.taskforce_users = [
            self._user(
                f"taskforce{i}", self.person_name(), Role.TASKFORCE, "专班联络员", "县住建局"
            )
            for i in range(1, 9)
        ]
        self.petition_user = self._user("petition1", "赵丽", Role.PETITION, "信访专员", "县信访局")
        self.department_users = [
            self._user("dept1", self.person_name(), Role.DEPARTMENT, "科长", "县自然资源局"),
            self._user("dept2", self.person_name(), Role.DEPARTMENT, "科长", "县财政局"),
            self._user("dept3", self.person_name(), Role.DEPARTMENT, "科长", "县市场监管局"),
            self._user("dept4", self.person_name(), Role.DEPARTMENT, "科长", "县人社局"),
        ]
        User.objects.bulk_create([u for u, _ in self.pending_users])
        groups = {g.name: g for g in Group.objects.all()}
        through = User.groups.through
        through.objects.bulk_create(
            [through(user_id=u.pk, group_id=groups[role].pk) for u, role in self.pending_users]
        )

    def seed_companies(self) -> None:
        n = max(30, self.n_projects // 3)
        companies = []
        for i in range(n):
            # 恒昌, then 恒昌鑫泰-style pairs, then numbered pairs: the digits of i in base
            # `width` pick the heads (all two characters), so every name is unique.
            width = len(COMPANY_HEADS)
            head = COMPANY_HEADS[i % width]
            suffix = ""
            if i >= width:
                suffix = COMPANY_HEADS[(i // width) % width]
            if i >= width * width:
                suffix += str(i // (width * width))
            kind = "房地产开发有限公司" if i % 3 else "建设工程有限公司"
            lost = self.rng.random() < 0.05
            companies.append(
                Company(
                    name=f"示范县{head}{suffix}{kind}",
                    credit_code=self.credit_code(),
                    legal_representative=self.person_name(),
                    phone=self.mobile(),
                    notes="法定代表人失联" if lost else "",
                )
            )
        self.companies = Company.objects.bulk_create(companies, batch_size=2000)
        self.developers = [c for c in self.companies if "开发" in c.name]
        self.builders = [c for c in self.companies if "建设" in c.name]

    def seed_townships(self) -> None:
        """The county's 乡镇/街道 list, as an administrator would enter it."""
        self.townships = []
        for order, name in enumerate(TOWNSHIPS, start=1):
            township = Township.objects.filter(key=township_key(name)).first()
            if township is None:
                township = Township(name=name, order=order)
                township.full_clean()
                township.save()
            self.townships.append(township)

    def seed_task_forces(self) -> None:
        self.task_forces = []
        for i, township in enumerate(TOWNSHIPS):
            tf = TaskForce.objects.create(
                name=f"{township}保交房工作专班",
                leader=self.leaders[i % len(self.leaders)],
                description=f"负责{township}辖区内问题楼盘的一楼一策化解和交房工作。",
            )
            tf.members.set([self.taskforce_users[i]])
            self.task_forces.append(tf)

    def seed_projects(self) -> None:
        self.progress(f"projects: {self.n_projects}")
        projects = []
        self.plans: list[dict[str, object]] = []
        for i in range(self.n_projects):
            tf_index = i % len(self.task_forces)
            status = STATUS_CYCLE[(i // len(self.task_forces) + i) % len(STATUS_CYCLE)]
            total_units = self.rng.randrange(120, 1600, 10)
            units_sold = int(total_units * self.rng.uniform(0.55, 0.98))
            area_per_unit = Decimal(self.rng.randrange(85, 145))
            total_area = area_per_unit * total_units + Decimal(self.rng.randrange(2000, 9000))
            sold_area = (area_per_unit * units_sold).quantize(Decimal("0.01"))
            contract = self.today + datetime.timedelta(days=self.rng.randint(-720, 240))
            if status == Project.Status.DELIVERED:
                delivered_final = units_sold
            elif status == Project.Status.COMPLETED:
                delivered_final = int(units_sold * self.rng.uniform(0.4, 0.95))
            elif contract < self.today and self.rng.random() < 0.5:
                delivered_final = int(units_sold * self.rng.uniform(0.0, 0.4))
            else:
                delivered_final = 0
            lo, hi = PROGRESS_RANGE[status]
            street = self.rng.choice(["人民路", "建设路", "湖滨路", "解放街"])
            head = NAME_HEADS[(i * 7) % len(NAME_HEADS)]
            tail = NAME_TAILS[(i * 5 + i // len(NAME_HEADS)) % len(NAME_TAILS)]
            phase = "" if i < len(NAME_HEADS) * len(NAME_TAILS) else f"{i // 240 + 1}期"
            projects.append(
                Project(
                    code=f"BJF-{2023 + i % 3}-{i + 1:05d}",
                    name=f"{head}{tail}{phase}",
                    township=self.townships[tf_index],
                    address=f"{TOWNSHIPS[tf_index]}{street}{self.rng.randint(1, 300)}号",
                    developer=self.rng.choice(self.developers),
                    construction_unit=None,
                    general_contractor=self.rng.choice(self.builders),
                    total_floor_area=total_area,
                    sold_area=sold_area,
                    total_units=total_units,
                    units_sold=units_sold,
                    units_delivered=delivered_final,
                    contract_delivery_date=contract,
                    expected_delivery_date=contract
                    + datetime.timedelta(days=self.rng.randint(0, 400)),
                    construction_status=status,
                    progress_percent=Decimal(self.rng.randint(lo, hi)),
                    task_force=self.task_forces[tf_index],
                    responsible_leader=self.leaders[(i // 2) % len(self.leaders)],
                    contact_person=self.person_name(),
                    contact_phone=self.mobile(),
                    strategy=self.rng.choice(
                        [
                            "引入专项借款，督促总包单位复工，按节点推进主体施工。",
                            "盘活存量资产回笼资金，政府专班驻场监督资金使用。",
                            "协调银行纳入白名单贷款，分期分批交付。",
                            "司法重整引入新投资人，优先保障已售房屋交付。",
                        ]
                    ),
                    whitelisted=self.rng.random() < 0.35,
                )
            )
            stale_weeks = self.rng.choice([0, 0, 0, 0, 1, 2, 3]) if status != "delivered" else 0
            self.plans.append({"stale_weeks": stale_weeks})
        self.projects = Project.objects.bulk_create(projects, batch_size=2000)
        milestones = []
        for project in self.projects[: min(len(self.projects), 400)]:
            base = project.contract_delivery_date or self.today
            for k, title in enumerate(MILESTONES):
                planned = base - datetime.timedelta(days=(len(MILESTONES) - 1 - k) * 90)
                done = planned if planned < self.today and self.rng.random() < 0.7 else None
                milestones.append(
                    Milestone(project=project, title=title, planned_date=planned, done_date=done)
                )
        Milestone.objects.bulk_create(milestones, batch_size=5000)
        self.result.counts["projects"] = len(self.projects)

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

    def seed_petitions(self) -> None:
        n = max(30, self.n_projects * 2)
        petitions: list[Petition] = []
        plans: list[list[tuple[str, str, str, datetime.date]]] = []
        depts = [d for name, d in self.departments.items() if name != "县信访局"]
        troubled = [
            p
            for p in self.projects
            if p.construction_status in ("stopped", "semi_stopped", "lagging")
        ] or self.projects
        # A cluster of recent petitions on one project: the 集体上访预警 shows in the demo.
        cluster = troubled[0]
        for i in range(n):
            in_cluster = i < 4
            received = self.days_ago(0, 5) if in_cluster else self.days_ago(0, 200)
            project = (
                cluster
                if in_cluster
                else (self.rng.choice(troubled) if self.rng.random() < 0.85 else None)
            )
            headcount = self.rng.choice([1, 1, 1, 2, 3, 6, 12]) if project else 1
            steps: list[tuple[str, str, str, datetime.date]] = [
                ("登记", "", Petition.Status.REGISTERED, received)
            ]
            age = (self.today - received).days
            status = Petition.Status.REGISTERED
            accepted = due = replied = closed = None
            satisfaction = ""
            department = None
            if age > 3 and self.rng.random() < 0.08:
                status = Petition.Status.NOT_ACCEPTED
                steps.append(("不予受理", Petition.Status.REGISTERED, status, received))
            elif age > 3:
                accepted = received + datetime.timedelta(days=self.rng.randint(1, min(age, 14)))
                due = accepted + datetime.timedelta(days=60)
                department = self.rng.choice(depts)
                steps += [
                    ("受理", Petition.Status.REGISTERED, Petition.Status.ACCEPTED, accepted),
                    ("交办", Petition.Status.ACCEPTED, Petition.Status.ASSIGNED, accepted),
                ]
                status = Petition.Status.ASSIGNED
                if age > 30 and self.rng.random() < 0.75:
                    replied = min(
                        self.today, accepted + datetime.timedelta(days=self.rng.randint(10, 70))
                    )
                    steps.append(
                        ("答复", Petition.Status.ASSIGNED, Petition.Status.REPLIED, replied)
                    )
                    status = Petition.Status.REPLIED
                    if self.rng.random() < 0.8:
                        closed = replied
                        satisfaction = self.rng.choice(
                            ["satisfied", "satisfied", "basic", "unsatisfied"]
                        )
                        steps.append(
                            ("办结", Petition.Status.REPLIED, Petition.Status.CLOSED, closed)
                        )
                        status = Petition.Status.CLOSED
            petitions.append(
                Petition(
                    number=f"XF-{received.year}-{i + 1:05d}",
                    received_date=received,
                    channel=self.rng.choice(list(Petition.Channel)),
                    petitioner_name=self.person_name(),
                    petitioner_phone=self.mobile(),
                    petitioner_id_number=self.id_number(),
                    headcount=headcount,
                    project=project,
                    category=self.rng.choice(list(Petition.Category)),
                    summary="反映项目逾期未交房，要求尽快复工并明确交房时间。"
                    if project
                    else "咨询办证进度。",
                    status=status,
                    department=department,
                    case_leader=self.rng.choice(self.leaders) if headcount >= 5 else None,
                    accepted_date=accepted,
                    due_date=due if due else received + datetime.timedelta(days=15),
                    handling_due_date=due,
                    first_replied_date=replied,
                    replied_date=replied,
                    closed_date=closed,
                    satisfaction=satisfaction,
                    registered_by=self.petition_user,
                )
            )
            plans.append(steps)
        # Petition numbers are per year and never repeat: renumber in date order.
        order = sorted(range(n), key=lambda k: (petitions[k].received_date, k))
        per_year: dict[int, int] = {}
        for k in order:
            year = petitions[k].received_date.year
            per_year[year] = per_year.get(year, 0) + 1
            petitions[k].number = f"XF-{year}-{per_year[year]:05d}"
        saved = Petition.objects.bulk_create(petitions, batch_size=2000)
        PetitionSequence.objects.bulk_create(
            [PetitionSequence(year=year, last=last) for year, last in per_year.items()]
        )
        events = [
            PetitionEvent(
                petition=p,
                action=action,
                from_status=from_status,
                to_status=to_status,
                actor=self.petition_user,
                at=at_ten(day),
                note="",
            )
            for p, steps in zip(saved, plans, strict=True)
            for action, from_status, to_status, day in steps
        ]
        PetitionEvent.objects.bulk_create(events, batch_size=5000)
        self.petitions = saved
        self.result.counts["petitions"] = len(saved)

    def seed_dispatch(self) -> None:
        this_monday = monday_of(self.today)
        meetings = []
        for w in range(1, 9):
            day = this_monday - datetime.timedelta(weeks=w) + datetime.timedelta(days=1)
            meetings.append(
                DispatchMeeting(
                    date=day,
                    title=f"全县保交房工作第{52 - w}次周调度会",
                    chair=self.leaders[w % 2],
                    minutes="听取各专班工作进展汇报，研究解决资金、手续和欠薪问题，明确下周工作任务。",
                )
            )
        meetings = DispatchMeeting.objects.bulk_create(meetings)
        for m in meetings:
            m.attendees.set([*self.leaders, *self.taskforce_users[:4]])
            m.projects.set(self.rng.sample(self.projects, min(5, len(self.projects))))
        tasks = []
        for i in range(max(20, self.n_projects // 2)):
            meeting = meetings[i % len(meetings)]
            title, dept = self.rng.choice(TASKS)
            deadline = meeting.date + datetime.timedelta(days=self.rng.randint(7, 60))
            done = deadline < self.today and self.rng.random() < 0.6
            tasks.append(
                SupervisionTask(
                    source=SupervisionTask.Source.MEETING,
                    meeting=meeting,
                    project=self.rng.choice(self.projects),
                    title=title,
                    description="按调度会要求限期办结并报送结果。",
                    assignee_department=self.departments[dept],
                    deadline=deadline,
                    status=SupervisionTask.Status.DONE
                    if done
                    else self.rng.choice(
                        [SupervisionTask.Status.OPEN, SupervisionTask.Status.IN_PROGRESS]
                    ),
                    done_date=deadline - datetime.timedelta(days=self.rng.randint(0, 5))
                    if done
                    else None,
                    result="已办结。" if done else "",
                    created_by=self.admin,
                )
            )
        SupervisionTask.objects.bulk_create(tasks, batch_size=2000)
        # Raised at their meeting, not today: reports of past periods count tasks that existed then.
        for m in meetings:
            raised = timezone.make_aware(datetime.datetime.combine(m.date, datetime.time(17)))
            SupervisionTask.objects.filter(meeting=m).update(created_at=raised)
        # Targets for last year too: on 1 January last month's bulletin and last quarter's
        # assessment measure the year that has just ended.
        sold = sum(p.units_sold for p in self.projects)
        for year in (self.today.year - 1, self.today.year):
            AnnualTarget.objects.create(year=year, units=max(100, sold // 3))
            AnnualTarget.objects.bulk_create(
                AnnualTarget(
                    year=year,
                    task_force=tf,
                    units=max(
                        10, sum(p.units_sold for p in self.projects if p.task_force == tf) // 3
                    ),
                )
                for tf in self.task_forces
            )
        # A county of this size sells some 30,000 m² of homes a month and holds a year and a half
        # of it in stock: the 月通报's 去化周期 comes out near 18 months.
        figures = []
        for back in range(1, 13):
            index = self.today.year * 12 + self.today.month - 1 - back
            month = datetime.date(index // 12, index % 12 + 1, 1)
            sales = Decimal(self.rng.randint(22_000, 38_000))
            figures.append(
                MarketFigure(
                    month=month,
                    sales_area=sales,
                    sales_units=int(sales / 110),
                    inventory_area=Decimal(self.rng.randint(500_000, 580_000)),
                    inventory_units=self.rng.randint(4_500, 5_300),
                    entered_by=self.taskforce_users[0],
                )
            )
        MarketFigure.objects.bulk_create(figures)
        self.result.counts.update({"meetings": len(meetings), "tasks": len(tasks)})


@transaction.atomic
def demo_reset() -> None:
    """Empty every domain table and the accounts, so the county can be seeded again.

    Raw SQL, children first: the ORM's delete() would load a million progress reports into
    memory to send signals nobody listens to.
    """
    from django.contrib.auth import get_user_model

    from dispatch.models import AssessmentScore, Report
    from imports.models import ImportBatch

    models: list[Any] = [
        Notification,
        ImportBatch,
        AssessmentScore,
        PetitionEvent,
        SupervisionTask,
        Petition,
        PetitionSequence,
        DispatchMeeting,
        Report,
        MarketFigure,
        AnnualTarget,
        ProgressReport,
        DeliveryRecord,
        Problem,
        FundingRecord,
        Inspection,
        Milestone,
        SavedFilter,
        Project,
        Township,
        TaskForce,
        Company,
    ]
    tables: list[str] = []
    for model in models:
        for m2m in model._meta.local_many_to_many:
            tables.append(m2m.remote_field.through._meta.db_table)
        tables.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            tables.append(history.model._meta.db_table)
    user_model = get_user_model()
    tables += [
        user_model.groups.through._meta.db_table,
        user_model.user_permissions.through._meta.db_table,
        "django_admin_log",
        "authtoken_token",
        user_model._meta.db_table,
        Department._meta.db_table,
    ]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of rows written earlier in this transaction must run
            # before TRUNCATE may touch their tables.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE"
            )
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
