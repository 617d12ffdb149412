from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "tidtam.orgs"
    verbose_name = "หน่วยงานและบุคลากร"
