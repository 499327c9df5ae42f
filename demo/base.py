"""What every part of the demo seeder shares: its state, random generators and history rows."""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from core.models import Department, User
from core.validators import credit_code_check_char, id_number_check_char
from demo.pools import GIVEN, SURNAMES
from ledgers.models import Problem
from petitions.models import Petition
from projects.models import Company, Project, TaskForce, Township


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


class SeederBase:
    """The seeder's state and small generators, shared by the parts that seed each app."""

    departments: dict[str, Department]
    admin: User
    leaders: list[User]
    taskforce_users: list[User]
    petition_user: User
    department_users: list[User]
    townships: list[Township]
    task_forces: list[TaskForce]
    companies: list[Company]
    developers: list[Company]
    builders: list[Company]
    projects: list[Project]
    plans: list[dict[str, object]]
    problems: list[Problem]
    petitions: list[Petition]

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
