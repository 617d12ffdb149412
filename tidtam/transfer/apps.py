from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "tidtam.transfer"
    label = "transfer"
    verbose_name = "นำเข้าและส่งออกข้อมูล (Excel)"
    default_auto_field = "django.db.models.BigAutoField"
