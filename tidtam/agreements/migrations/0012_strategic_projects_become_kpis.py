"""A strategic-plan project was a work item without an activity plus its KPI; it is now the KPI
alone, carrying the project's name and responsible units (docs/decisions/0003).

For each such work item: its KPIs take the project's name, units, strategy (when they have
none) and policy links; a project without a KPI becomes one (its target as the KPI). Then the
work item goes, with its milestones and the progress entries that fed no report.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    WorkItem = apps.get_model("plans", "WorkItem")
    WorkItemResponsibility = apps.get_model("plans", "WorkItemResponsibility")
    Indicator = apps.get_model("agreements", "Indicator")
    IndicatorResponsibility = apps.get_model("agreements", "IndicatorResponsibility")
    ProgressEntry = apps.get_model("progress", "ProgressEntry")
    ReviewStep = apps.get_model("progress", "ReviewStep")
    Evidence = apps.get_model("progress", "Evidence")
    ContentType = apps.get_model("contenttypes", "ContentType")

    projects = WorkItem.objects.filter(activity__isnull=True).select_related("plan")
    for item in projects.order_by("pk"):
        indicators = list(Indicator.objects.filter(work_item=item).order_by("number", "pk"))
        if not indicators:
            indicators = [
                Indicator.objects.create(
                    organization_id=item.plan.organization_id,
                    fiscal_year_id=item.plan.fiscal_year_id,
                    number=item.number,
                    name=item.target_text or item.name,
                    measure_kind="quantity",
                    unit=item.target_unit,
                    target_value=item.target_quantity,
                    target_text=item.target_text,
                    strategy_id=item.strategy_id,
                )
            ]
        units = list(WorkItemResponsibility.objects.filter(work_item=item).order_by("order", "pk"))
        nodes = list(item.policy_nodes.all())
        for indicator in indicators:
            indicator.project_name = item.name
            indicator.work_item = None
            if indicator.strategy_id is None:
                indicator.strategy_id = item.strategy_id
            indicator.save(update_fields=["project_name", "work_item", "strategy"])
            for order, unit in enumerate(units):
                IndicatorResponsibility.objects.get_or_create(
                    indicator=indicator,
                    organization_id=unit.organization_id,
                    defaults={"order": order},
                )
            indicator.policy_nodes.add(*nodes)
        entries = ProgressEntry.objects.filter(work_item=item)
        entry_type = ContentType.objects.filter(app_label="progress", model="progressentry").first()
        if entry_type is not None:
            # The entries' review steps and evidence rows point at them by type and id.
            ids = list(entries.values_list("pk", flat=True))
            for model in (ReviewStep, Evidence):
                model.objects.filter(content_type=entry_type, object_id__in=ids).delete()
        entries.delete()
        item.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0011_strategic_project_on_the_kpi"),
        ("plans", "0005_thresholds"),
        ("progress", "0008_thresholds"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
