"""URL routes: the admin for now; the planners' pages come with the web-app issue."""

from django.contrib import admin
from django.urls import path

admin.site.site_header = "ติดตาม — ผู้ดูแลระบบ"
admin.site.site_title = "ติดตาม"
admin.site.index_title = "ข้อมูลแผน ตัวชี้วัด งบประมาณ และผลการดำเนินงาน"

urlpatterns = [
    path("admin/", admin.site.urls),
]
