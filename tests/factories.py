"""factory_boy factories for every domain model; valid by default, override what a test needs."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from core.models import Department, User
from core.validators import credit_code_check_char, id_number_check_char
from dispatch.models import AnnualTarget, DispatchMeeting, SupervisionTask
from ledgers.models import DeliveryRecord, FundingRecord, Inspection, Problem, ProgressReport
from petitions.models import Petition
from projects.models import Company, Project, TaskForce, Township
from projects.townships import township_key

TEST_PASSWORD = "Test#pass2026"


def _credit_code(n: int) -> str:
    first17 = f"9133052200000{n:04d}"
    return first17 + credit_code_check_char(first17)


def valid_id_number(n: int = 1) -> str:
    first17 = f"33052219800101{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试部门{n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.groups.set(Group.objects.filter(name__in=extracted))


class CompanyFactory(DjangoModelFactory[Company]):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"测试房地产开发有限公司{n}")
    credit_code = factory.Sequence(_credit_code)


class TaskForceFactory(DjangoModelFactory[TaskForce]):
    class Meta:
        model = TaskForce
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试专班{n}")

    @factory.post_generation
    def members(
        obj: TaskForce, create: bool, extracted: list[User] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            obj.members.set(extracted)


class TownshipFactory(DjangoModelFactory[Township]):
    class Meta:
        model = Township
        django_get_or_create = ("name",)

    name = "城关镇"
    key = factory.LazyAttribute(lambda t: township_key(t.name))


class ProjectFactory(DjangoModelFactory[Project]):
    """`township` may be given as a name: the township of that name is used (or created)."""

    class Meta:
        model = Project

    @classmethod
    def _adjust_kwargs(cls, **kwargs: object) -> dict[str, object]:
        if isinstance(kwargs.get("township"), str):
            kwargs["township"] = TownshipFactory.create(name=kwargs["township"])
        return kwargs

    code = factory.Sequence(lambda n: f"T-{n:05d}")
    name = factory.Sequence(lambda n: f"测试项目{n}")
    township = factory.SubFactory(TownshipFactory)
    developer = factory.SubFactory(CompanyFactory)
    task_force = factory.SubFactory(TaskForceFactory)
    total_floor_area = Decimal("50000")
    sold_area = Decimal("30000")
    total_units = 400
    units_sold = 300
    units_delivered = 0
    contract_delivery_date = datetime.date(2025, 6, 30)


class ProgressReportFactory(DjangoModelFactory[ProgressReport]):
    class Meta:
        model = ProgressReport

    project = factory.SubFactory(ProjectFactory)
    period_start = datetime.date(2026, 11, 16)
    report_date = datetime.date(2026, 11, 18)
    construction_status = Project.Status.NORMAL
    progress_percent = Decimal("60")
    units_delivered_cumulative = 0


class InspectionFactory(DjangoModelFactory[Inspection]):
    class Meta:
        model = Inspection

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 11, 20)
    kind = Inspection.Kind.SAFETY
    findings = "脚手架连墙件缺失"
    severity = Inspection.Severity.MINOR


class PetitionFactory(DjangoModelFactory[Petition]):
    class Meta:
        model = Petition

    number = factory.Sequence(lambda n: f"XF-2026-{n + 1:05d}")
    received_date = datetime.date(2026, 11, 2)
    channel = Petition.Channel.PHONE
    petitioner_name = "张三"
    petitioner_phone = "13812341234"
    petitioner_id_number = factory.Sequence(valid_id_number)
    category = Petition.Category.DELAYED_DELIVERY
    summary = "要求按期交房。"


class DispatchMeetingFactory(DjangoModelFactory[DispatchMeeting]):
    class Meta:
        model = DispatchMeeting

    date = datetime.date(2026, 11, 17)
    title = "全县保交房周调度会"


class SupervisionTaskFactory(DjangoModelFactory[SupervisionTask]):
    class Meta:
        model = SupervisionTask

    source = SupervisionTask.Source.MEETING
    title = "督促复工"
    assignee_department = factory.SubFactory(DepartmentFactory)
    deadline = datetime.date(2026, 12, 1)


class ProblemFactory(DjangoModelFactory[Problem]):
    class Meta:
        model = Problem

    project = factory.SubFactory(ProjectFactory)
    problem_type = Problem.Type.FUNDING_GAP
    description = "资金缺口"
    amount = Decimal("100")
    reported_date = datetime.date(2026, 10, 1)


class DeliveryRecordFactory(DjangoModelFactory[DeliveryRecord]):
    class Meta:
        model = DeliveryRecord

    project = factory.SubFactory(ProjectFactory)
    date = datetime.date(2026, 10, 1)
    units = 10


class FundingRecordFactory(DjangoModelFactory[FundingRecord]):
    class Meta:
        model = FundingRecord

    project = factory.SubFactory(ProjectFactory)
    source = FundingRecord.Source.SPECIAL_LOAN
    amount = Decimal("100")
    status = FundingRecord.Status.DISBURSED
    date = datetime.date(2026, 10, 1)


class AnnualTargetFactory(DjangoModelFactory[AnnualTarget]):
    class Meta:
        model = AnnualTarget

    year = 2026
    units = 1000
