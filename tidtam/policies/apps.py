from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "tidtam.policies"
    verbose_name = "ยุทธศาสตร์และแผนระดับชาติ"
