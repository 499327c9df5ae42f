"""Where the floors above the ledger plug in: high-risk rules and the project page's tabs.

Projects and ledgers import nothing above them (README, "Layout"). Petitions and dispatch
register here from their AppConfig.ready(), so the risk level counts 集体访 and the project page
lists tasks and petitions without the ledger depending on those apps.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists

from core.models import User
from projects.models import Project


@dataclass(frozen=True)
class HighRiskRule:
    """A rule that makes a project high-risk (高风险)."""

    reason: str  # the rule in the users' words, as risk_reasons lists it
    applies: Callable[[datetime.date], Exists]  # the projects it applies to on a day


ProjectTabs = Callable[[Project, User, datetime.date], dict[str, Any]]
"""Context of the project page's tabs that an app above the ledger fills, for a reader."""

# Keyed so that registering again (AppConfig.ready() may run twice) replaces, never repeats.
high_risk_rules: dict[str, HighRiskRule] = {}
"""By the flag ledger_queryset annotates: True where the rule applies."""
project_tabs: dict[str, ProjectTabs] = {}
"""By the label of the app that fills them."""
