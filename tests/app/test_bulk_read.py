"""`bulk.instances`: an import's thousands of rows made into model objects without
Model.__init__'s per-field work, and the same objects the queryset would make."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from django.db.models.signals import post_init

from tidtam import bulk
from tidtam.plans.models import WorkItem
from tidtam.progress.models import ProgressEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def fields_of(obj: object, model: type) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}


@pytest.mark.parametrize("model", [WorkItem, ProgressEntry])
def test_the_objects_are_the_querysets_field_for_field(model: type) -> None:
    queryset = model.objects.filter(pk__in=model.objects.order_by("pk").values("pk")[:40])
    made = bulk.instances(queryset.order_by("pk"))
    usual = list(queryset.order_by("pk"))
    assert len(made) == len(usual) == 40
    for fast, slow in zip(made, usual, strict=True):
        assert type(fast) is model and fast == slow
        assert fields_of(fast, model) == fields_of(slow, model)
        assert fast._state.adding is False and fast._state.db == slow._state.db
        assert fast.get_deferred_fields() == set()


def test_a_field_left_is_deferred_read_on_use_and_a_related_object_is_read_as_usual() -> None:
    item = WorkItem.objects.filter(activity__isnull=False).order_by("pk").first()
    assert item is not None
    [made] = bulk.instances(WorkItem.objects.filter(pk=item.pk), leave=("source_note", "name"))
    assert made.get_deferred_fields() == {"source_note", "name"}
    assert made.name == item.name  # read from the database on first use
    assert made.plan == item.plan and made.activity == item.activity


def test_the_querysets_annotations_are_on_each_object_as_it_puts_them() -> None:
    queryset = WorkItem.objects.annotate(plan_year=F("plan__fiscal_year__year")).order_by("pk")[:5]
    made = bulk.instances(queryset, leave=("name",))
    assert [(o.pk, o.plan_year) for o in made] == [(o.pk, o.plan_year) for o in queryset]
    assert all(o.get_deferred_fields() == {"name"} for o in made)


def test_an_object_made_so_saves_as_any_other_with_its_history() -> None:
    entry = ProgressEntry.objects.order_by("pk").first()
    assert entry is not None
    [made] = bulk.instances(ProgressEntry.objects.filter(pk=entry.pk))
    made.result_quantity = Decimal("12.5")
    made.save(update_fields=["result_quantity"])
    entry.refresh_from_db()
    assert entry.result_quantity == Decimal("12.5")
    assert entry.history.order_by("-history_id").first().result_quantity == Decimal("12.5")


def test_a_model_with_init_receivers_is_read_the_usual_way() -> None:
    seen: list[object] = []

    def receiver(sender: type, instance: object, **kwargs: object) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=WorkItem)
    try:
        made = bulk.instances(WorkItem.objects.order_by("pk")[:3], leave=("name",))
    finally:
        post_init.disconnect(receiver, sender=WorkItem)
    assert seen == made and len(made) == 3
    assert all(obj.get_deferred_fields() == {"name"} for obj in made)
