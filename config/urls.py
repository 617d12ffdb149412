"""URL routes: each app's pages under its own prefix, sign-in, and the admin."""

from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.urls import include, path, re_path

from tidtam.api.api import api
from tidtam.api.views import api_path_unknown
from tidtam.audit import otp
from tidtam.web.accounts import PasswordResetView
from tidtam.web.forms import AdminSignInForm, SignInForm
from tidtam.web.views import home

admin.site.site_header = "ติดตาม — ผู้ดูแลระบบ"
admin.site.site_title = "ติดตาม"
admin.site.index_title = "ข้อมูลแผน ตัวชี้วัด งบประมาณ และผลการดำเนินงาน"
admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("", home, name="root"),
    path("work/", include("tidtam.progress.urls")),
    path("dashboard/", include("tidtam.dashboard.urls")),
    path("public/", include("tidtam.portal.urls")),
    path("plans/", include("tidtam.plans.urls")),
    path("agreements/", include("tidtam.agreements.urls")),
    path("budgets/", include("tidtam.budgets.urls")),
    path("rounds/", include("tidtam.periods.urls")),
    path("people/", include("tidtam.orgs.urls")),
    path("documents/", include("tidtam.reports.urls")),
    path("excel/", include("tidtam.transfer.urls")),
    # The REST API: /api/v1/… , its schema /api/v1/openapi.json, its docs /api/docs.
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", api_path_unknown),
    path("tokens/", include("tidtam.api.urls")),
    path("", include("tidtam.web.urls")),
    # Before Django's own: the same reset form with a rate limit (tidtam/web/accounts.py).
    path(
        "accounts/password_reset/",
        PasswordResetView.as_view(),
        name="password_reset",
    ),
    # Before Django's own: the same sign-in with the user name's length checked (tidtam/web/forms.py).
    path("accounts/login/", LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("audit/", include("tidtam.audit.urls")),
    path("admin/otp/", otp.otp_verify, name="otp_verify"),
    path("admin/otp/setup/", otp.otp_setup, name="otp_setup"),
    path("admin/", admin.site.urls),
]
