"""Template helpers of the ledger pages: a row's problem labels and its risk level."""

from typing import Any

from django import template

from ledgers.models import Problem
from projects.selectors import RISK_BY_RANK, Risk

register = template.Library()


@register.filter
def problem_labels(problems: list[Any]) -> list[str]:
    """Distinct labels of a row's open problems, in a stable order."""
    labels = dict(Problem.Type.choices)
    return list(dict.fromkeys(labels[p.problem_type] for p in problems))


@register.filter
def risk_of(rank: int) -> str:
    return RISK_BY_RANK[rank]


@register.filter
def risk_label(level: str) -> str:
    return Risk.LABELS[level]
