"""Search across plan items and KPIs: Thai words inside longer runs, typed with stray spaces or a
decomposed sara am, only within the person's reach, in Thai dictionary order.

The cast (tests/app/conftest.py) on seed 000: the reporter of สนย. reads the 9 items สนย. is
responsible for; the auditor reads all of สมศ.; bic-planner belongs to another agency.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.app.conftest import open_round_for, signed_in
from tidtam.agreements.models import Indicator
from tidtam.domain.thai import thai_sort_key
from tidtam.orgs.access import work_items_readable
from tidtam.plans.models import Activity, WorkItem

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cast")]

# A seed name in which ประเมิน sits inside a run of Thai with no space around it.
IN_A_RUN = "โครงการศึกษาความเป็นไปได้ในการเป็นองค์กรประเมินภายนอก"


def readable_names_containing(username: str, word: str) -> list[str]:
    """What the search should find, by plain Python over everything the person may read."""
    user = get_user_model().objects.get(username=username)
    return sorted((w.name for w in work_items_readable(user) if word in w.name), key=thai_sort_key)


def search(client: Any, username: str, query: str) -> Any:
    response = signed_in(client, username).get(reverse("web:search"), {"q": query})
    assert response.status_code == 200
    return response


def names(response: Any, group: str = "work_items") -> list[str]:
    results = response.context["results"]
    if results is None:
        return []
    return [hit.name for g in results.groups if g.key == group for hit in g.hits]


def test_a_word_inside_a_longer_run_of_thai_is_found(client: Any) -> None:
    # "องค์กรประเมินภายนอกขั้นพื้นฐาน" has no space around ประเมิน.
    response = search(client, "reporter", "ประเมิน")
    found = names(response)
    assert found == readable_names_containing("reporter", "ประเมิน")
    # A strategic-plan project is found by its name, with the KPIs (it is its KPI).
    projects = names(response, "indicators")
    assert any(name.startswith(IN_A_RUN) for name in projects)
    assert "โครงการรับการประเมินจาก INQAAHE" in projects
    page = response.content.decode()
    total = response.context["results"].total  # outputs and activities of the plan too
    assert f'ผลการค้นหา "ประเมิน": พบ {total} รายการ' in page
    assert "โครงการรับการประเมินจาก INQAAHE" in page


def test_results_are_in_thai_dictionary_order(client: Any) -> None:
    found = names(search(client, "auditor", "ประเมิน"))
    assert found == readable_names_containing("auditor", "ประเมิน")
    assert len(found) == 6
    # Code-point order would differ: it puts "โครงการ…" after every other initial.
    assert found[:4] == [
        "โครงการติดตาม ประเมิน ผลการปฏิบัติงานของ ผู้ประเมินภายนอก สมศ.",
        "โครงการประเมินคุณภาพภายนอก ด้านการอาชีวศึกษา",
        "โครงการประเมินคุณภาพภายนอก ระดับการศึกษาขั้นพื้นฐาน",
        "โครงการประเมินคุณภาพภายนอก ศูนย์พัฒนาเด็กเล็ก",
    ]


def test_kpis_and_plan_parts_are_found_in_their_own_groups(client: Any) -> None:
    response = search(client, "auditor", "ประเมิน")
    kpis = names(response, "indicators")
    # Found by its KPI's name, shown by its project's.
    assert Indicator.objects.get(name="มีระบบการประเมินคุณภาพภายนอก").project_name in kpis
    assert kpis == sorted(kpis, key=thai_sort_key)
    assert names(response, "plan_parts") == ["การประเมินคุณภาพ ภายนอกสถานศึกษา"]
    page = response.content.decode()
    # The KPIs, and the strategic-plan projects found by the project's name.
    expected = sorted(
        (
            i.project_name or i.name
            for i in Indicator.objects.filter(organization__code="onesqa")
            if "ประเมิน" in i.name or "ประเมิน" in i.project_name
        ),
        key=thai_sort_key,
    )
    assert kpis == expected and "โครงการรับการประเมินจาก INQAAHE" in kpis
    assert f"ตัวชี้วัด / โครงการตามแผนยุทธศาสตร์ ({len(expected)})" in page
    assert "ผลผลิตที่ 2" in page


def test_a_query_typed_with_an_extra_space_still_finds_the_item(client: Any) -> None:
    assert names(search(client, "reporter", "ประ เมิน")) == names(
        search(client, "reporter", "ประเมิน")
    )
    assert "โครงการประเมินคุณภาพภายนอก ศูนย์พัฒนาเด็กเล็ก" in names(
        search(client, "auditor", "ประเมินคุณ ภาพภายนอก")
    )


def test_a_query_without_the_space_the_name_has_finds_it(client: Any) -> None:
    # Stored "โครงการจัดทำ วารสารวิชาการ นานาชาติ": people do not type Thai's random spaces.
    assert names(search(client, "auditor", "จัดทำวารสารวิชาการ")) == [
        "โครงการจัดทำ วารสารวิชาการ นานาชาติ อิเล็กทรอนิกส์"
    ]


def test_every_word_of_the_query_must_appear(client: Any) -> None:
    both = names(search(client, "auditor", "ประเมิน อาชีวศึกษา"))
    assert both == ["โครงการประเมินคุณภาพภายนอก ด้านการอาชีวศึกษา"]
    assert names(search(client, "auditor", "ประเมิน ไม่มีคำนี้แน่นอน")) == []


def test_a_query_with_decomposed_sara_am_or_zero_width_spaces_still_finds_the_item(
    client: Any,
) -> None:
    expected = ["โครงการบำรุงรักษาและปรับปรุงระบบสนับสนุนการปฏิบัติงานภายในสำนักงาน"]
    assert names(search(client, "auditor", "บ\u0e4d\u0e32รุงรักษา")) == expected  # บํารุง
    assert names(search(client, "auditor", "บำรุง\u200bรักษา")) == expected


def test_a_name_stored_with_decomposed_sara_am_is_found_by_the_composed_query(client: Any) -> None:
    item = WorkItem.objects.get(name__startswith="โครงการบำรุงรักษา")
    WorkItem.objects.filter(pk=item.pk).update(name="โครงการบ\u0e4d\u0e32รุงรักษาระบบ")
    assert names(search(client, "auditor", "บำรุงรักษาระบบ")) == ["โครงการบ\u0e4d\u0e32รุงรักษาระบบ"]


def test_another_agencys_person_finds_nothing_of_onesqa(client: Any) -> None:
    response = search(client, "bic-planner", "ประเมิน")
    assert response.context["results"].total == 0
    assert "ไม่พบรายการที่ตรงกับ" in response.content.decode()
    # …while their own agency's KPIs are found, and stay out of สมศ.'s people's results.
    assert names(search(client, "bic-planner", "ระดับความสำเร็จ"), "indicators")
    assert names(search(client, "auditor", "ระดับความสำเร็จ"), "indicators") == []


def test_a_reporter_sees_only_the_items_in_reach(client: Any) -> None:
    # The follow-up project is สนย.'s (the demo assigns it to the reporter), not ภนย.'s.
    follow_up = "โครงการติดตาม ประเมิน ผลการปฏิบัติงานของ ผู้ประเมินภายนอก สมศ."
    assert names(search(client, "reporter", "ติดตาม ประเมิน")) == [follow_up]
    # ภนย.'s reporter reads สมศ.'s plan too (tidtam/orgs/policy.py); another agency does not.
    assert names(search(client, "reporter2", "ติดตาม ประเมิน")) == [follow_up]
    assert names(search(client, "bic-planner", "ติดตาม ประเมิน")) == []
    # Latin is matched without regard to case.
    assert names(search(client, "reporter", "inqaahe"), "indicators") == [
        "โครงการรับการประเมินจาก INQAAHE"
    ]


def test_each_hit_links_to_its_history_and_to_the_open_rounds_entry(client: Any) -> None:
    round_ = open_round_for(2567, 6)
    response = search(client, "reporter", "INQAAHE")
    project = Indicator.objects.get(project_name="โครงการรับการประเมินจาก INQAAHE")
    [hit] = [hit for g in response.context["results"].groups for hit in g.hits]
    assert hit.kind_label == "โครงการตามแผนยุทธศาสตร์"
    assert hit.history_url == reverse("web:history", args=["indicator", project.pk])
    assert hit.entry_url == reverse("progress:result", args=[project.pk, round_.pk])
    page = response.content.decode()
    assert f'href="{hit.history_url}"' in page
    assert f'href="{hit.entry_url}"' in page


def test_without_an_open_round_there_is_no_entry_link(client: Any) -> None:
    groups = search(client, "reporter", "INQAAHE").context["results"].groups
    [hit] = [hit for g in groups for hit in g.hits]
    assert hit.entry_url is None


def test_an_empty_query_shows_the_form_only(client: Any) -> None:
    response = search(client, "reporter", "   ")
    assert response.context["results"] is None
    assert 'name="q"' in response.content.decode()


def test_search_needs_a_sign_in(client: Any) -> None:
    response = client.get(reverse("web:search"), {"q": "ประเมิน"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_search_takes_the_same_number_of_queries_for_few_or_many_hits(client: Any) -> None:
    signed_in(client, "auditor")
    # The first request of a session also stamps the session (written at most every few
    # minutes, config/settings.py): not the search's cost.
    client.get(reverse("web:search"), {"q": "ก"})

    def asked() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("web:search"), {"q": "โครงการ"}).content.decode()
        return len(queries), html

    item = WorkItem.objects.filter(plan__organization__code="onesqa").order_by("pk")[0]
    activity = item.activity
    assert activity is not None

    def add(n: int, start: int) -> None:
        """n more hits among the items, and among the activities."""
        WorkItem.objects.bulk_create(
            WorkItem(
                plan=item.plan,
                activity=activity,
                number=start + k,
                kind=item.kind,
                name=f"โครงการค้นหา {start + k:03d}",
            )
            for k in range(n)
        )
        Activity.objects.bulk_create(
            Activity(output=activity.output, number=start + k, name=f"โครงการกิจกรรม {k:03d}")
            for k in range(n)
        )

    add(1, 900)
    few, _ = asked()
    # 300 more hits in each group: the first page of each, with the same queries.
    add(300, 1000)
    many, html = asked()
    assert many == few
    assert "หน้า 1 จาก" in html and "ถัดไป" in html
