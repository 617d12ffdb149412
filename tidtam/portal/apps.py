from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tidtam.portal"
    label = "portal"
    verbose_name = "เผยแพร่ต่อสาธารณะ"
