import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from time_machine import TimeMachineFixture

from core.models import User
from core.roles import Role
from demo.seeder import DEMO_PASSWORD, DemoSeeder
from dispatch.models import MarketFigure, Report
from petitions.models import Petition
from projects.models import Company, Project, TaskForce
from tests.calendar_checks import existing_rows, future_dated_rows
from tests.conftest import SHANGHAI


def fingerprint() -> list[tuple[object, ...]]:
    projects = list(
        Project.objects.order_by("code").values_list(
            "code",
            "name",
            "developer__name",
            "units_sold",
            "units_delivered",
            "construction_status",
            "last_report_date",
            "task_force__name",
        )
    )
    petitions = list(
        Petition.objects.order_by("number").values_list(
            "number", "petitioner_name", "status", "project__code"
        )
    )
    return [*projects, *petitions]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_builds_a_county_with_every_status_and_role(roles: None) -> None:
    output = seed("--projects", "40", "--seed", "7")
    assert TaskForce.objects.count() == 8
    assert Project.objects.count() == 40
    assert set(Project.objects.values_list("construction_status", flat=True)) == set(
        Project.Status.values
    )
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    assert "admin" in output
    assert DEMO_PASSWORD in output
    demo_user = User.objects.get(username="taskforce1")
    assert demo_user.check_password(DEMO_PASSWORD)
    assert demo_user.task_forces.exists()
    # Leaders open the report list and the 月通报's 去化周期 on their first visit.
    assert set(Report.objects.values_list("kind", flat=True)) == set(Report.Kind.values)
    assert MarketFigure.objects.count() == 12
    assert User.objects.get(username="leader1").notifications.filter(read_at=None).count() == 3


@pytest.mark.django_db
def test_seeded_figures_obey_the_ledger_invariants(roles: None) -> None:
    seed("--projects", "40")
    for p in Project.objects.all():
        assert p.units_delivered <= p.units_sold <= p.total_units
        assert p.sold_area <= p.total_floor_area
        delivered = sum(d.units for d in p.deliveries.all())
        assert delivered == p.units_delivered
        latest = p.progress_reports.order_by("-report_date").first()
        assert (latest.report_date if latest else None) == p.last_report_date


@pytest.mark.django_db
def test_same_seed_gives_the_same_county(roles: None) -> None:
    seed("--projects", "24", "--seed", "11")
    first = fingerprint()
    seed("--projects", "24", "--seed", "11", "--reset")
    assert fingerprint() == first
    seed("--projects", "24", "--seed", "12", "--reset")
    assert fingerprint() != first


@pytest.mark.django_db
def test_seeding_twice_without_reset_keeps_existing_data(roles: None) -> None:
    seed("--projects", "10")
    before = fingerprint()
    output = seed("--projects", "10", "--seed", "99")
    assert "已有数据" in output
    assert fingerprint() == before


@pytest.mark.django_db
def test_reset_is_refused_in_production(roles: None, settings: object) -> None:
    from django.core.management.base import CommandError

    seed("--projects", "5")
    settings.PRODUCTION = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="生产环境"):
        seed("--projects", "5", "--reset")
    assert Project.objects.count() == 5


@pytest.mark.django_db
def test_company_names_stay_unique_at_province_scale() -> None:
    """20,000 projects need 6,666 companies: more than the head pairs, so numbers are added."""
    seeder = DemoSeeder(projects=20_000, seed=1)

    seeder.seed_companies()

    assert Company.objects.count() == 6_666


@pytest.mark.django_db
def test_seeding_across_midnight_reports_on_the_day_it_started(
    roles: None, time_machine: TimeMachineFixture
) -> None:
    """Begun at 23:59 on a Sunday and finished on Monday: last week's report is the one before
    the seeded Sunday's week, and the Monday sees nothing dated after it."""
    sunday = datetime.datetime(2026, 12, 6, 23, 59, 59, tzinfo=SHANGHAI)
    time_machine.move_to(sunday, tick=False)
    before = existing_rows()

    class PastMidnight(StringIO):
        def write(self, s: str) -> int:
            time_machine.move_to(sunday + datetime.timedelta(minutes=1), tick=False)
            return super().write(s)

    call_command("seed_demo", "--projects", "8", stdout=PastMidnight())

    weekly = Report.objects.get(kind="weekly")
    assert (weekly.period_start, weekly.period_end) == (
        datetime.date(2026, 11, 23),
        datetime.date(2026, 11, 29),
    )
    assert future_dated_rows(before) == []
