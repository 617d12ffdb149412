"""People and roles in the app, by an organisation's administrator: an invitation by e-mail
whose link sets a password and signs in; roles given and taken (their history kept); a person
who leaves deactivated, never deleted; nobody deactivates themselves; others get 403 or 404."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.app.conftest import CAST_PASSWORD, signed_in
from tidtam.orgs.models import Organization, Person, RoleAssignment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]


def onesqa() -> Organization:
    return Organization.objects.get(code="onesqa")


def administrator() -> Client:
    """สมศ.'s auditor made its administrator too (for this test)."""
    RoleAssignment.objects.create(
        person=Person.objects.get(user__username="auditor"),
        organization=onesqa(),
        role=RoleAssignment.Role.ADMINISTRATOR,
    )
    return signed_in(Client(), "auditor")


def can_sign_in(username: str, password: str) -> bool:
    """Signing in on the sign-in page, as a person does."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def invite(client: Client, **changes: Any) -> Any:
    data = {
        "action": "invite",
        "invite-name_prefix": "นางสาว",
        "invite-first_name": "สมหญิง",
        "invite-last_name": "ใจดี",
        "invite-position": "นักวิเคราะห์นโยบายและแผน",
        "invite-email": "Somying@Example.go.th",
        "invite-roles": ["reporter", "planner"],
    } | changes
    return client.post(reverse("orgs:people", args=[onesqa().pk]), data)


def test_an_invited_person_sets_a_password_from_the_mail_and_signs_in(
    mailoutbox: list[Any],
) -> None:
    admin = administrator()
    assert "บุคลากรและบทบาท" in admin.get(reverse("progress:my_work")).content.decode()
    response = invite(admin)
    assert response.status_code == 302
    person = Person.objects.get(first_name="สมหญิง")
    assert (person.organization, person.user.username, person.user.has_usable_password()) == (
        onesqa(),
        "somying@example.go.th",
        False,
    )
    assert set(person.roles.values_list("role", flat=True)) == {"reporter", "planner"}
    (mail,) = mailoutbox
    assert mail.to == ["somying@example.go.th"] and "เชิญใช้งานระบบติดตาม" in mail.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.body)
    assert link is not None, mail.body
    visitor = Client()
    form_page = visitor.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    done = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "ติดตาม-2567-รหัส", "new_password2": "ติดตาม-2567-รหัส"},
    )
    assert done.status_code == 302
    assert can_sign_in("somying@example.go.th", "ติดตาม-2567-รหัส")


def test_roles_are_given_and_taken_and_a_person_who_leaves_is_deactivated_not_deleted() -> None:
    admin = administrator()
    reporter = Person.objects.get(user__username="executive")  # of สมศ. itself
    url = reverse("orgs:people", args=[onesqa().pk])
    saved = admin.post(url, {"action": "roles", "person": reporter.pk, "roles": ["approver"]})
    assert saved.status_code == 302
    held = set(reporter.roles.filter(organization=onesqa()).values_list("role", flat=True))
    assert held == {"approver"}
    # The role taken is in the history of roles.
    assert RoleAssignment.history.filter(
        person_id=reporter.pk, role="executive", history_type="-"
    ).exists()
    off = admin.post(url, {"action": "deactivate", "person": reporter.pk})
    assert off.status_code == 302
    reporter.refresh_from_db()
    assert reporter.user is not None and not reporter.user.is_active
    assert Person.objects.filter(pk=reporter.pk).exists()  # still on record
    assert not can_sign_in("executive", CAST_PASSWORD)
    admin.post(url, {"action": "reactivate", "person": reporter.pk})
    reporter.user.refresh_from_db()
    assert reporter.user.is_active
    # Nobody deactivates themselves.
    me = Person.objects.get(user__username="auditor")
    page = admin.post(url, {"action": "deactivate", "person": me.pk}, follow=True)
    assert "ปิดการเข้าระบบของตนเองไม่ได้" in html.unescape(page.content.decode())
    assert get_user_model().objects.get(username="auditor").is_active


def test_an_email_that_signs_someone_in_and_a_bad_email_are_refused_in_thai(
    mailoutbox: list[Any],
) -> None:
    admin = administrator()
    planner = get_user_model().objects.get(username="planner")
    planner.email = "planner@example.go.th"
    planner.save()
    taken = invite(admin, **{"invite-email": "PLANNER@example.go.th"})
    assert taken.status_code == 400
    assert "ใช้เข้าระบบอยู่แล้ว" in html.unescape(taken.content.decode())
    bad = invite(admin, **{"invite-email": "ไม่ใช่อีเมล", "invite-roles": []})
    text = html.unescape(bad.content.decode())
    assert bad.status_code == 400 and "อีเมลไม่ถูกต้อง" in text and "เลือกบทบาท" in text
    long = invite(admin, **{"invite-email": "a" * 140 + "@example.go.th"})
    assert long.status_code == 400 and "150" in html.unescape(long.content.decode())
    assert mailoutbox == [] and not Person.objects.filter(first_name="สมหญิง").exists()


def test_only_the_organisations_administrators_manage_its_people() -> None:
    url = reverse("orgs:people", args=[onesqa().pk])
    assert signed_in(Client(), "planner").get(url).status_code == 403
    assert signed_in(Client(), "bic-planner").get(url).status_code == 404
    assert signed_in(Client(), "planner").get(reverse("orgs:people_home")).status_code == 403
    # สมศ.'s administrator administers its divisions too: a list to choose from.
    home = administrator().get(reverse("orgs:people_home"))
    assert home.status_code == 200
    assert reverse("orgs:people", args=[onesqa().pk]) in home.content.decode()


def test_a_role_holds_until_its_day_and_not_after() -> None:
    from datetime import date

    from django.test import override_settings

    from tidtam.plans.models import OperatingPlan

    admin = administrator()
    executive = Person.objects.get(user__username="executive")
    url = reverse("orgs:people", args=[onesqa().pk])
    # The demo's today is 8 April 2024: planner of สมศ. until 30 April 2567.
    with override_settings(DEMO_TODAY="2024-04-08"):
        saved = admin.post(
            url,
            {
                "action": "roles",
                "person": executive.pk,
                "roles": ["planner"],
                "valid_until": "30/04/2567",
            },
        )
        assert saved.status_code == 302
        assignment = RoleAssignment.objects.get(person=executive, organization=onesqa())
        assert (assignment.role, assignment.valid_until) == ("planner", date(2024, 4, 30))
        plan = OperatingPlan.objects.get(organization=onesqa(), fiscal_year__year=2567)
        settings_page = reverse("plans:plan_settings", args=[plan.pk])
        assert signed_in(Client(), "executive").post(settings_page, {}).status_code == 400
        past = admin.post(
            url,
            {
                "action": "roles",
                "person": executive.pk,
                "roles": ["planner"],
                "valid_until": "01/04/2567",
            },
            follow=True,
        )
        assert "ผ่านมาแล้ว" in html.unescape(past.content.decode())
    with override_settings(DEMO_TODAY="2024-05-01"):  # the day after: no longer a planner
        assert signed_in(Client(), "executive").post(settings_page, {}).status_code in (403, 404)
