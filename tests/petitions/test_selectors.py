"""Duplicates, collective petitions and warnings, and the three rates on hand-computed data."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from core.models import User
from petitions.models import Petition
from petitions.selectors import collective_warnings, petition_rates, possible_duplicates
from tests.factories import PetitionFactory, ProjectFactory, valid_id_number

D = datetime.date
TODAY = D(2026, 11, 22)


def test_same_phone_or_id_number_within_30_days_is_a_possible_duplicate(
    petition_clerk: User,
) -> None:
    recent = PetitionFactory.create(petitioner_phone="13900001111", received_date=D(2026, 10, 24))
    PetitionFactory.create(petitioner_phone="13900001111", received_date=D(2026, 10, 23))
    by_id = PetitionFactory.create(
        petitioner_id_number=valid_id_number(99), received_date=D(2026, 11, 20)
    )
    found = possible_duplicates(actor=petition_clerk, phone="13900001111", today=TODAY)
    assert list(found) == [recent]
    found = possible_duplicates(actor=petition_clerk, id_number=valid_id_number(99), today=TODAY)
    assert list(found) == [by_id]


def test_same_project_and_category_is_a_possible_duplicate(petition_clerk: User) -> None:
    project = ProjectFactory.create()
    same = PetitionFactory.create(project=project, category="quality", received_date=TODAY)
    PetitionFactory.create(project=project, category="wages", received_date=TODAY)
    found = possible_duplicates(
        actor=petition_clerk, project_id=project.pk, category="quality", today=TODAY
    )
    assert list(found) == [same]
    assert not possible_duplicates(actor=petition_clerk, today=TODAY).exists()


def test_headcount_of_five_is_a_collective_petition(settings: Any) -> None:
    assert Petition(headcount=5).is_collective
    assert not Petition(headcount=4).is_collective
    settings.COLLECTIVE_PETITION_HEADCOUNT = 10
    assert not Petition(headcount=5).is_collective


def test_several_petitions_on_a_project_within_the_window_raise_a_warning(
    db: None, settings: Any
) -> None:
    hot, calm = ProjectFactory.create(), ProjectFactory.create()
    for day, people in [(D(2026, 11, 16), 2), (D(2026, 11, 19), 6), (D(2026, 11, 22), 1)]:
        PetitionFactory.create(project=hot, received_date=day, headcount=people)
    for day in [D(2026, 11, 15), D(2026, 11, 20), D(2026, 11, 22)]:  # first one outside 7 days
        PetitionFactory.create(project=calm, received_date=day)
    warnings = collective_warnings(today=TODAY)
    assert [(w.project, w.petitions, w.people, w.latest) for w in warnings] == [
        (hot, 3, 9, D(2026, 11, 22))
    ]
    settings.COLLECTIVE_WARNING_COUNT = 4
    assert collective_warnings(today=TODAY) == []
    settings.COLLECTIVE_WARNING_COUNT = 3
    settings.COLLECTIVE_WARNING_DAYS = 8
    assert {w.project for w in collective_warnings(today=TODAY)} == {hot, calm}


@pytest.fixture
def november(db: None) -> None:
    """Ten petitions; by hand: 8 accepted in November, 5 closed by 30 Nov (4 on time),
    4 rated of which 3 satisfied or basically satisfied."""
    rows = [
        # accepted, closed, due, satisfaction
        (D(2026, 11, 2), D(2026, 11, 20), D(2027, 1, 1), "satisfied"),
        (D(2026, 11, 3), D(2026, 11, 25), D(2027, 1, 2), "basic"),
        (D(2026, 11, 4), D(2026, 11, 26), D(2026, 11, 25), "unsatisfied"),  # late
        (D(2026, 11, 5), D(2026, 11, 27), D(2027, 1, 4), "satisfied"),
        (D(2026, 11, 6), D(2026, 11, 28), D(2027, 1, 5), ""),  # not rated
        (D(2026, 11, 7), D(2026, 12, 2), D(2027, 1, 6), "satisfied"),  # closed after period
        (D(2026, 11, 8), None, D(2027, 1, 7), ""),
        (D(2026, 11, 9), None, D(2027, 1, 8), ""),
        (D(2026, 10, 20), D(2026, 11, 10), D(2026, 12, 19), "satisfied"),  # accepted before
        (None, None, D(2026, 11, 30), ""),  # registered, not yet accepted
    ]
    for accepted, closed, due, satisfaction in rows:
        PetitionFactory.create(
            received_date=(accepted or D(2026, 11, 15)) - datetime.timedelta(days=1),
            accepted_date=accepted,
            closed_date=closed,
            first_replied_date=closed,
            handling_due_date=due,
            due_date=due,
            satisfaction=satisfaction,
            status="closed" if closed else ("assigned" if accepted else "registered"),
        )


def test_the_three_rates_for_a_period(november: None) -> None:
    rates = petition_rates(start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert (rates.accepted, rates.closed, rates.closed_on_time) == (8, 5, 4)
    assert (rates.rated, rates.satisfied) == (4, 3)
    assert rates.closure_rate == Decimal("0.625")
    assert rates.on_time_rate == Decimal("0.8")
    assert rates.satisfaction_rate == Decimal("0.75")
    assert rates.received == 9


def test_acceptance_on_time_counts_both_decisions_made_in_the_period(db: None) -> None:
    """Received 11-01, due for a decision 11-16: decided on day 14, 15 (受理) and 16 (不予受理)
    in November count, 3 decisions of which 2 on time; October's decision and an undecided
    petition do not."""
    received, due = D(2026, 11, 1), D(2026, 11, 16)
    for received_on, due_on, decided, status in [
        (received, due, D(2026, 11, 15), "accepted"),
        (received, due, D(2026, 11, 16), "accepted"),
        (received, due, D(2026, 11, 17), "not_accepted"),
        (D(2026, 10, 20), D(2026, 11, 4), D(2026, 10, 31), "not_accepted"),
        (received, due, None, "registered"),
    ]:
        PetitionFactory.create(
            received_date=received_on,
            decision_due_date=due_on,
            decided_date=decided,
            status=status,
        )
    rates = petition_rates(start=D(2026, 11, 1), end=D(2026, 11, 30))
    assert (rates.decided, rates.decided_on_time) == (3, 2)
    assert rates.acceptance_on_time_rate == Decimal("0.667")


def test_rates_of_a_period_without_petitions_are_undefined_not_zero(db: None) -> None:
    rates = petition_rates(start=D(2020, 1, 1), end=D(2020, 1, 31))
    assert rates.closure_rate is None
    assert rates.satisfaction_rate is None
    assert rates.acceptance_on_time_rate is None


def test_the_warning_shows_on_the_project_page(
    client_for: Any, leader: User, settings: Any
) -> None:
    project = ProjectFactory.create()
    for _ in range(3):
        PetitionFactory.create(project=project, received_date=timezone.localdate())
    html = client_for(leader).get(f"/projects/{project.pk}/").content.decode()
    assert "集体上访预警" in html
    quiet = ProjectFactory.create()
    assert "集体上访预警" not in client_for(leader).get(f"/projects/{quiet.pk}/").content.decode()
