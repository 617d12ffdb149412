"""A deterministic national-scale dataset for load tests and benchmarks (`tidtam generate`).

Ministries → departments → bureaus (codes "gen-…"), each with an operating plan, work items of
the three kinds with progress in all four rounds, indicators with results, performance
agreements and budget lines with spending. The same seed gives the same rows.

Rows are written with bulk_create, which sends no signals, so django-simple-history makes no
history records for generated rows: they are test data that nobody edited, and a history
would add a second copy of every row to the run and to the database. For the same reason
--replace deletes with plain SQL DELETEs (no history rows for deletions either).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any, TypeVar

from django.db import models, router, transaction

from tidtam import bulk
from tidtam.agreements.models import (
    Agreement,
    AgreementClause,
    AgreementKPI,
    Indicator,
    IndicatorOwner,
    IndicatorResponsibility,
    IndicatorResult,
    IndicatorSeriesValue,
    KPIGroup,
    ScoringLevel,
)
from tidtam.agreements.services import indicator_result_percent
from tidtam.budgets.models import (
    BudgetAllocation,
    BudgetCategory,
    BudgetLine,
    BudgetMonth,
    BudgetSpending,
    CabinetTarget,
    FundSource,
)
from tidtam.domain import fiscal
from tidtam.domain.money import percent, round_half_up
from tidtam.orgs.models import Organization, Person
from tidtam.periods.models import Round
from tidtam.plans.models import (
    Activity,
    OperatingPlan,
    Output,
    PlannedMilestone,
    WorkItem,
    WorkItemMonth,
)
from tidtam.policies.models import PolicyFramework, PolicyNode
from tidtam.progress.models import EntryStatus, PercentMethod, ProgressEntry
from tidtam.progress.services import (
    compute_percentages,
    explanation_required,
    stored_band,
)
from tidtam.reporting import stored_percent
from tidtam.seeds.loader import fiscal_year as ensure_fiscal_year
from tidtam.seeds.loader import load_reference

GEN_PREFIX = "gen-"
BATCH_SIZE = 2000
SOURCE_NOTE = "ข้อมูลจำลองจากคำสั่ง tidtam generate"

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scale:
    """How much to generate; the defaults are a national scale."""

    organizations: int = 300
    work_items: int = 100_000
    kpis: int = 20_000
    budget_lines: int = 50_000

    def scaled(self, factor: float) -> Scale:
        """A smaller (or larger) dataset of the same shape, for quick runs."""
        return Scale(
            organizations=max(1, round(self.organizations * factor)),
            work_items=round(self.work_items * factor),
            kpis=round(self.kpis * factor),
            budget_lines=round(self.budget_lines * factor),
        )


@dataclass
class Summary:
    """What a generation (or a deletion) did, for the command to print."""

    fiscal_year: int
    seed: int
    rows: Counter[type[models.Model]] = field(default_factory=Counter)
    deleted: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def lines(self) -> list[str]:
        out = [f"สร้างข้อมูลจำลองปีงบประมาณ พ.ศ. {self.fiscal_year} (seed {self.seed}) แล้ว"]
        if self.deleted:
            out.append(f"  ลบข้อมูลจำลองเดิมของปีนี้ {self.deleted:,} แถว")
        for model, n in self.rows.items():
            out.append(f"  {model._meta.verbose_name_plural}: {n:,}")
        out.append(f"  รวม {self.total:,} แถว ใช้เวลา {self.seconds:.1f} วินาที")
        return out


class GeneratedDataExists(Exception):
    """Generated data for the year is there already; the message is Thai, for the operator."""


def generated_plans(year: int) -> models.QuerySet[OperatingPlan]:
    return OperatingPlan.objects.filter(
        fiscal_year__year=year, organization__code__startswith=GEN_PREFIX
    )


def generated_exists(year: int) -> bool:
    generated = {"fiscal_year__year": year, "organization__code__startswith": GEN_PREFIX}
    return (
        generated_plans(year).exists()
        or BudgetLine.objects.filter(**generated).exists()
        or Indicator.objects.filter(**generated).exists()
        or Agreement.objects.filter(**generated).exists()
    )


def generate(
    *, fiscal_year: int = 2567, scale: Scale = Scale(), seed: int = 1, replace: bool = False
) -> Summary:
    """Generate the dataset in one transaction; refuse if the year has generated data already.

    With replace=True that year's generated data is deleted first. Organisations and their
    people are kept and reused (another year may use them).
    """
    fiscal.check_be_year(fiscal_year, field="ปีงบประมาณ")
    started = time.perf_counter()
    summary = Summary(fiscal_year=fiscal_year, seed=seed)
    with transaction.atomic():
        if generated_exists(fiscal_year):
            if not replace:
                raise GeneratedDataExists(
                    f"มีข้อมูลจำลองของปีงบประมาณ พ.ศ. {fiscal_year} อยู่แล้ว — "
                    "ใช้ตัวเลือก --replace เพื่อลบข้อมูลจำลองของปีนี้แล้วสร้างใหม่ "
                    "หรือเลือกปีงบประมาณอื่นด้วย --fy"
                )
            summary.deleted = delete_generated(fiscal_year)
        _Generator(fiscal_year, scale, random.Random(seed), summary.rows, seed=seed).run()
        # Its rows leave no history: the reads kept until their rows change are read again.
        bulk.forget_remembered()
    summary.seconds = time.perf_counter() - started
    return summary


def delete_generated(year: int) -> int:
    """Delete the year's generated rows, children first, with plain DELETEs; return how many.

    Django's delete() would load every row to send signals (and simple_history would write a
    history row for each). A model added later that refers to these rows must be added here:
    the database's foreign keys refuse the deletion at commit otherwise, and nothing is lost.
    """
    generated = {"fiscal_year__year": year, "organization__code__startswith": GEN_PREFIX}
    plans = generated_plans(year)
    items = WorkItem.objects.filter(plan__in=plans)
    indicators = Indicator.objects.filter(**generated)
    agreements = Agreement.objects.filter(**generated)
    lines = BudgetLine.objects.filter(**generated)
    frameworks = PolicyFramework.objects.filter(
        version=str(year), owner__code__startswith=GEN_PREFIX, code__endswith="-strategy"
    )
    querysets: list[models.QuerySet[Any]] = [
        ScoringLevel.objects.filter(kpi__group__agreement__in=agreements),
        AgreementKPI.objects.filter(group__agreement__in=agreements),
        KPIGroup.objects.filter(agreement__in=agreements),
        AgreementClause.objects.filter(agreement__in=agreements),
        agreements,
        IndicatorResult.objects.filter(indicator__in=indicators),
        IndicatorSeriesValue.objects.filter(indicator__in=indicators),
        IndicatorOwner.objects.filter(indicator__in=indicators),
        *_through_rows(Indicator, indicators),
        indicators,
        ProgressEntry.objects.filter(work_item__in=items),
        PlannedMilestone.objects.filter(work_item__in=items),
        WorkItemMonth.objects.filter(work_item__in=items),
        *_through_rows(WorkItem, items),
        items,
        Activity.objects.filter(output__plan__in=plans),
        Output.objects.filter(plan__in=plans),
        plans,
        PolicyNode.objects.filter(framework__in=frameworks),
        frameworks,
        BudgetSpending.objects.filter(line__in=lines),
        BudgetMonth.objects.filter(line__in=lines),
        lines,
        BudgetAllocation.objects.filter(**generated),
        CabinetTarget.objects.filter(fiscal_year__year=year, source=GENERATED_TARGETS),
    ]
    deleted = 0
    for queryset in querysets:
        # _raw_delete: one DELETE … WHERE … IN (subquery), no signals, no rows loaded.
        deleted += queryset._raw_delete(router.db_for_write(queryset.model))
    return deleted


def _through_rows(
    model: type[models.Model], rows: models.QuerySet[Any]
) -> list[models.QuerySet[Any]]:
    """The rows of the model's many-to-many tables that point at the given rows."""
    querysets = []
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        assert through is not None  # Django fills it in when the models load
        source = m2m.m2m_field_name()
        querysets.append(through._default_manager.filter(**{f"{source}__in": rows}))
    return querysets


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split total into whole parts proportional to weights (largest remainder, deterministic)."""
    if not weights:
        return []
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def split_weight(total: Decimal, n: int) -> list[Decimal]:
    """n weights of 4 decimals that add up to total exactly (the last takes the remainder)."""
    base = (total / n).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    return [base] * (n - 1) + [total - base * (n - 1)]


# --- words ----------------------------------------------------------------------------------

MINISTRY_TOPICS = (
    "การคลัง", "การต่างประเทศ", "การท่องเที่ยวและกีฬา", "การพัฒนาสังคม", "การอุดมศึกษาและวิจัย",
    "เกษตรและสหกรณ์", "คมนาคม", "ทรัพยากรธรรมชาติ", "ดิจิทัล", "พลังงาน", "พาณิชย์",
    "การปกครองท้องถิ่น", "ยุติธรรม", "แรงงาน", "วัฒนธรรม", "การศึกษา", "สาธารณสุข",
    "อุตสาหกรรม", "ความมั่นคง", "การบริหารราชการ",
)  # fmt: skip
DEPARTMENT_TOPICS = (
    "ส่งเสริมการเรียนรู้", "พัฒนาฝีมือแรงงาน", "ควบคุมโรค", "ส่งเสริมการเกษตร", "ทางหลวง",
    "ทรัพยากรน้ำ", "บัญชีกลาง", "ส่งเสริมการค้า", "การจัดหางาน", "คุ้มครองสิทธิ",
    "อุตุนิยมวิทยา", "พัฒนาชุมชน", "ส่งเสริมอุตสาหกรรม", "ศิลปากร", "ป่าไม้", "ประมง",
)  # fmt: skip
BUREAU_TOPICS = (
    "นโยบายและแผน", "บริหารกลาง", "เทคโนโลยีสารสนเทศ", "การคลังและบัญชี", "ตรวจสอบภายใน",
    "พัฒนาระบบบริหาร", "ประชาสัมพันธ์", "กฎหมาย", "ทรัพยากรบุคคล", "ความร่วมมือระหว่างประเทศ",
    "ยุทธศาสตร์และติดตามประเมินผล", "วิจัยและพัฒนา",
)  # fmt: skip
HEAD_POSITIONS = {
    Organization.Kind.MINISTRY: "ปลัด",
    Organization.Kind.DEPARTMENT: "อธิบดี",
    Organization.Kind.BUREAU: "ผู้อำนวยการ",
}
PREFIXES = ("นาย", "นาง", "นางสาว")
FIRST_NAMES = (
    "สมชาย", "สมหญิง", "วิไล", "ประเสริฐ", "สุภาพร", "ธนพล", "กนกวรรณ", "อนุชา", "ปิยะนุช",
    "วีระ", "ศิริพร", "ชัยวัฒน์", "รัตนา", "สุรชัย", "มาลัย", "ณัฐพล",
)  # fmt: skip
VERBS = ("พัฒนา", "ส่งเสริม", "ยกระดับ", "เสริมสร้าง", "ปรับปรุง", "ขับเคลื่อน", "บูรณาการ")
OBJECTS = (
    "ระบบสารสนเทศเพื่อการบริหาร", "ศักยภาพบุคลากร", "การให้บริการประชาชน", "เครือข่ายความร่วมมือ",
    "ฐานข้อมูลกลาง", "มาตรฐานการปฏิบัติงาน", "การเข้าถึงบริการดิจิทัล", "ความรู้ด้านการเงินการคลัง",
    "คุณภาพชีวิตผู้สูงอายุ", "การมีส่วนร่วมของชุมชน", "การบริหารความเสี่ยง", "ธรรมาภิบาลในองค์กร",
)  # fmt: skip
OUTPUT_NAMES = (
    "การบริการวิชาการและเผยแพร่องค์ความรู้", "การพัฒนาและส่งเสริมเครือข่าย", "นโยบายและแผนที่มีคุณภาพ",
    "การบริหารจัดการองค์กรที่มีประสิทธิภาพ", "ผู้รับบริการได้รับการพัฒนา", "ระบบข้อมูลเพื่อการตัดสินใจ",
)  # fmt: skip
# (kind, unit, smallest target, largest target) of ordinary items. The bands SQL counts are the
# ones the core stored from the exact percent, so nothing depends on these being small; the
# boundary items (BOUNDARY_TARGETS) sit a hair below the edges on purpose.
TARGETS = {
    WorkItem.Kind.PROJECT: (("คน", 50, 5000), ("ครั้ง", 2, 24), ("แห่ง", 5, 500), ("ระบบ", 1, 3)),
    WorkItem.Kind.PROGRAMME: (("กิจกรรม", 3, 40), ("เรื่อง", 2, 20), ("หลักสูตร", 2, 30)),
    WorkItem.Kind.BUDGET_ITEM: (("งวด", 4, 12), ("รายการ", 1, 50), ("สัญญา", 1, 20)),
}
KIND_WORDS = {
    WorkItem.Kind.PROJECT: "โครงการ",
    WorkItem.Kind.PROGRAMME: "แผนงาน",
    WorkItem.Kind.BUDGET_ITEM: "รายการ",
}
EXCLUSION_REASONS = (
    "เนื่องจากไม่ได้รับการจัดสรรงบประมาณ จึงไม่นำมาคิดผลการดำเนินงาน",
    "ยกเลิกโครงการตามมติที่ประชุมผู้บริหาร",
    "โอนงบประมาณไปดำเนินการโครงการอื่นตามนโยบายเร่งด่วน",
)
EXPLANATIONS = (
    "อยู่ระหว่างดำเนินการจัดซื้อจัดจ้าง คาดว่าจะแล้วเสร็จในไตรมาสถัดไป",
    "เลื่อนกำหนดการจัดกิจกรรมเนื่องจากติดภารกิจของผู้บริหาร",
    "รอการอนุมัติหลักการจากหน่วยงานต้นสังกัด",
    "ผู้รับจ้างส่งมอบงานล่าช้า ได้เร่งรัดและติดตามอย่างใกล้ชิด",
    "ปรับแผนการดำเนินงานให้สอดคล้องกับนโยบายใหม่",
)
BUDGET_NAMES = (
    "ค่าตอบแทน ใช้สอย และวัสดุ", "ค่าสาธารณูปโภค", "ค่าครุภัณฑ์", "ค่าที่ดินและสิ่งก่อสร้าง",
    "เงินอุดหนุนโครงการ", "ค่าจ้างที่ปรึกษา", "ค่าเช่าระบบคอมพิวเตอร์", "เงินเดือนและค่าจ้างประจำ",
)  # fmt: skip
# Standard category code → weight: most lines are operating costs, few are "other".
GENERATED_TARGETS = "ข้อมูลทดสอบที่สร้างขึ้น (tidtam generate)"
FUND_WEIGHTS = {"budget": 80, "off_budget": 8, "revenue": 8, "fund": 4}
PROGRAMMES = (
    "แผนงานบุคลากรภาครัฐ",
    "แผนงานพื้นฐานด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์",
    "แผนงานยุทธศาสตร์พัฒนาคุณภาพการศึกษาและการเรียนรู้",
    "แผนงานบูรณาการรัฐบาลดิจิทัล",
)
CATEGORY_WEIGHTS = {"personnel": 15, "operating": 40, "investment": 20, "subsidy": 20, "other": 5}
STRATEGIES = (
    "พัฒนาระบบบริหารจัดการให้มีประสิทธิภาพและโปร่งใส",
    "ยกระดับคุณภาพการให้บริการประชาชนด้วยเทคโนโลยีดิจิทัล",
    "เสริมสร้างความร่วมมือกับเครือข่ายทุกภาคส่วน",
    "พัฒนาศักยภาพบุคลากรให้พร้อมรับการเปลี่ยนแปลง",
    "ส่งเสริมการมีส่วนร่วมของชุมชนและท้องถิ่น",
    "ขับเคลื่อนการดำเนินงานตามนโยบายรัฐบาลอย่างบูรณาการ",
)
SUBJECTS = ("ผู้รับบริการ", "บุคลากร", "หน่วยงานเครือข่าย", "ชุมชน", "สถานศึกษา", "ผู้ประกอบการ")


# Boundary items: a target of 100,001 (or 100,002) and a result 0.0001 below a band's edge
# (50 % of 100,001 is 50,000.5, so the result 50,000.4999 is 49.99995… %; 80 % of 100,002 is
# 80,001.6, so 80,001.5999 is 79.99995… %).
BOUNDARY_TARGETS = {Decimal(50): 100_001, Decimal(80): 100_002}
BAND_EDGES = tuple(BOUNDARY_TARGETS)
BAND_EDGES_BY_TARGET = {Decimal(target): edge for edge, target in BOUNDARY_TARGETS.items()}
BOUNDARY_STEP = Decimal("0.0001")
LONG_NAME_PARTS = (
    "เพื่อยกระดับคุณภาพการให้บริการประชาชนอย่างทั่วถึงและเป็นธรรม",
    "โดยบูรณาการความร่วมมือกับหน่วยงานภาครัฐ ภาคเอกชน และภาคประชาสังคมในพื้นที่",
    "ตามแผนแม่บทภายใต้ยุทธศาสตร์ชาติและแผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ",
    "รวมทั้งติดตามประเมินผลและรายงานผลการดำเนินงานต่อผู้บริหารทุกไตรมาส",
)


def long_thai_name(name: str, rng: random.Random, limit: int = 480) -> str:
    """A name as long as real project names get (hundreds of characters, no spaces to break at
    in places), within the model's limit."""
    while len(name) < limit - 80:
        name += rng.choice(LONG_NAME_PARTS)
    return name[:limit]


def _pace(rng: random.Random) -> float:
    """How fast an item moves against plan: a mix of slow, on-plan and fast items.

    With a plan due linearly, the 6-month round then puts roughly half the items below 50 %,
    four in ten between 50 and 80 and one in ten above, much like seed 000 (28 / 19 / 5).
    """
    draw = rng.random()
    if draw < 0.25:
        return rng.uniform(0.2, 0.8)
    if draw < 0.8:
        return rng.uniform(0.8, 1.15)
    return rng.uniform(1.15, 1.8)


def _share_due(months: int, start_quarter: int) -> float:
    """The part of the year's work due by the end of a round for work starting in a quarter."""
    done = months - 3 * (start_quarter - 1)
    return min(1.0, max(0.0, done / (12 - 3 * (start_quarter - 1))))


# --- the generator --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Org:
    code: str
    name: str
    short_name: str
    kind: str
    parent: str | None
    weight: float


class _Generator:
    def __init__(
        self,
        year: int,
        scale: Scale,
        rng: random.Random,
        rows: Counter[type[models.Model]],
        *,
        seed: int = 1,
    ) -> None:
        self.year = year
        self.scale = scale
        self.rng = rng
        # The strategic plans draw from their own stream: adding them left every other
        # generated figure as it was.
        self.strategy_rng = random.Random(rng.random())
        # So do the budget's structure, months and allocations.
        self.budget_rng = random.Random(f"{seed}-budget")
        # And the work items' months (สงป. 301).
        self.months_rng = random.Random(f"{seed}-months")
        self.rows = rows
        self.pending: dict[type[models.Model], list[models.Model]] = {}

    # Writing. Parents are created at once (their children need the keys); leaves wait in a
    # buffer and go in batches, which keeps memory flat however many rows there are.

    def create(self, objs: list[M]) -> list[M]:
        if objs:
            type(objs[0])._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
            self.rows[type(objs[0])] += len(objs)
        return objs

    def add(self, obj: models.Model) -> None:
        buffer = self.pending.setdefault(type(obj), [])
        buffer.append(obj)
        if len(buffer) >= BATCH_SIZE:
            self.create(buffer)
            self.pending[type(obj)] = []

    def flush(self) -> None:
        for model, buffer in self.pending.items():
            self.create(buffer)
            self.pending[model] = []

    # The whole run.

    def run(self) -> None:
        load_reference()  # the Budget Bureau's standard categories
        self.fy = ensure_fiscal_year(self.year)
        self.budget_money = FundSource.standard()
        self.rounds = {r.months: r for r in Round.objects.filter(fiscal_year=self.fy)}
        self.categories = list(
            BudgetCategory.objects.filter(
                organization=None, code__in=list(CATEGORY_WEIGHTS)
            ).order_by("code")
        )
        specs = self.org_specs()
        orgs = self.organizations(specs)
        self.children: dict[str, list[Organization]] = {}
        for spec in specs:
            if spec.parent:
                self.children.setdefault(spec.parent, []).append(orgs[spec.code])
        heads = self.people(specs, orgs)
        rng = self.rng
        weights = [spec.weight * rng.uniform(0.5, 1.5) for spec in specs]
        item_counts = allocate(self.scale.work_items, weights)
        kpi_counts = allocate(self.scale.kpis, weights)
        line_counts = allocate(self.scale.budget_lines, weights)
        self.strategies = self.strategic_plans(specs, orgs)
        plans = self.create(
            [
                OperatingPlan(
                    organization=orgs[spec.code],
                    fiscal_year=self.fy,
                    title=f"แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {self.year} ของ{spec.name}",
                    strategic_framework=self.strategies[spec.code][0].framework,
                )
                for spec in specs
            ]
        )
        for spec, plan, n_items, n_kpis, n_lines in zip(
            specs, plans, item_counts, kpi_counts, line_counts, strict=True
        ):
            org = orgs[spec.code]
            lines = self.budget(org, n_lines)
            self.plan(plan, n_items, lines)
            receiver = (
                heads[(spec.parent, "head")] if spec.parent else heads[(spec.code, "minister")]
            )
            self.indicators(org, spec, n_kpis, maker=heads[(spec.code, "head")], receiver=receiver)
        self.flush()

    def org_specs(self) -> list[_Org]:
        """Ministries, their departments and the departments' bureaus (about 1 : 4 : 10)."""
        n = self.scale.organizations
        n_ministries = max(1, round(n / 15))
        n_departments = min(n - n_ministries, round(n * 4 / 15))
        n_bureaus = n - n_ministries - n_departments
        specs: list[_Org] = []
        ministries = []
        for m in range(1, n_ministries + 1):
            topic = MINISTRY_TOPICS[(m - 1) % len(MINISTRY_TOPICS)]
            code = f"{GEN_PREFIX}m{m:02d}"
            ministries.append(code)
            specs.append(
                _Org(code, f"กระทรวงจำลองด้าน{topic} {m}", f"กจ.{m}", "ministry", None, 0.6)
            )
        departments = []
        for d in range(n_departments):
            parent = ministries[d % n_ministries]
            number = d // n_ministries + 1
            code = f"{parent}-d{number:02d}"
            label = code.removeprefix(f"{GEN_PREFIX}m").replace("-d", ".")
            topic = self.rng.choice(DEPARTMENT_TOPICS)
            departments.append(code)
            specs.append(
                _Org(code, f"กรมจำลอง{topic} {label}", f"ก.{label}", "department", parent, 1.4)
            )
        parents = departments or ministries
        for b in range(n_bureaus):
            parent = parents[b % len(parents)]
            number = b // len(parents) + 1
            code = f"{parent}-b{number:02d}"
            label = code.removeprefix(f"{GEN_PREFIX}m").replace("-d", ".").replace("-b", ".")
            topic = self.rng.choice(BUREAU_TOPICS)
            specs.append(
                _Org(code, f"สำนักจำลอง{topic} {label}", f"สจ.{label}", "bureau", parent, 1.0)
            )
        return specs

    def organizations(self, specs: list[_Org]) -> dict[str, Organization]:
        """The organisations by code: existing ones reused, missing ones created parents first."""
        orgs = {o.code: o for o in Organization.objects.filter(code__startswith=GEN_PREFIX)}
        for kind in ("ministry", "department", "bureau"):
            self.create(
                [
                    Organization(
                        code=spec.code,
                        name=spec.name,
                        short_name=spec.short_name,
                        kind=spec.kind,
                        parent=orgs[spec.parent] if spec.parent else None,
                        note=SOURCE_NOTE,
                    )
                    for spec in specs
                    if spec.kind == kind and spec.code not in orgs
                ]
            )
            orgs = {o.code: o for o in Organization.objects.filter(code__startswith=GEN_PREFIX)}
        return orgs

    def people(
        self, specs: list[_Org], orgs: dict[str, Organization]
    ) -> dict[tuple[str, str], Person]:
        """Each organisation's head and each ministry's minister, who sign the agreements.

        Names are invented; the e-mail address (example.org) says whose role a person holds, so
        a second run finds them instead of making them again.
        """
        existing = {
            p.email: p for p in Person.objects.filter(organization__code__startswith=GEN_PREFIX)
        }
        wanted: list[tuple[tuple[str, str], Person]] = []
        rng = self.rng
        for spec in specs:
            roles = [("head", HEAD_POSITIONS[Organization.Kind(spec.kind)] + spec.name)]
            if spec.kind == "ministry":
                roles.append(("minister", f"รัฐมนตรีว่าการ{spec.name}"))
            for role, position in roles:
                wanted.append(
                    (
                        (spec.code, role),
                        Person(
                            prefix=rng.choice(PREFIXES),
                            first_name=rng.choice(FIRST_NAMES),
                            last_name=f"ทดสอบ{rng.randint(1, 9999)}",
                            position=position,
                            organization=orgs[spec.code],
                            office_phone=f"0 2{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                            email=f"{role}.{spec.code}@example.org",
                        ),
                    )
                )
        self.create([person for _, person in wanted if person.email not in existing])
        by_email = {
            p.email: p for p in Person.objects.filter(organization__code__startswith=GEN_PREFIX)
        }
        return {key: by_email[person.email] for key, person in wanted}

    def budget(self, org: Organization, n: int) -> list[BudgetLine]:
        rng = self.rng
        category_weights = [CATEGORY_WEIGHTS[c.code] for c in self.categories]
        lines = self.create(
            [
                BudgetLine(
                    organization=org,
                    fiscal_year=self.fy,
                    category=rng.choices(self.categories, category_weights)[0],
                    number=number,
                    name=f"{rng.choice(BUDGET_NAMES)} {number}",
                    fund_source=self.budget_money,
                    # Log-uniform from 100,000 to about 300 million baht, in satang.
                    annual_plan_baht=Decimal(int(10 ** rng.uniform(7, 10.5))).scaleb(-2),
                )
                for number in range(1, n + 1)
            ]
        )
        self.budget_structure(org, lines)
        for line in lines:
            pace = rng.uniform(0.6, 1.05)
            curve = rng.uniform(0.7, 1.4)
            pending = rng.uniform(0.0, 0.3)

            def by_month(
                months: int,
                line: BudgetLine = line,
                pace: float = pace,
                curve: float = curve,
                pending: float = pending,
            ) -> tuple[Decimal, Decimal]:
                """(disbursed, committed) from 1 October to the end of a month."""
                spent = line.annual_plan_baht * Decimal(min(1.0, pace * (months / 12) ** curve))
                # Commitments turn into payments as the year goes on, so payments only grow.
                committed = spent * Decimal(pending * (12 - months) / 9)
                disbursed = (spent - committed).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
                return disbursed, committed.quantize(Decimal("0.01"), rounding=ROUND_DOWN)

            for months, round_ in self.rounds.items():
                disbursed, committed = by_month(months)
                self.add(
                    BudgetSpending(
                        line=line, round=round_, disbursed_baht=disbursed, committed_baht=committed
                    )
                )
            if self.budget_rng.random() < 0.5:
                self.months(line, by_month)
        return lines

    def budget_structure(self, org: Organization, lines: list[BudgetLine]) -> None:
        """Each line's place in the Budget Bureau's structure, source of funds and carry-over;
        the organisation's allotment (now and then a satang off the lines' total, as real
        allotments are)."""
        rng = self.budget_rng
        funds = {f.code: f for f in FundSource.objects.filter(organization__isnull=True)}
        for line in lines:
            line.code = f"{org.code}-{self.year}-{line.number:04d}"
            line.programme = rng.choice(PROGRAMMES)
            line.output = f"ผลผลิตที่ {rng.randint(1, 3)}"
            line.expense_type = line.category.standard_type
            line.nature = line.category.nature
            line.fund_source = funds[
                rng.choices(list(FUND_WEIGHTS), list(FUND_WEIGHTS.values()))[0]
            ]
            line.carried_over = len(lines) > 2 and rng.random() < 0.1
        BudgetLine.objects.bulk_update(
            lines,
            [
                "code",
                "programme",
                "output",
                "expense_type",
                "nature",
                "fund_source",
                "carried_over",
            ],
        )
        total = sum((line.annual_plan_baht for line in lines if not line.carried_over), Decimal(0))
        if not CabinetTarget.objects.filter(fiscal_year=self.fy).exists():
            # The Cabinet's quarter targets, by type too (FY 2566's published ones, rising).
            CabinetTarget.objects.bulk_create(
                CabinetTarget(
                    fiscal_year=self.fy,
                    quarter=quarter,
                    overall_percent=Decimal(overall),
                    recurrent_percent=Decimal(recurrent),
                    investment_percent=Decimal(investment),
                    source=GENERATED_TARGETS,
                )
                for quarter, overall, recurrent, investment in (
                    (1, 32, 35, 19),
                    (2, 54, 57, 38),
                    (3, 77, 80, 60),
                    (4, 93, 98, 80),
                )
            )
        BudgetAllocation.objects.create(
            organization=org,
            fiscal_year=self.fy,
            fund_source=funds[FundSource.BUDGET],
            amount_baht=total + rng.choice([Decimal(0), Decimal(0), Decimal("0.01")]),
        )
        self.rows[BudgetAllocation] += 1

    def months(self, line: BudgetLine, by_month: Callable[[int], tuple[Decimal, Decimal]]) -> None:
        """A monthly plan (back-loaded for investment) adding up to the line's plan, and each
        month's results, which add up to the rounds' figures."""
        rng = self.budget_rng
        investment = line.nature == BudgetCategory.Nature.INVESTMENT
        weights = [(m if investment else 1) * rng.uniform(0.5, 1.5) for m in range(1, 13)]
        scale = line.annual_plan_baht / Decimal(str(sum(weights)))
        planned = [
            (Decimal(str(w)) * scale).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            for w in weights
        ]
        planned[-1] += line.annual_plan_baht - sum(planned, Decimal(0))
        before = Decimal(0)
        for month in range(1, 13):
            disbursed, committed = by_month(month)
            self.add(
                BudgetMonth(
                    line=line,
                    month=month,
                    planned_baht=planned[month - 1],
                    disbursed_baht=disbursed - before,
                    committed_baht=committed,
                )
            )
            before = disbursed

    def plan(self, plan: OperatingPlan, n_items: int, lines: list[BudgetLine]) -> None:
        rng = self.rng
        n_outputs = 1 if n_items < 10 else rng.randint(2, 5)
        outputs = self.create(
            [
                Output(plan=plan, number=number, name=rng.choice(OUTPUT_NAMES))
                for number in range(1, n_outputs + 1)
            ]
        )
        per_output = max(1, min(6, n_items // (3 * n_outputs)))
        activities = self.create(
            [
                Activity(
                    output=output,
                    number=number,
                    name=f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}",
                )
                for output in outputs
                for number in range(1, rng.randint(1, per_output) + 1)
            ]
        )
        numbers: Counter[int] = Counter()
        items = []
        for _ in range(n_items):
            activity = rng.choice(activities)
            numbers[id(activity)] += 1
            kind = rng.choices(list(TARGETS), (55, 15, 30))[0]
            unit, low, high = rng.choice(TARGETS[kind])
            target = rng.randint(low, high)
            # A few items sit a hair below a band's edge in every round (49.99995 %), where a
            # rounded copy of the percent would cross it; their target is 100,001.
            edge = rng.choice(BAND_EDGES) if rng.random() < 0.03 else None
            if edge is not None:
                target = BOUNDARY_TARGETS[edge]
            excluded = rng.random() < 0.015
            name = f"{KIND_WORDS[kind]}{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
            if rng.random() < 0.01:
                name = long_thai_name(name, rng)
            items.append(
                WorkItem(
                    plan=plan,
                    activity=activity,
                    number=numbers[id(activity)],
                    kind=kind,
                    name=name,
                    target_quantity=Decimal(target),
                    target_unit=unit,
                    target_text=f"{target:,} {unit}",
                    budget_baht=Decimal(rng.randrange(5_000_000, 2_000_000_000)).scaleb(-2)
                    if kind != WorkItem.Kind.BUDGET_ITEM
                    else None,
                    budget_line=rng.choice(lines)
                    if kind == WorkItem.Kind.BUDGET_ITEM and lines
                    else None,
                    later_quarter_from=rng.choices((2, 3, 4), (1, 2, 1))[0]
                    if rng.random() < 0.08
                    else None,
                    excluded=excluded,
                    exclusion_reason=rng.choice(EXCLUSION_REASONS) if excluded else "",
                    source_note=SOURCE_NOTE,
                )
            )
        for item in self.create(items):
            self.progress(item, edge=BAND_EDGES_BY_TARGET.get(item.target_quantity or Decimal(0)))

    def progress(self, item: WorkItem, *, edge: Decimal | None = None) -> None:
        """Planned quantities and cumulative results for all four rounds of one work item;
        with `edge`, a result a hair below that percent of the target in every round."""
        rng = self.rng
        target = item.target_quantity
        assert target is not None
        pace = _pace(rng)
        curve = rng.uniform(0.6, 1.2)
        start = item.later_quarter_from or 1
        explanation = rng.choice(EXPLANATIONS)
        late_status = EntryStatus.APPROVED if rng.random() < 0.7 else EntryStatus.SUBMITTED
        by_round: dict[int, tuple[Decimal, Decimal]] = {}
        for months, round_ in self.rounds.items():
            due = _share_due(months, start)
            planned = Decimal(int(float(target) * due + 0.5))
            # Whole quantities only (see TARGETS): the result of a cumulative count.
            result = Decimal(int(float(target) * pace * due**curve))
            if edge is not None:
                result = target * edge / 100 - BOUNDARY_STEP
            milestone = PlannedMilestone(
                work_item=item,
                round_months=months,
                text=f"ดำเนินการได้ {planned:,} {item.target_unit}" if planned else "",
                planned_quantity=planned,
            )
            self.add(milestone)
            by_round[months] = (planned, result)
            # The service's own formula, so that the stored percentages are the report's.
            computed = compute_percentages(
                work_item=item,
                round_=round_,
                method=PercentMethod.COMPUTED,
                result_quantity=result,
                milestone=milestone,
            )
            thresholds = item.plan.thresholds
            self.add(
                ProgressEntry(
                    work_item=item,
                    round=round_,
                    result_text=f"ดำเนินการได้ {result:,} {item.target_unit}",
                    result_quantity=result,
                    percent_round=stored_percent(computed.round),
                    percent_annual=stored_percent(computed.annual),
                    band=stored_band(computed.annual, thresholds),
                    percent_method=PercentMethod.COMPUTED,
                    explanation=explanation
                    if thresholds.needs_explanation(computed.annual)
                    and explanation_required(item, round_)
                    else "",
                    status=late_status if months == 12 else EntryStatus.APPROVED,
                )
            )
        if len(by_round) == 4 and self.months_rng.random() < 0.3:
            self.item_months(item, by_round)

    def item_months(self, item: WorkItem, by_round: dict[int, tuple[Decimal, Decimal]]) -> None:
        """Months of an item whose sums to each round's end are its milestones and its round
        results (each quarter's amount spread over its three months)."""
        place = Decimal("0.0001")
        before = (Decimal(0), Decimal(0))
        for months in sorted(by_round):
            now = by_round[months]
            parts = []
            for earlier, later in zip(before, now, strict=True):
                share = ((later - earlier) / 3).quantize(place, rounding=ROUND_DOWN)
                parts.append([share, share, later - earlier - 2 * share])
            for offset in range(3):
                self.add(
                    WorkItemMonth(
                        work_item=item,
                        month=months - 2 + offset,
                        planned_quantity=parts[0][offset],
                        result_quantity=parts[1][offset],
                    )
                )
            before = now

    def indicators(
        self, org: Organization, spec: _Org, n: int, *, maker: Person, receiver: Person
    ) -> None:
        """The organisation's KPIs with results per round; most organisations sign an agreement.

        The agreement's scheme is chosen first because a milestone KPI in a three-level
        agreement can only reach level 3.
        """
        rng = self.rng
        in_agreement = rng.randint(4, 10) if n >= 2 and rng.random() < 0.7 else 0
        in_agreement = min(in_agreement, n)
        five_levels = rng.random() < 0.3
        kinds = list(Indicator.MeasureKind)
        indicators = []
        for number in range(1, n + 1):
            kind = rng.choices(kinds, (35, 20, 10, 25, 10))[0]
            indicators.append(self.indicator(org, number, kind))
        projects = self.projects(org, spec, indicators[in_agreement:])
        self.create(indicators)
        self.create(
            [
                IndicatorResponsibility(indicator=indicator, organization=unit, order=order)
                for indicator, units in projects
                for order, unit in enumerate(units)
            ]
        )
        for indicator in indicators:
            top = 5 if five_levels or indicator.number > in_agreement else 3
            self.results(indicator, top_level=top, reviewed=indicator.number <= in_agreement)
        if in_agreement:
            self.agreement(
                org, spec, indicators[:in_agreement], five_levels, maker=maker, receiver=receiver
            )

    def strategic_plans(
        self, specs: list[_Org], orgs: dict[str, Organization]
    ) -> dict[str, list[PolicyNode]]:
        """Each organisation's strategic plan: three to five strategies, some with long names."""
        rng = self.strategy_rng
        frameworks = self.create(
            [
                PolicyFramework(
                    code=f"{spec.code}-strategy",
                    version=str(self.year),
                    name=f"แผนยุทธศาสตร์{spec.name}",
                    level=PolicyFramework.Level.AGENCY_PLAN,
                    owner=orgs[spec.code],
                )
                for spec in specs
            ]
        )
        nodes: dict[str, list[PolicyNode]] = {}
        for spec, framework in zip(specs, frameworks, strict=True):
            names = rng.sample(STRATEGIES, rng.randint(3, 5))
            nodes[spec.code] = self.create(
                [
                    PolicyNode(
                        framework=framework,
                        code=str(number),
                        name=long_thai_name(name, rng) if rng.random() < 0.1 else name,
                        order=number,
                    )
                    for number, name in enumerate(names, start=1)
                ]
            )
        return nodes

    def projects(
        self, org: Organization, spec: _Org, candidates: list[Indicator]
    ) -> list[tuple[Indicator, list[Organization]]]:
        """Some KPIs outside the agreement are projects of the strategic plan, each under a
        strategy with one to three units (the organisation's own, or its divisions)."""
        rng = self.strategy_rng
        units = self.children.get(spec.code) or [org]
        chosen = []
        for indicator in candidates:
            if rng.random() < 0.5:
                continue
            indicator.project_name = f"โครงการ{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
            indicator.strategy = rng.choice(self.strategies[spec.code])
            chosen.append((indicator, rng.sample(units, min(len(units), rng.randint(1, 3)))))
        return chosen

    def indicator(self, org: Organization, number: int, kind: str) -> Indicator:
        rng = self.rng
        subject = rng.choice(SUBJECTS)
        direction = Indicator.Direction.HIGHER
        base: Decimal | None = None
        if kind == Indicator.MeasureKind.QUANTITY:
            unit = rng.choice(("คน", "แห่ง", "ราย"))
            target = Decimal(rng.randint(100, 5000))
            name = f"จำนวน{subject}ที่ได้รับการ{rng.choice(VERBS)}"
            text = f"{target:,} {unit}"
        elif kind == Indicator.MeasureKind.RATIO:
            unit = "ร้อยละ"
            if rng.random() < 0.3:
                direction = Indicator.Direction.LOWER
                target = Decimal(rng.choice((5, 10, 15)))
                name = "ร้อยละของเรื่องร้องเรียนที่ดำเนินการเกิน 30 วัน"
            else:
                target = Decimal(rng.choice((70, 75, 80, 85, 90)))
                name = f"ร้อยละของ{subject}ที่พึงพอใจต่อการให้บริการ"
            text = f"ร้อยละ {target}"
        elif kind == Indicator.MeasureKind.CHANGE:
            unit = "ร้อยละ"
            target = Decimal(rng.choice((3, 5, 10, 15)))
            name = f"ร้อยละที่เพิ่มขึ้นของ{subject}ที่เข้าถึงบริการดิจิทัล"
            text = f"เพิ่มขึ้นร้อยละ {target}"
            # The base year's count, against which the change is measured.
            base = Decimal(rng.randint(200, 5000))
        elif kind == Indicator.MeasureKind.MILESTONE:
            unit = "ระดับ"
            target = Decimal(5)
            name = f"ระดับความสำเร็จของการ{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
            text = "ระดับ 5"
        else:
            unit = ""
            target = None
            name = f"มีแผนการ{rng.choice(VERBS)}{rng.choice(OBJECTS)}ที่ผ่านความเห็นชอบของผู้บริหาร"
            text = "มี"
        return Indicator(
            organization=org,
            fiscal_year=self.fy,
            number=number,
            name=name,
            measure_kind=kind,
            direction=direction,
            unit=unit,
            target_value=target,
            target_text=text,
            base_year=None if base is None else self.year - 1,
            base_value=base,
            description=SOURCE_NOTE,
        )

    def results(self, indicator: Indicator, *, top_level: int, reviewed: bool) -> None:
        rng = self.rng
        pace = _pace(rng)
        kind = indicator.measure_kind
        target = indicator.target_value
        for months, round_ in self.rounds.items():
            share = months / 12
            result = IndicatorResult(indicator=indicator, round=round_, status=EntryStatus.APPROVED)
            if kind == Indicator.MeasureKind.QUANTITY:
                assert target is not None
                result.value = Decimal(int(float(target) * pace * share))
            elif kind == Indicator.MeasureKind.RATIO:
                assert target is not None
                denominator = rng.randint(200, 3000)
                if months == 3 and rng.random() < 0.1:
                    denominator = 0  # nothing to count yet in the first quarter: 0 / 0
                rate = min(1.0, float(target) / 100 * rng.uniform(0.7, 1.3))
                result.numerator = Decimal(int(denominator * rate))
                result.denominator = Decimal(denominator)
                result.value = stored_percent(percent(result.numerator, result.denominator))
                self.unit_results(indicator, round_, result)
            elif kind == Indicator.MeasureKind.CHANGE:
                assert target is not None and indicator.base_value is not None
                growth = Decimal(int(float(target) * 10 * pace * share)).scaleb(-1)
                result.value = round_half_up(indicator.base_value * (100 + growth) / 100, 2)
            elif kind == Indicator.MeasureKind.MILESTONE:
                result.level_reached = min(top_level, int(top_level * pace * share + 0.5))
            else:
                result.met = pace * share >= 0.9
            if result.value is not None:
                result.percent_method = PercentMethod.COMPUTED
                result.percent = stored_percent(indicator_result_percent(indicator, result))
            if reviewed and months == 12:
                result.reviewed_value = result.value
                result.reviewed_level_reached = result.level_reached
                result.reviewed_met = result.met
            self.add(result)

    def unit_results(self, indicator: Indicator, round_: Round, total: IndicatorResult) -> None:
        """An organisation with units under it has them report their own A and B, which add up
        to its ΣA and ΣB (a province's rate from its districts)."""
        units = self.children.get(indicator.organization.code, [])
        if not units or total.denominator is None or total.numerator is None:
            return
        a_parts = allocate(int(total.numerator), [1.0] * len(units))
        b_parts = allocate(int(total.denominator), [1.0] * len(units))
        # Equal shares, remainders to the first units: each unit's A stays within its B.
        for unit, a, b in zip(units, a_parts, b_parts, strict=True):
            self.add(
                IndicatorResult(
                    indicator=indicator,
                    round=round_,
                    unit=unit,
                    numerator=Decimal(a),
                    denominator=Decimal(b),
                    value=stored_percent(percent(Decimal(a), Decimal(b))),
                    status=EntryStatus.APPROVED,
                )
            )

    def agreement(
        self,
        org: Organization,
        spec: _Org,
        indicators: list[Indicator],
        five_levels: bool,
        *,
        maker: Person,
        receiver: Person,
    ) -> None:
        """An agreement whose KPI weights add up to each group's weight and to 100."""
        rng = self.rng
        start = fiscal.fiscal_year_start(self.year)
        agreement = self.create(
            [
                Agreement(
                    organization=org,
                    fiscal_year=self.fy,
                    title=f"คำรับรองการปฏิบัติราชการของ{spec.name}",
                    subtitle=f"ประจำปีงบประมาณ พ.ศ. {self.year}",
                    receiver=receiver,
                    receiver_position=receiver.position,
                    maker=maker,
                    maker_position=maker.position,
                    period_start=start,
                    period_end=fiscal.fiscal_year_end(self.year),
                    signed_on=start + timedelta(days=rng.randint(10, 60)),
                    scheme=Agreement.Scheme.FIVE_LEVEL
                    if five_levels
                    else Agreement.Scheme.THREE_LEVEL,
                    interpolation=rng.choice(list(Agreement.Interpolation)),
                )
            ]
        )[0]
        performance = Decimal(rng.choice((60, 70)))
        groups = self.create(
            [
                KPIGroup(
                    agreement=agreement,
                    code="performance-base",
                    name="องค์ประกอบที่ 1 ประสิทธิผล (Performance Base)",
                    weight=performance,
                    order=1,
                ),
                KPIGroup(
                    agreement=agreement,
                    code="potential-base",
                    name="องค์ประกอบที่ 2 ศักยภาพ (Potential Base)",
                    weight=Decimal(100) - performance,
                    order=2,
                ),
            ]
        )
        first = max(1, min(len(indicators) - 1, round(len(indicators) * 0.6)))
        members = [indicators[:first], indicators[first:]]
        kpis = []
        for group, group_indicators in zip(groups, members, strict=True):
            weights = split_weight(group.weight, len(group_indicators))
            for indicator, weight in zip(group_indicators, weights, strict=True):
                kpis.append(
                    AgreementKPI(
                        group=group, indicator=indicator, number=indicator.number, weight=weight
                    )
                )
        self.create(kpis)
        points = (
            [Decimal(n) for n in range(1, 6)]
            if five_levels
            else [Decimal(50), Decimal(75), Decimal(100)]
        )
        for kpi in kpis:
            for rank, level_points, threshold in zip(
                range(1, len(points) + 1),
                points,
                self.thresholds(kpi.indicator, len(points)),
                strict=True,
            ):
                self.add(
                    ScoringLevel(
                        kpi=kpi,
                        rank=rank,
                        name=f"ระดับ {rank}",
                        points=level_points,
                        threshold=threshold,
                        description=f"ผลการดำเนินงานถึงระดับ {rank}",
                    )
                )

    @staticmethod
    def thresholds(indicator: Indicator, n: int) -> list[Decimal | None]:
        """Thresholds in the KPI's direction ending at its target; none for levels in text."""
        target = indicator.target_value
        if (
            indicator.measure_kind
            in (
                Indicator.MeasureKind.MILESTONE,
                Indicator.MeasureKind.YES_NO,
            )
            or target is None
        ):
            return [None] * n
        steps = [Decimal(1) - Decimal("0.1") * (n - rank) for rank in range(1, n + 1)]
        if indicator.direction == Indicator.Direction.LOWER:
            steps = [Decimal(2) - step for step in steps]
        return [(target * step).quantize(Decimal("0.0001")) for step in steps]
