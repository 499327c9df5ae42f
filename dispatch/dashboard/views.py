"""工作台 and the leaders' dashboard (领导驾驶舱): the county's figures composed from every app."""

import datetime
from itertools import accumulate
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.actors import actor_of
from core.dates import monday_of
from core.links import list_url
from core.roles import Role
from dispatch.dashboard.forms import DashboardFilterForm
from dispatch.dashboard.selectors import Dashboard, dashboard_cached, figure_links
from dispatch.selectors import desk_tasks, overdue_task_q, task_list
from ledgers.models import Problem
from ledgers.selectors import week_sheet
from petitions.models import Petition
from petitions.permissions import can_register
from petitions.selectors import open_counts
from projects.models import Project, TaskForce, Township
from projects.permissions import editable_task_forces
from projects.selectors import Risk, county_totals


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台. A 专班 member's headline figures are their own 专班's, beside this week's
    reporting of its projects; everyone else sees the county within their own scope."""
    user = actor_of(request)
    today = timezone.localdate()
    own = list(TaskForce.objects.filter(members=user).order_by("name"))
    scoped = (
        bool(own) and user.has_role(Role.TASKFORCE) and not user.has_role(Role.ADMIN, Role.LEADER)
    )
    own_ids = [tf.pk for tf in own]
    week = monday_of(today)
    context: dict[str, Any] = {
        "today": today,
        "scoped": scoped,
        "scope_query": f"task_force={own_ids[0]}" if scoped and len(own) == 1 else "",
        "totals": county_totals(today=today, area=Q(task_force__in=own_ids) if scoped else None),
        "petitions": open_counts(
            actor=user, today=today, area=Q(project__task_force__in=own_ids) if scoped else None
        ),
        "overdue_tasks": (desk_tasks(actor=user) if scoped else task_list(actor=user))
        .filter(overdue_task_q(today))
        .count(),
        "my_tasks": desk_tasks(actor=user)[:8],
        "can_register_petition": can_register(user),
        "week": week,
        "my_weeks": [
            (tf, lines, sum(line.reported for line in lines))
            for tf in editable_task_forces(user).filter(pk__in=own_ids).order_by("name")
            for lines, _ in [week_sheet(task_force=tf, week=week)]
        ],
    }
    return render(request, "dispatch/dashboard/home.html", context)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = actor_of(request)
    form = DashboardFilterForm(request.GET or None)
    chosen: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the valid choices; an unknown one is left out
        chosen = form.cleaned_data
    township: Township | None = chosen.get("township")
    task_force: TaskForce | None = chosen.get("task_force")
    data = dashboard_cached(actor=user, township=township, task_force=task_force)
    scope = {
        "township": township.name if township else "",
        "task_force": task_force.pk if task_force else "",
    }
    links = figure_links(data, scope)
    return render(
        request,
        "dispatch/dashboard/dashboard.html",
        {
            "form": form,
            "d": data,
            "links": links,
            "collective": [(w, links[f"collective_{w.project.pk}"]) for w in data.collective],
            "scope": scope,
            "task_force": task_force,
            "township": township,
            "risk_levels": [
                (lvl, label, data.risk[lvl], links[f"risk_{lvl}"])
                for lvl, label in Risk.LABELS.items()
            ],
            "risk_chart_height": max(260, 40 + 26 * len(data.risk_by_task_force)),
            "charts": _charts(data, scope),
        },
    )


def _charts(d: Dashboard, scope: dict[str, Any]) -> dict[str, Any]:
    """Chart series with the list each bar or slice opens, for static/js/dashboard.js."""
    projects = "projects:list"
    petitions = "petitions:list"
    month_delivered = [
        units if month <= d.today.month else None
        for month, units in enumerate(d.monthly_deliveries, start=1)
    ]
    cumulative = list(accumulate(d.monthly_deliveries))[: d.today.month]
    return {
        "deliveries": {
            "months": [f"{m}月" for m in range(1, 13)],
            "monthly": month_delivered,
            "cumulative": cumulative,
            "target": [round(d.target * m / 12) for m in range(1, 13)] if d.target else [],
            "url": list_url(projects, **scope, delivered_in=d.year, o="-delivered"),
        },
        "statuses": [
            {
                "name": label,
                "value": d.statuses[value],
                "url": list_url(projects, **scope, status=value),
            }
            for value, label in Project.Status.choices
        ],
        "problems": [
            {
                "name": label,
                "value": d.problem_projects.get(value, 0),
                "url": list_url(projects, **scope, problem=value),
            }
            for value, label in Problem.Type.choices
        ],
        "petitions": {
            "weeks": [f"{w:%m-%d}" for w in d.petition_weeks],
            "series": [
                {
                    "name": label,
                    "data": d.petitions_weekly[value],
                    "urls": [
                        list_url(
                            petitions,
                            **scope,
                            category=value,
                            received_from=week,
                            received_to=week + datetime.timedelta(days=6),
                        )
                        for week in d.petition_weeks
                    ],
                }
                for value, label in Petition.Category.choices
            ],
        },
        "risk": {
            "task_forces": [t.task_force.name for t in d.risk_by_task_force],
            "series": [
                {
                    "name": f"{label}风险",
                    "level": level,
                    "data": [t.counts[level] for t in d.risk_by_task_force],
                    "urls": [
                        list_url(
                            projects,
                            township=scope["township"],
                            task_force=t.task_force.pk,
                            risk=level,
                        )
                        for t in d.risk_by_task_force
                    ],
                }
                for level, label in Risk.LABELS.items()
            ],
        },
    }
