"""The demo petitions (信访件), with a cluster that raises the 集体上访预警."""

import datetime

from demo.base import SeederBase, at_ten
from petitions.models import Petition, PetitionEvent, PetitionSequence


class PetitionSeeding(SeederBase):
    """Petitions at every stage, each with the events that brought it there."""

    def seed_petitions(self) -> None:
        n = max(30, self.n_projects * 2)
        petitions: list[Petition] = []
        plans: list[list[tuple[str, str, str, datetime.date]]] = []
        depts = [d for name, d in self.departments.items() if name != "县信访局"]
        troubled = [
            p
            for p in self.projects
            if p.construction_status in ("stopped", "semi_stopped", "lagging")
        ] or self.projects
        # A cluster of recent petitions on one project: the 集体上访预警 shows in the demo.
        cluster = troubled[0]
        for i in range(n):
            in_cluster = i < 4
            received = self.days_ago(0, 5) if in_cluster else self.days_ago(0, 200)
            project = (
                cluster
                if in_cluster
                else (self.rng.choice(troubled) if self.rng.random() < 0.85 else None)
            )
            headcount = self.rng.choice([1, 1, 1, 2, 3, 6, 12]) if project else 1
            steps: list[tuple[str, str, str, datetime.date]] = [
                ("登记", "", Petition.Status.REGISTERED, received)
            ]
            age = (self.today - received).days
            status = Petition.Status.REGISTERED
            accepted = due = replied = closed = None
            satisfaction = ""
            department = None
            if age > 3 and self.rng.random() < 0.08:
                status = Petition.Status.NOT_ACCEPTED
                steps.append(("不予受理", Petition.Status.REGISTERED, status, received))
            elif age > 3:
                accepted = received + datetime.timedelta(days=self.rng.randint(1, min(age, 14)))
                due = accepted + datetime.timedelta(days=60)
                department = self.rng.choice(depts)
                steps += [
                    ("受理", Petition.Status.REGISTERED, Petition.Status.ACCEPTED, accepted),
                    ("交办", Petition.Status.ACCEPTED, Petition.Status.ASSIGNED, accepted),
                ]
                status = Petition.Status.ASSIGNED
                if age > 30 and self.rng.random() < 0.75:
                    replied = min(
                        self.today, accepted + datetime.timedelta(days=self.rng.randint(10, 70))
                    )
                    steps.append(
                        ("答复", Petition.Status.ASSIGNED, Petition.Status.REPLIED, replied)
                    )
                    status = Petition.Status.REPLIED
                    if self.rng.random() < 0.8:
                        closed = replied
                        satisfaction = self.rng.choice(
                            ["satisfied", "satisfied", "basic", "unsatisfied"]
                        )
                        steps.append(
                            ("办结", Petition.Status.REPLIED, Petition.Status.CLOSED, closed)
                        )
                        status = Petition.Status.CLOSED
            petitions.append(
                Petition(
                    number=f"XF-{received.year}-{i + 1:05d}",
                    received_date=received,
                    channel=self.rng.choice(list(Petition.Channel)),
                    petitioner_name=self.person_name(),
                    petitioner_phone=self.mobile(),
                    petitioner_id_number=self.id_number(),
                    headcount=headcount,
                    project=project,
                    category=self.rng.choice(list(Petition.Category)),
                    summary="反映项目逾期未交房，要求尽快复工并明确交房时间。"
                    if project
                    else "咨询办证进度。",
                    status=status,
                    department=department,
                    case_leader=self.rng.choice(self.leaders) if headcount >= 5 else None,
                    decision_due_date=received + datetime.timedelta(days=15),
                    decided_date=received if status == Petition.Status.NOT_ACCEPTED else accepted,
                    accepted_date=accepted,
                    due_date=due if due else received + datetime.timedelta(days=15),
                    handling_due_date=due,
                    first_replied_date=replied,
                    replied_date=replied,
                    closed_date=closed,
                    satisfaction=satisfaction,
                    registered_by=self.petition_user,
                )
            )
            plans.append(steps)
        # Petition numbers are per year and never repeat: renumber in date order.
        order = sorted(range(n), key=lambda k: (petitions[k].received_date, k))
        per_year: dict[int, int] = {}
        for k in order:
            year = petitions[k].received_date.year
            per_year[year] = per_year.get(year, 0) + 1
            petitions[k].number = f"XF-{year}-{per_year[year]:05d}"
        saved = Petition.objects.bulk_create(petitions, batch_size=2000)
        PetitionSequence.objects.bulk_create(
            [PetitionSequence(year=year, last=last) for year, last in per_year.items()]
        )
        events = [
            PetitionEvent(
                petition=p,
                action=action,
                from_status=from_status,
                to_status=to_status,
                actor=self.petition_user,
                at=at_ten(day),
                note="",
            )
            for p, steps in zip(saved, plans, strict=True)
            for action, from_status, to_status, day in steps
        ]
        PetitionEvent.objects.bulk_create(events, batch_size=5000)
        self.petitions = saved
        self.result.counts["petitions"] = len(saved)
