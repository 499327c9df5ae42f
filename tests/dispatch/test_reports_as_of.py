"""Problems resolved by the period's end: the resolution date decides, not the status."""

import datetime

import pytest

from dispatch.reports import monthly, quarterly
from ledgers.models import Problem
from tests.dispatch.reports_helpers import change, stamp
from tests.factories import ProblemFactory, ProjectFactory, TaskForceFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_problems_count_as_resolved_by_their_resolution_date() -> None:
    """October: three problems found. One resolved on 10-20, one entered already resolved with
    its resolution on 11-10 (its only history row, dated when it was found, says resolved),
    one open: 1 of 3 resolved by 10-31, not 2."""
    tf = TaskForceFactory.create(name="甲专班")
    project = stamp(ProjectFactory.create(task_force=tf), D(2026, 9, 1))
    early = stamp(
        ProblemFactory.create(project=project, reported_date=D(2026, 10, 2)), D(2026, 10, 2)
    )
    change(early, D(2026, 10, 20), status="resolved", resolved_date=D(2026, 10, 20))
    later = ProblemFactory.create(
        project=project,
        reported_date=D(2026, 10, 5),
        status=Problem.Status.RESOLVED,
        resolved_date=D(2026, 11, 10),
        resolution="已协调落实。",
    )
    stamp(later, D(2026, 10, 5))
    stamp(ProblemFactory.create(project=project, reported_date=D(2026, 10, 8)), D(2026, 10, 8))

    figures = monthly.build(D(2026, 10, 1), D(2026, 10, 31))
    problems = figures["problems"]
    assert (problems["total"], problems["resolved"], problems["open"]) == (3, 1, 2)
    assert problems["resolved_in_period"] == 1
    assert figures["task_forces"][0]["open_problems"] == 2
    assert sum(r["resolved"] for r in problems["by_type"]) == 1

    q4 = quarterly.build(D(2026, 10, 1), D(2026, 10, 31))
    item = next(i for i in q4["rows"][0]["items"] if i["code"] == "problem_resolution")
    assert item["raw"] == pytest.approx(1 / 3, abs=1e-3)
    november = monthly.build(D(2026, 11, 1), D(2026, 11, 30))["problems"]
    assert (november["resolved"], november["resolved_in_period"]) == (2, 1)
