"""A believable county for demos and benchmarks, deterministic for a given seed and day.

This is a factory, not a use case: it writes with bulk_create (bypassing the services) so that
20,000 projects with a year of weekly reports take minutes. Every derived figure it stores
(units delivered, last report date, status and progress) is computed here from the rows it
creates, exactly as the ledger services would.
"""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from core.models import Department, User
from core.roles import Role
from demo.base import SeedResult
from demo.ledger_entries import LedgerSeeding
from demo.petition_cases import PetitionSeeding
from demo.pools import (
    COMPANY_HEADS,
    DEPARTMENTS,
    MILESTONES,
    NAME_HEADS,
    NAME_TAILS,
    PROGRESS_RANGE,
    STATUS_CYCLE,
    TOWNSHIPS,
)
from demo.work_cycle import WorkCycleSeeding
from projects.models import Company, Milestone, Project, TaskForce, Township
from projects.townships import township_key

DEMO_PASSWORD = "Bzf#demo2026"  # noqa: S105  (published in the README: demo accounts only)


class DemoSeeder(LedgerSeeding, PetitionSeeding, WorkCycleSeeding):
    """Builds the demo county in memory, then writes it in bulk inside one transaction."""

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
