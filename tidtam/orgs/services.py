"""People and their roles, managed by an organisation's administrators in the app: invite by
e-mail, roles per organisation, deactivate. Nobody is deleted: history, reviews and documents
refer to people, so a person who leaves is deactivated (cannot sign in) and stays on record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tidtam.bulk import stamp_author
from tidtam.domain.errors import DomainError
from tidtam.domain.thai import format_date_long, normalize_text
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.periods import clock

ROLES = RoleAssignment.Role


def invite_link(user: Any, site: str) -> str:
    """The link that lets an invited person set their password (Django's reset token: one use,
    it expires, a password change voids it)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return site.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


@transaction.atomic
def person_invite(
    *,
    organization: Organization,
    prefix: str,
    first_name: str,
    last_name: str,
    position: str,
    email: str,
    roles: Iterable[str],
    invited_by: Any,
    site: str,
) -> Person:
    """A new person of the organisation with a sign-in named by their e-mail (no password yet),
    their roles there, and an e-mail with the link to set a password. Refused when the e-mail
    already signs someone in."""
    address = email.strip().lower()
    users = get_user_model().objects
    taken = users.filter(email__iexact=address).first() or users.filter(username=address).first()
    if taken is not None:
        who = getattr(getattr(taken, "person", None), "full_name", "") or taken.get_username()
        raise DomainError("person_email_taken", email=address, who=who)
    user = users.create_user(username=address, email=address)
    user.set_unusable_password()
    user.save()
    person = Person(
        user=user,
        organization=organization,
        prefix=normalize_text(prefix),
        first_name=normalize_text(first_name),
        last_name=normalize_text(last_name),
        position=normalize_text(position),
    )
    stamp_author(person, invited_by)
    person.save()
    person_roles_save(person=person, organization=organization, roles=roles, by=invited_by)
    inviter = getattr(getattr(invited_by, "person", None), "full_name", "") or "ผู้ดูแลระบบ"
    send_mail(
        subject=f"เชิญใช้งานระบบติดตาม — {organization.label}",
        message=(
            f"เรียน {person.full_name}\n\n"
            f"{inviter} เชิญท่านใช้งานระบบติดตาม (tidtam) ของ{organization.name}\n"
            f"ชื่อผู้ใช้ของท่านคือ {address}\n"
            "ตั้งรหัสผ่านได้ที่ลิงก์นี้ (ใช้ได้ครั้งเดียว):\n"
            f"{invite_link(user, site)}\n\n"
            "หากท่านไม่ได้คาดว่าจะได้รับอีเมลนี้ ไม่ต้องดำเนินการใด ๆ"
        ),
        from_email=None,
        recipient_list=[address],
    )
    return person


@transaction.atomic
def person_roles_save(
    *,
    person: Person,
    organization: Organization,
    roles: Iterable[str],
    by: Any,
    until: date | None = None,
) -> list[str]:
    """The person's roles in the organisation become exactly these, held until the day given
    (None: with no end); the removed ones stay in the history of roles. Returns the roles now
    held there."""
    wanted = set(roles)
    unknown = wanted - set(ROLES.values)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    held = RoleAssignment.objects.select_for_update().filter(
        person=person, organization=organization
    )
    if until is not None and until < clock.today():
        raise DomainError("role_until_past", until=format_date_long(until))
    for assignment in held:
        stamp_author(assignment, by)
        if assignment.role not in wanted:
            assignment.delete()
        elif assignment.valid_until != until:
            assignment.valid_until = until
            assignment.save()
    have = {a.role for a in held if a.role in wanted}
    for role in sorted(wanted - have):
        assignment = RoleAssignment(
            person=person, organization=organization, role=role, valid_until=until
        )
        stamp_author(assignment, by)
        assignment.save()
    return sorted(wanted)


@transaction.atomic
def person_active_set(*, person: Person, active: bool, by: Any) -> Person:
    """Let the person sign in again, or not (they stay on record: nothing is deleted). Nobody
    deactivates themselves: an organisation would be left without the administrator who did."""
    user = person.user
    if user is None:
        raise DomainError("person_without_sign_in", person=person.full_name)
    if not active and getattr(by, "pk", None) == user.pk:
        raise DomainError("person_self_deactivate")
    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    if locked.is_active != active:
        locked.is_active = active
        locked.save(update_fields=["is_active"])
    person.user = locked
    return person
