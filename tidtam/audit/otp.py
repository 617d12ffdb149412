"""A second factor for staff: TOTP (django-otp) before the admin opens, set up on first use.

Staff and superusers can change anything through the admin, so a stolen password alone must not
be enough. People without staff rights are not affected. There is deliberately no setting that
turns this off: the demo prints how to get the code instead (`tidtam otp_code`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "แอปยืนยันตัวตน"
WRONG_CODE = (
    "รหัสไม่ถูกต้องหรือหมดเวลาแล้ว — เปิดแอปยืนยันตัวตน (เช่น Google Authenticator, Microsoft"
    " Authenticator) แล้วพิมพ์รหัส 6 หลักที่แสดงอยู่ตอนนี้ (รหัสเปลี่ยนทุก 30 วินาที และใช้ซ้ำไม่ได้)"
)
THROTTLED = "พิมพ์รหัสผิดหลายครั้งติดกัน — รอประมาณ {seconds} วินาทีแล้วพิมพ์รหัสใหม่จากแอปยืนยันตัวตน"
NOT_STAFF = "หน้านี้ใช้เฉพาะผู้ดูแลระบบ (ผู้ที่เข้าหน้าผู้ดูแลระบบได้) — บัญชีนี้ไม่ต้องยืนยันรหัสเพิ่ม"


def needs_second_factor(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_staff or user.is_superuser))


class StaffOTPMiddleware:
    """Sends a staff member who has not verified a TOTP code in this session from any admin page
    to the verification page (or to set-up when they have no device yet). Needs django-otp's
    OTPMiddleware before it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if needs_second_factor(user) and not user.is_verified():  # type: ignore[union-attr]
            path = request.path
            admin_root = reverse("admin:index")
            exempt = (
                reverse("otp_verify"),
                reverse("otp_setup"),
                reverse("admin:logout"),
            )
            if path.startswith(admin_root) and not path.startswith(exempt):
                return redirect(f"{reverse('otp_verify')}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="รหัส 6 หลักจากแอปยืนยันตัวตน",
        min_length=6,
        max_length=8,
        error_messages={
            "required": "ยังไม่ได้กรอกรหัส — พิมพ์รหัส 6 หลักที่แอปยืนยันตัวตนแสดงอยู่ตอนนี้",
            "min_length": "รหัสต้องมี 6 หลัก — พิมพ์ตัวเลขให้ครบตามที่แอปยืนยันตัวตนแสดง",
            "max_length": "รหัสต้องมี 6 หลัก — พิมพ์เฉพาะตัวเลขที่แอปยืนยันตัวตนแสดง",
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = "".join(str(self.cleaned_data["token"]).split())
        if not token.isascii() or not token.isdigit():
            raise forms.ValidationError("รหัสมีได้เฉพาะตัวเลข 0-9 — พิมพ์รหัส 6 หลักจากแอปยืนยันตัวตน")
        return token


def _check(device: TOTPDevice, token: str) -> str:
    """An empty reason when the code is the device's current one, else the Thai reason it is refused."""
    allowed, data = device.verify_is_allowed()
    if not allowed:
        wait = "ครู่หนึ่ง"
        if data and data.get("locked_until"):
            seconds = int((data["locked_until"] - timezone.now()).total_seconds())
            wait = str(max(1, seconds))
        return THROTTLED.format(seconds=wait)
    return "" if device.verify_token(token) else WRONG_CODE


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _staff_only(request: HttpRequest) -> None:
    if not needs_second_factor(request.user):
        raise PermissionDenied(NOT_STAFF)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('otp_setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reasons = []
        for device in devices:
            reason = _check(device, form.cleaned_data["token"])
            if not reason:
                otp_login(request, device)
                return redirect(_next_url(request))
            reasons.append(reason)
        form.add_error("token", reasons[0] if len(set(reasons)) == 1 else WRONG_CODE)
    return render(
        request,
        "audit/otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """First use: a new secret shown as a QR code and an otpauth URI, confirmed with a code.

    Only for staff without a confirmed device: anyone who already has one verifies with it, so a
    stolen password cannot add a second device.
    """
    _staff_only(request)
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('otp_verify')}?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = _check(device, form.cleaned_data["token"])
        if not reason:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", reason)
    uri = device.config_url
    # An SVG drawn on the server: no script, and no image request for a browser to cache.
    qr_svg = mark_safe(
        segno.make(uri, error="m").svg_inline(scale=4, title="คิวอาร์โค้ดสำหรับแอปยืนยันตัวตน")
    )
    return render(
        request,
        "audit/otp_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "uri": uri,
            "secret": _secret_groups(device),
            "qr_svg": qr_svg,
        },
        status=400 if form.errors else 200,
    )


def _secret_groups(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
