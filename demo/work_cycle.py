"""The demo work cycle: dispatch meetings, supervision tasks, targets and market figures."""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.dates import monday_of
from demo.base import SeederBase
from demo.pools import (
    TASKS,
)
from dispatch.models import AnnualTarget, DispatchMeeting, MarketFigure, SupervisionTask


class WorkCycleSeeding(SeederBase):
    """Eight weeks of 周调度 and the tasks they set."""

    def seed_dispatch(self) -> None:
        this_monday = monday_of(self.today)
        meetings = []
        for w in range(1, 9):
            day = this_monday - datetime.timedelta(weeks=w) + datetime.timedelta(days=1)
            meetings.append(
                DispatchMeeting(
                    date=day,
                    title=f"全县保交房工作第{52 - w}次周调度会",
                    chair=self.leaders[w % 2],
                    minutes="听取各专班工作进展汇报，研究解决资金、手续和欠薪问题，明确下周工作任务。",
                )
            )
        meetings = DispatchMeeting.objects.bulk_create(meetings)
        for m in meetings:
            m.attendees.set([*self.leaders, *self.taskforce_users[:4]])
            m.projects.set(self.rng.sample(self.projects, min(5, len(self.projects))))
        tasks = []
        for i in range(max(20, self.n_projects // 2)):
            meeting = meetings[i % len(meetings)]
            title, dept = self.rng.choice(TASKS)
            deadline = meeting.date + datetime.timedelta(days=self.rng.randint(7, 60))
            done = deadline < self.today and self.rng.random() < 0.6
            tasks.append(
                SupervisionTask(
                    source=SupervisionTask.Source.MEETING,
                    meeting=meeting,
                    project=self.rng.choice(self.projects),
                    title=title,
                    description="按调度会要求限期办结并报送结果。",
                    assignee_department=self.departments[dept],
                    deadline=deadline,
                    status=SupervisionTask.Status.DONE
                    if done
                    else self.rng.choice(
                        [SupervisionTask.Status.OPEN, SupervisionTask.Status.IN_PROGRESS]
                    ),
                    done_date=deadline - datetime.timedelta(days=self.rng.randint(0, 5))
                    if done
                    else None,
                    result="已办结。" if done else "",
                    created_by=self.admin,
                )
            )
        SupervisionTask.objects.bulk_create(tasks, batch_size=2000)
        # Raised at their meeting, not today: reports of past periods count tasks that existed then.
        for m in meetings:
            raised = timezone.make_aware(datetime.datetime.combine(m.date, datetime.time(17)))
            SupervisionTask.objects.filter(meeting=m).update(created_at=raised)
        # Targets for last year too: on 1 January last month's bulletin and last quarter's
        # assessment measure the year that has just ended.
        sold = sum(p.units_sold for p in self.projects)
        for year in (self.today.year - 1, self.today.year):
            AnnualTarget.objects.create(year=year, units=max(100, sold // 3))
            AnnualTarget.objects.bulk_create(
                AnnualTarget(
                    year=year,
                    task_force=tf,
                    units=max(
                        10, sum(p.units_sold for p in self.projects if p.task_force == tf) // 3
                    ),
                )
                for tf in self.task_forces
            )
        # A county of this size sells some 30,000 m² of homes a month and holds a year and a half
        # of it in stock: the 月通报's 去化周期 comes out near 18 months.
        figures = []
        for back in range(1, 13):
            index = self.today.year * 12 + self.today.month - 1 - back
            month = datetime.date(index // 12, index % 12 + 1, 1)
            sales = Decimal(self.rng.randint(22_000, 38_000))
            figures.append(
                MarketFigure(
                    month=month,
                    sales_area=sales,
                    sales_units=int(sales / 110),
                    inventory_area=Decimal(self.rng.randint(500_000, 580_000)),
                    inventory_units=self.rng.randint(4_500, 5_300),
                    entered_by=self.taskforce_users[0],
                )
            )
        MarketFigure.objects.bulk_create(figures)
        self.result.counts.update({"meetings": len(meetings), "tasks": len(tasks)})
