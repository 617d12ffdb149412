"""URL routes: the documents pages, login and logout, and the admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "ติดตาม — ผู้ดูแลระบบ"
admin.site.site_title = "ติดตาม"
admin.site.index_title = "ข้อมูลแผน ตัวชี้วัด งบประมาณ และผลการดำเนินงาน"

urlpatterns = [
    # The documents page is the only page for people so far; a dashboard comes later.
    path("", RedirectView.as_view(pattern_name="reports:documents", permanent=False)),
    path("documents/", include("tidtam.reports.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
