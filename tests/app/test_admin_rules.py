"""The admin cannot break the rules: staff verify a TOTP code first, and through its pages the
workflow fields, the review trail, evidence and stored percentages cannot be changed.

Everything goes through the admin's own HTTP pages, as the superuser of the demo would use them.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.app.conftest import admin_signed_in, signed_in
from tidtam.agreements.models import IndicatorResult
from tidtam.audit.otp import WRONG_CODE
from tidtam.budgets.models import BudgetLine, BudgetSpending
from tidtam.progress.models import EntryStatus, PercentMethod, ProgressEntry, ReviewStep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

User = get_user_model()


@pytest.fixture
def superuser() -> Any:
    return User.objects.create_superuser("admin-rules", password="x")


def wait_out_the_throttle(device: TOTPDevice) -> None:
    """The wait django-otp asks for after wrong codes (1 s after one, doubling), passed: the
    last failure is moved that far back, where sleeping would keep the test process idle."""
    device.refresh_from_db()
    assert device.throttling_failure_timestamp is not None, "no wrong code was recorded"
    factor = device.get_throttle_factor()
    delay = timedelta(seconds=factor * 2 ** (device.throttling_failure_count - 1) + 0.1)
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - delay
    )


def code_of(device: TOTPDevice, shift: int = 0) -> str:
    """The device's code now (shift: that many 30-second steps away)."""
    return str(totp(device.bin_key, device.step, device.t0, device.digits, shift)).zfill(6)


class FormValues(HTMLParser):
    """The values a browser would post from the admin's change form, as the page shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, Any] = {}
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.values[name] = "on"
            else:
                self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in a
            if not self._multiple:
                self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            value = a.get("value") or ""
            if self._multiple:
                self.values.setdefault(self._select, []).append(value)
            else:
                self.values[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += (
                data.lstrip("\n") if not self.values[self._textarea] else data
            )


def form_values(client: Client, url: str) -> dict[str, Any]:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = FormValues()
    parser.feed(page.content.decode())
    parser.values.pop("csrfmiddlewaretoken", None)
    return parser.values


# --- the second factor ------------------------------------------------------------------------


def test_a_superuser_without_a_verified_code_is_sent_from_the_admin_to_the_thai_code_page(
    superuser: Any,
) -> None:
    TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    client = Client()
    client.force_login(superuser)
    for url in ("/admin/", reverse("admin:progress_progressentry_changelist")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('otp_verify')}?next={url}"
    page = client.get(reverse("otp_verify")).content.decode()
    assert "ยืนยันรหัสจากแอปยืนยันตัวตน" in page
    # A POST to a change page is refused the same way, before it touches anything.
    entry = ProgressEntry.objects.first()
    assert entry is not None
    change = reverse("admin:progress_progressentry_change", args=[entry.pk])
    assert client.post(change, {"status": "approved"}).status_code == 302


def test_the_correct_code_opens_the_admin_and_a_wrong_one_is_refused_in_thai(
    superuser: Any,
) -> None:
    device = TOTPDevice.objects.create(user=superuser, name="phone", confirmed=True)
    client = Client()
    client.force_login(superuser)
    wrong = code_of(device, shift=5)
    refused = client.post(reverse("otp_verify"), {"token": wrong, "next": "/admin/"})
    assert refused.status_code == 400
    assert WRONG_CODE in refused.content.decode()
    assert client.get("/admin/").status_code == 302
    letters = client.post(reverse("otp_verify"), {"token": "abcdef"})
    assert "รหัสมีได้เฉพาะตัวเลข" in letters.content.decode()
    # Right after a wrong code even the right one waits (guessing gets slower each time).
    throttled = client.post(reverse("otp_verify"), {"token": code_of(device)})
    assert "พิมพ์รหัสผิดหลายครั้งติดกัน — รอประมาณ" in throttled.content.decode()
    wait_out_the_throttle(device)  # django-otp's wait after one failure is one second

    accepted = client.post(reverse("otp_verify"), {"token": code_of(device), "next": "/admin/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # The same code cannot be used twice (someone who saw it over a shoulder gets nothing).
    other = Client()
    other.force_login(superuser)
    again = other.post(reverse("otp_verify"), {"token": code_of(device)})
    assert again.status_code == 400
    assert other.get("/admin/").status_code == 302


def test_staff_without_a_device_set_one_up_from_the_qr_page_and_confirm_with_a_code(
    superuser: Any,
) -> None:
    client = Client()
    client.force_login(superuser)
    to_verify = client.get("/admin/")
    to_setup = client.get(to_verify["Location"])
    assert to_setup.status_code == 302 and to_setup["Location"].startswith(reverse("otp_setup"))
    page = client.get(to_setup["Location"]).content.decode()
    assert "ตั้งค่าแอปยืนยันตัวตน" in page
    device = TOTPDevice.objects.get(user=superuser)
    assert not device.confirmed
    assert "otpauth://totp/tidtam%3Aadmin-rules?secret=" in page
    assert "<svg" in page  # the QR code, drawn on the server
    wrong = client.post(reverse("otp_setup"), {"token": code_of(device, shift=7)})
    assert wrong.status_code == 400 and WRONG_CODE in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    wait_out_the_throttle(device)  # django-otp's wait after one wrong code

    done = client.post(reverse("otp_setup"), {"token": code_of(device), "next": "/admin/"})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200
    # With a confirmed device, the set-up page no longer shows a secret.
    assert client.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))


def test_people_without_staff_rights_are_not_asked_for_a_code() -> None:
    client = signed_in(Client(), "reporter")
    assert client.get(reverse("progress:my_work")).status_code == 200
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 302
    assert admin_page["Location"].startswith("/admin/login/")
    assert client.get(reverse("otp_verify")).status_code == 403


def test_the_demo_prints_how_to_get_the_code_and_otp_code_prints_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("demo_user")
    out = capsys.readouterr().out
    assert "tidtam otp_code demo" in out
    demo = User.objects.get(username="demo")
    device = TOTPDevice.objects.get(user=demo, confirmed=True)
    call_command("otp_code", "demo")
    printed = capsys.readouterr().out.strip()
    assert printed == code_of(device)
    client = Client()
    client.force_login(demo)
    assert client.post(reverse("otp_verify"), {"token": printed}).status_code == 302
    assert client.get("/admin/").status_code == 200
    # Running the demo again keeps the same device (the secret in an app stays valid).
    call_command("demo_user")
    assert TOTPDevice.objects.filter(user=demo).count() == 1


# --- workflow fields and the review trail -------------------------------------------------------


def test_an_entrys_status_and_stored_percents_cannot_be_changed_through_the_admin(
    superuser: Any,
) -> None:
    entry = ProgressEntry.objects.exclude(percent_annual=None).first()
    assert entry is not None
    before = (entry.status, entry.percent_round, entry.percent_annual, entry.result_text)
    client = admin_signed_in(Client(), superuser)
    url = reverse("admin:progress_progressentry_change", args=[entry.pk])
    page = client.get(url).content.decode()
    assert "เปิดหน้ารายงานผลของรายการนี้" in page
    assert 'name="status"' not in page and 'name="percent_annual"' not in page
    response = client.post(
        url,
        {
            "work_item": entry.work_item_id,
            "round": entry.round_id,
            "status": EntryStatus.APPROVED,
            "percent_round": "100",
            "percent_annual": "100",
            "percent_method": PercentMethod.ENTERED,
            "percent_note": "แก้จากหน้าผู้ดูแล",
            "result_text": "แก้จากหน้าผู้ดูแล",
        },
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.status, entry.percent_round, entry.percent_annual, entry.result_text) == before
    assert client.get(reverse("admin:progress_progressentry_add")).status_code == 403
    # Nor by "reverting" to an older version from the history page.
    version = entry.history.order_by("history_id").first()  # type: ignore[attr-defined]
    revert = reverse(
        "admin:progress_progressentry_simple_history", args=[entry.pk, version.history_id]
    )
    assert client.post(revert, {"status": EntryStatus.APPROVED}).status_code == 403
    entry.refresh_from_db()
    assert (entry.status, entry.percent_round, entry.percent_annual, entry.result_text) == before


def test_a_work_item_with_a_reviewed_entry_cannot_be_deleted_with_it(superuser: Any) -> None:
    entry = ProgressEntry.objects.select_related("work_item").first()
    assert entry is not None
    ReviewStep.objects.create(
        content_type=ContentType.objects.get_for_model(ProgressEntry),
        object_id=entry.pk,
        action="submit",
        from_status="draft",
        to_status="submitted",
    )
    client = admin_signed_in(Client(), superuser)
    url = reverse("admin:plans_workitem_delete", args=[entry.work_item_id])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ProgressEntry.objects.filter(pk=entry.pk).exists()


def test_the_work_item_page_shows_its_entries_but_cannot_change_them(superuser: Any) -> None:
    entry = ProgressEntry.objects.exclude(percent_annual=None).select_related("work_item").first()
    assert entry is not None
    client = admin_signed_in(Client(), superuser)
    url = reverse("admin:plans_workitem_change", args=[entry.work_item_id])
    data = form_values(client, url)
    prefix = next(
        k.removesuffix("-TOTAL_FORMS")
        for k in data
        if k.endswith("-TOTAL_FORMS") and k.startswith("progress")
    )
    # A hand-made POST of the inline's fields, as if the page had offered them.
    data.update({f"{prefix}-0-id": entry.pk, f"{prefix}-0-work_item": entry.work_item_id,
                 f"{prefix}-0-status": EntryStatus.APPROVED, f"{prefix}-0-percent_annual": "100"})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    before = entry.status, entry.percent_annual
    entry.refresh_from_db()
    assert (entry.status, entry.percent_annual) == before


def test_review_steps_cannot_be_added_changed_or_deleted(superuser: Any) -> None:
    step = ReviewStep.objects.create(
        content_type=ContentType.objects.get_for_model(ProgressEntry),
        object_id=ProgressEntry.objects.first().pk,  # type: ignore[union-attr]
        action="submit",
        from_status="draft",
        to_status="submitted",
        comment="ส่งผล",
    )
    client = admin_signed_in(Client(), superuser)
    change = reverse("admin:progress_reviewstep_change", args=[step.pk])
    assert client.get(change).status_code == 200  # shown, read-only
    assert client.get(reverse("admin:progress_reviewstep_add")).status_code == 403
    assert client.post(change, {"action": "approve", "to_status": "approved"}).status_code == 403
    delete = reverse("admin:progress_reviewstep_delete", args=[step.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    step.refresh_from_db()
    assert (step.action, step.to_status) == ("submit", "submitted")
    history = reverse("admin:progress_reviewstep_history", args=[step.pk])
    assert client.get(history).status_code == 200


def test_an_entry_can_be_deleted_in_the_admin_only_while_nobody_has_reviewed_it(
    superuser: Any,
) -> None:
    reviewed = ProgressEntry.objects.filter(status=EntryStatus.DRAFT).first()
    untouched = (
        ProgressEntry.objects.filter(status=EntryStatus.DRAFT).exclude(pk=reviewed.pk).first()
    )  # type: ignore[union-attr]
    assert reviewed is not None and untouched is not None
    ReviewStep.objects.create(
        content_type=ContentType.objects.get_for_model(ProgressEntry),
        object_id=reviewed.pk,
        action="return",
        from_status="submitted",
        to_status="returned",
        comment="แก้ไข",
    )
    ReviewStep.objects.filter(
        content_type=ContentType.objects.get_for_model(ProgressEntry), object_id=untouched.pk
    ).delete()
    client = admin_signed_in(Client(), superuser)
    refused = client.post(
        reverse("admin:progress_progressentry_delete", args=[reviewed.pk]), {"post": "yes"}
    )
    assert refused.status_code == 403
    assert ProgressEntry.objects.filter(pk=reviewed.pk).exists()
    # No bulk delete either: it could not check each entry.
    changelist = client.get(reverse("admin:progress_progressentry_changelist")).content.decode()
    assert "delete_selected" not in changelist

    deleted = client.post(
        reverse("admin:progress_progressentry_delete", args=[untouched.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not ProgressEntry.objects.filter(pk=untouched.pk).exists()


def test_kpi_results_are_shown_on_the_indicator_page_but_not_changed(superuser: Any) -> None:
    result = IndicatorResult.objects.select_related("indicator").first()
    assert result is not None
    client = admin_signed_in(Client(), superuser)
    url = reverse("admin:agreements_indicator_change", args=[result.indicator_id])
    data = form_values(client, url)
    assert not any(k.startswith("results-0-status") for k in data)
    assert "target_value" not in data  # results exist: the target they were computed against stays
    data.update({"results-0-id": result.pk, "results-0-status": EntryStatus.APPROVED,
                 "results-0-percent": "100", "target_value": "1"})  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    before = result.status, result.percent, result.indicator.target_value
    result.refresh_from_db()
    result.indicator.refresh_from_db()
    assert (result.status, result.percent, result.indicator.target_value) == before


# --- derived figures: budget spending is saved through its service ----------------------------


def test_spending_saved_in_the_admin_refreshes_the_stored_percents_of_the_budget_items(
    superuser: Any,
) -> None:
    entry = (
        ProgressEntry.objects.filter(percent_method=PercentMethod.BUDGET_LINE)
        .select_related("work_item__budget_line", "round")
        .first()
    )
    assert entry is not None
    line = entry.work_item.budget_line
    assert line is not None
    spending = BudgetSpending.objects.get(line=line, round=entry.round)
    client = admin_signed_in(Client(), superuser)
    url = reverse("admin:budgets_budgetline_change", args=[line.pk])
    data = form_values(client, url)
    row = next(
        k.removesuffix("-id")
        for k, v in data.items()
        if k.endswith("-id") and str(v) == str(spending.pk)
    )
    # Half the annual plan disbursed, nothing committed: 50 % of the year.
    data[f"{row}-disbursed_baht"] = str(line.annual_plan_baht / 2)
    data[f"{row}-committed_baht"] = "0"
    assert f"{row}-DELETE" not in data  # spending rows cannot be deleted here
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.percent_annual == Decimal("50.0000")
    assert entry.percent_round == Decimal("50.0000") * 12 / entry.round.months

    # A negative amount is the model form's Thai error, and nothing changes.
    data[f"{row}-disbursed_baht"] = "-5"
    refused = client.post(url, data)
    assert refused.status_code == 200
    spending.refresh_from_db()
    assert spending.disbursed_baht == line.annual_plan_baht / 2


def test_a_new_annual_plan_recomputes_the_stored_percents(superuser: Any) -> None:
    entry = (
        ProgressEntry.objects.filter(percent_method=PercentMethod.BUDGET_LINE)
        .select_related("work_item__budget_line", "round")
        .first()
    )
    assert entry is not None
    line: BudgetLine = entry.work_item.budget_line  # type: ignore[assignment]
    spending = BudgetSpending.objects.get(line=line, round=entry.round)
    client = admin_signed_in(Client(), superuser)
    url = reverse("admin:budgets_budgetline_change", args=[line.pk])
    data = form_values(client, url)
    spent = spending.disbursed_baht + spending.committed_baht
    data["annual_plan_baht"] = str(spent * 4)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.percent_annual == Decimal("25.0000")


def test_the_admin_refuses_a_work_item_in_another_plans_activity(superuser: Any) -> None:
    """The services keep an item in an activity of its own plan; the admin's own form does too
    (every table counts an item under its plan: an activity of another would count it twice)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from tidtam.orgs.models import Organization
    from tidtam.plans.models import Activity, WorkItem
    from tidtam.plans.services import activity_create, output_create, plan_create

    item = WorkItem.objects.select_related("plan").filter(plan__organization__code="onesqa")[0]
    plan = plan_create(
        organization=Organization.objects.get(code="ops-bic"),
        fiscal_year=item.plan.fiscal_year,
        title="แผนปฏิบัติราชการของหน่วยงานอื่น",
    )
    other = activity_create(output=output_create(plan=plan, name="ผลผลิตอื่น"), name="กิจกรรมอื่น")
    request = RequestFactory().get("/")
    request.user = superuser
    form_class = admin.site._registry[WorkItem].get_form(request, item)

    def activity_errors(activity: Activity) -> list[str]:
        # A fresh copy each time: a form that validates puts its values on its instance.
        instance = WorkItem.objects.get(pk=item.pk)
        initial = form_class(instance=instance).initial
        data = {
            name: [v.pk if hasattr(v, "pk") else v for v in value]
            if isinstance(value, list)
            else value
            for name, value in initial.items()
            if value is not None
        }
        form = form_class(data={**data, "activity": activity.pk}, instance=instance)
        form.is_valid()
        return list(form.errors.get("activity", []))

    [message] = activity_errors(other)
    assert f"{other} ที่เลือกเป็นของแผนของ{plan.organization.label} ไม่ใช่แผนของรายการนี้" in message
    assert activity_errors(item.activity) == []
    item.refresh_from_db()
    assert item.activity.output.plan_id == item.plan_id
