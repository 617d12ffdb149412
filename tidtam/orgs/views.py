"""The people page of an organisation: its administrators invite people by e-mail, give and
take roles, and deactivate (never delete) a person who leaves. Readers of the organisation
without the administrator's role get 403; people outside its reach get 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for
from tidtam.orgs import policy
from tidtam.orgs.forms import InviteForm, RolesForm
from tidtam.orgs.models import Organization, Person, RoleAssignment
from tidtam.orgs.services import person_active_set, person_invite, person_roles_save
from tidtam.ui.errors import SAVE_ERRORS, add_save_error
from tidtam.ui.permissions import require


@login_required
def people(request: HttpRequest, org_id: int) -> HttpResponse:
    organization = get_object_or_404(policy.readable(request.user, Organization), pk=org_id)
    require(request.user, policy.may_administer(request.user, organization))
    members = (
        Person.objects.filter(organization=organization)
        .select_related("user")
        .order_by("first_name", "last_name")
    )
    invite = InviteForm(prefix="invite")
    roles_form = RolesForm(people=members)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "invite":
            invite = InviteForm(request.POST, prefix="invite")
            if invite.is_valid():
                data = invite.cleaned_data
                try:
                    person = person_invite(
                        organization=organization,
                        prefix=data["name_prefix"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        position=data["position"],
                        email=data["email"],
                        roles=data["roles"],
                        invited_by=request.user,
                        site=request.build_absolute_uri("/"),
                    )
                except SAVE_ERRORS as error:
                    add_save_error(invite, error, fields={"person_email_taken": "email"})
                else:
                    messages.success(
                        request, f"เชิญ {person.full_name} แล้ว — ส่งลิงก์ตั้งรหัสผ่านไปที่ {data['email']}"
                    )
                    return redirect("orgs:people", org_id=organization.pk)
            status = 400
        elif action in ("roles", "deactivate", "reactivate"):
            roles_form = RolesForm(request.POST, people=members)
            if roles_form.is_valid():
                person = roles_form.cleaned_data["person"]
                try:
                    if action == "roles":
                        person_roles_save(
                            person=person,
                            organization=organization,
                            roles=roles_form.cleaned_data["roles"],
                            by=request.user,
                            until=roles_form.cleaned_data["valid_until"],
                        )
                        done = f"บันทึกบทบาทของ {person.full_name} แล้ว"
                    else:
                        active = action == "reactivate"
                        person_active_set(person=person, active=active, by=request.user)
                        done = (
                            f"เปิดการเข้าระบบของ {person.full_name} แล้ว"
                            if active
                            else f"ปิดการเข้าระบบของ {person.full_name} แล้ว (ข้อมูลและประวัติยังอยู่ครบ)"
                        )
                except DomainError as error:
                    messages.error(request, message_for(error))
                else:
                    messages.success(request, done)
                return redirect("orgs:people", org_id=organization.pk)
            messages.error(
                request,
                " ".join(str(e) for errors in roles_form.errors.values() for e in errors),
            )
            return redirect("orgs:people", org_id=organization.pk)
        else:
            status = 400
    held: dict[int, dict[str, RoleAssignment]] = {}
    for assignment in RoleAssignment.objects.filter(organization=organization):
        held.setdefault(assignment.person_id, {})[assignment.role] = assignment
    rows = []
    for person in members:
        roles = held.get(person.pk, {})
        ends = {a.valid_until for a in roles.values()}
        rows.append((person, roles, ends.pop() if len(ends) == 1 else None))
    return render(
        request,
        "orgs/people.html",
        {
            "organization": organization,
            "rows": rows,
            "invite": invite,
            "roles_form": roles_form,
            "role_choices": RoleAssignment.Role.choices,
        },
        status=status,
    )


@login_required
def people_home(request: HttpRequest) -> HttpResponse:
    """The organisations whose people the person administers: straight to the only one."""
    organizations = list(policy.administrable(request.user, Organization).order_by("code"))
    require(request.user, bool(organizations))
    if len(organizations) == 1:
        return redirect("orgs:people", org_id=organizations[0].pk)
    return render(request, "orgs/people_home.html", {"organizations": organizations})
