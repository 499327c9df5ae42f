"""Objects built in bulk are as independent as objects built one by one."""

from decimal import Decimal

from core.bulk import maker
from imports.models import ImportBatch
from projects.models import Project


def test_made_objects_are_new_and_share_nothing() -> None:
    new_project = maker(Project)
    first, second = new_project(), new_project()
    first.name = "翠湖花园"
    first.township_id = 7
    assert (second.name, second.township_id) == ("", None)
    assert first._state is not second._state
    assert first._state.adding
    assert first._state.db is None
    assert (second.units_sold, second.funding_gap, second.construction_status) == (
        0,
        Decimal(0),
        Project.Status.NORMAL,
    )


def test_mutable_defaults_are_not_shared() -> None:
    new_batch = maker(ImportBatch)
    first, second = new_batch(), new_batch()
    first.counts["new"] = 3
    assert second.counts == {}
