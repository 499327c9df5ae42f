"""乡镇/街道 is a list the admin keeps: matched by key, near misses suggested, spellings merged."""

import datetime
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from core.models import User
from projects.models import Project, Township
from projects.selectors import township_lookup
from projects.services import township_merge
from projects.townships import township_key, township_match
from tests.factories import ProjectFactory, TownshipFactory

NOW = datetime.datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _clock(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.mark.parametrize("typed", ["城关镇", " 城关镇 ", "城关　镇", "城 关 镇", "（城关镇）"])
def test_width_spaces_and_brackets_do_not_matter(typed: str) -> None:
    assert township_key(typed) == township_key("城关镇")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["城关镇", "城关镇\u3000", "城关 镇"])
def test_a_spelling_with_the_same_key_matches_silently(typed: str) -> None:
    township = TownshipFactory.create(name="城关镇")

    assert township_lookup(typed).township == township


@pytest.mark.django_db
def test_a_suffix_variant_is_only_a_suggestion() -> None:
    """城关 may be 城关镇 or 城关街道: a person decides, the code never guesses."""
    town = TownshipFactory.create(name="城关镇")
    street = TownshipFactory.create(name="城关街道")
    TownshipFactory.create(name="南湖镇")

    match = township_lookup("城关")

    assert match.township is None
    assert match.suggestions == [street, town]
    assert "是否应为“城关街道”或“城关镇”" in match.message()


def test_an_unknown_name_says_it_is_not_on_the_list() -> None:
    match = township_match("火星镇", list[Township]())

    assert match.township is None
    assert "不在乡镇(街道)列表中" in match.message()


@pytest.mark.django_db
def test_the_list_refuses_a_second_spelling_of_one_name() -> None:
    TownshipFactory.create(name="城关镇")

    with pytest.raises(ValidationError) as exc:
        Township(name="城关镇 ").full_clean()

    assert "与已有的“城关镇”是同一名称" in str(exc.value)


@pytest.mark.django_db
def test_merging_moves_the_projects_with_a_history_row(admin_user: User) -> None:
    short = TownshipFactory.create(name="城关")
    full = TownshipFactory.create(name="城关镇")
    moved = ProjectFactory.create(township=short)
    ProjectFactory.create(township=full)

    count = township_merge(actor=admin_user, sources=[short, full], target=full)

    assert count == 1
    assert list(Township.objects.values_list("name", flat=True)) == ["城关镇"]
    assert Project.objects.filter(township=full).count() == 2
    record = moved.history.first()
    assert record.history_change_reason == "乡镇合并：城关 → 城关镇"
    assert record.history_user == admin_user


@pytest.mark.django_db
def test_only_an_admin_merges(leader: User) -> None:
    a, b = TownshipFactory.create(name="城关"), TownshipFactory.create(name="城关镇")

    with pytest.raises(Exception, match="只有系统管理员"):
        township_merge(actor=leader, sources=[a, b], target=b)


@pytest.mark.django_db
def test_the_ledger_filter_offers_the_list_and_filters_by_it(
    client_for: Callable[[User], Client], leader: User
) -> None:
    ProjectFactory.create(code="A", township="城关镇")
    ProjectFactory.create(code="B", township="南湖镇")
    TownshipFactory.create(name="北山乡")  # on the list, no project yet

    response = client_for(leader).get("/projects/", {"township": "南湖镇"})

    assert [p.code for p in response.context["page"]] == ["B"]
    options = [label for _, label in response.context["filter"].form.fields["township"].choices]
    assert options == ["全部", "北山乡", "南湖镇", "城关镇"]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_makes_one_township_per_key_and_keeps_suffix_variants_apart() -> None:
    """Today's free text becomes the list: width and spaces merge, 城关 / 城关镇 stay apart for
    the admin to decide (they show as 疑似同一乡镇 there)."""
    executor = MigrationExecutor(connection)
    before = [("projects", "0002_derived_money_and_saved_filters")]
    after = [("projects", "0005_township_required")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    company = old.get_model("projects", "Company").objects.create(name="开发公司")
    task_force = old.get_model("projects", "TaskForce").objects.create(name="专班")
    spellings = ["城关镇", "城关镇 ", "ＣＢＤ街道", "CBD街道", "城关"]
    for i, township in enumerate(spellings):
        old.get_model("projects", "Project").objects.create(
            code=f"M-{i}",
            name=f"项目{i}",
            township=township,
            developer=company,
            task_force=task_force,
            total_floor_area=1000,
            total_units=10,
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps

    projects = new.get_model("projects", "Project").objects.order_by("code")
    assert [p.township.name for p in projects] == ["城关镇", "城关镇", "CBD街道", "CBD街道", "城关"]
    assert new.get_model("projects", "Township").objects.count() == 3
