"""The demo's cast: one signed-in person per role, on the seed agencies (fictional people).

The same cast serves `make demo`, the web tests and the browser tests, so that "the reporter of
สนย." means the same person everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from tidtam.orgs.models import Organization, Person, RoleAssignment

Role = RoleAssignment.Role


@dataclass(frozen=True)
class Member:
    username: str
    prefix: str
    first_name: str
    last_name: str
    position: str
    organization: str
    roles: tuple[tuple[str, str], ...]  # (role, organisation code)


CAST: tuple[Member, ...] = (
    Member(
        "planner",
        "นางสาว",
        "วิภาวรรณ",
        "วางแผนดี",
        "นักวิเคราะห์นโยบายและแผน",
        "onesqa",
        ((Role.PLANNER, "onesqa"),),
    ),
    Member(
        "reporter",
        "นาย",
        "สมชาย",
        "รายงานผล",
        "นักวิชาการ",
        "onesqa-sny",
        ((Role.REPORTER, "onesqa-sny"),),
    ),
    Member(
        "reporter2",
        "นาง",
        "มาลี",
        "ส่งงานไว",
        "นักวิชาการ",
        "onesqa-phny",
        ((Role.REPORTER, "onesqa-phny"),),
    ),
    Member(
        "approver",
        "นาง",
        "สุดารัตน์",
        "ตรวจทาน",
        "ผู้อำนวยการสำนัก",
        "onesqa-sny",
        ((Role.APPROVER, "onesqa-sny"), (Role.APPROVER, "onesqa-phny")),
    ),
    Member(
        "executive",
        "นาย",
        "ประเสริฐ",
        "บริหารงาน",
        "ผู้อำนวยการ",
        "onesqa",
        ((Role.EXECUTIVE, "onesqa"),),
    ),
    Member(
        "auditor",
        "นางสาว",
        "อรุณี",
        "ตรวจสอบ",
        "ผู้ตรวจสอบภายใน",
        "onesqa",
        ((Role.AUDITOR, "onesqa"),),
    ),
    Member(
        "bic-planner",
        "นาย",
        "กิตติ",
        "ต่างแดน",
        "นักวิเทศสัมพันธ์",
        "ops-bic",
        ((Role.PLANNER, "ops-bic"), (Role.REPORTER, "ops-bic")),
    ),
    Member(
        "moe-planner",
        "นาง",
        "จันทร์เพ็ญ",
        "กระทรวง",
        "นักวิเคราะห์นโยบายและแผน",
        "moe",
        ((Role.PLANNER, "moe"),),
    ),
)


# The roots of the seed agencies' trees: สมศ., and the ministry above สป. and สต.
SEED_ROOTS = ("onesqa", "moe")


# Seed 000 names no responsible unit for the activity rows of its table 1, so the demo assigns
# the named projects of two activities to the cast's reporters: (org, year, output, activity,
# unit, reporter). Demo data, not the seed's.
DEMO_ASSIGNMENTS = (
    ("onesqa", 2567, 2, 3, "onesqa-sny", "reporter"),
    ("onesqa", 2567, 3, 1, "onesqa-phny", "reporter2"),
)


def assign_demo_work(people: dict[str, Person], orgs: dict[str, Organization]) -> None:
    from tidtam.plans.models import WorkItem, WorkItemResponsibility

    for org, year, output, activity, unit, username in DEMO_ASSIGNMENTS:
        items = WorkItem.objects.filter(
            plan__organization__code=org,
            plan__fiscal_year__year=year,
            activity__output__number=output,
            activity__number=activity,
            kind=WorkItem.Kind.PROJECT,
            is_placeholder=False,
        )
        for item in items:
            WorkItemResponsibility.objects.get_or_create(
                work_item=item,
                organization=orgs[unit],
                defaults={"person": people.get(username), "order": 0},
            )


@transaction.atomic
def load_cast(password: str) -> list[str]:
    """Make (or reset) the cast's accounts; returns their user names."""
    users = get_user_model().objects
    orgs = {o.code: o for o in Organization.objects.all()}
    made = []
    people: dict[str, Person] = {}
    for member in CAST:
        if member.organization not in orgs:
            continue
        user, _ = users.get_or_create(username=member.username)
        user.set_password(password)
        user.email = f"{member.username}@demo.tidtam.invalid"
        user.save()
        person, _ = Person.objects.update_or_create(
            user=user,
            defaults={
                "prefix": member.prefix,
                "first_name": member.first_name,
                "last_name": member.last_name,
                "position": member.position,
                "organization": orgs[member.organization],
                "email": user.email,
            },
        )
        for role, code in member.roles:
            RoleAssignment.objects.get_or_create(person=person, organization=orgs[code], role=role)
        people[member.username] = person
        made.append(member.username)
    assign_demo_work(people, orgs)
    return made


def open_demo_round() -> str:
    """Open the seed's reporting round (6 months of 2567) for the seed organisations' calendars
    (each root: สมศ., and ศธ. above สต.) where no round is open yet: the demo is a week before
    its deadline (make demo sets TIDTAM_DEMO_TODAY=2024-04-08). Returns what it opened."""
    from tidtam.periods.calendar import open_rounds_for
    from tidtam.periods.models import Round
    from tidtam.periods.services import round_open

    round_ = (
        Round.objects.filter(fiscal_year__year=2567, months=6).select_related("fiscal_year").first()
    )
    if round_ is None:
        return ""
    roots = list(Organization.objects.filter(parent__isnull=True, code__in=SEED_ROOTS))
    already = open_rounds_for(org.pk for org in roots)
    opened = [org for org in roots if not already[org.pk]]
    for org in opened:
        round_open(round_=round_, organization=org)
    return f"{round_} ของ {', '.join(org.label for org in opened)}" if opened else ""
