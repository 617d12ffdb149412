from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tidtam.api"
    label = "api"
    verbose_name = "API (โทเค็นของบุคลากร)"
