"""Round work pages: my work, the entry forms with evidence, the review steps, the round's status.

Every object is looked up through the person's reach (`tidtam.orgs.access`): outside it, 404.
Seeing an entry does not make a person its reporter or approver: those steps are checked apart
and refused with a Thai 403.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tidtam.agreements.models import Indicator, IndicatorResult
from tidtam.agreements.services import (
    UnitPart,
    indicator_result_save,
    indicator_unit_results_save,
    result_measure,
    unit_results,
)
from tidtam.audit.services import record_read
from tidtam.concurrency import EntryConflict
from tidtam.domain import workflow
from tidtam.domain.errors import DomainError
from tidtam.domain.progress import Band
from tidtam.messages import band_label, message_for, threshold_words
from tidtam.orgs import policy
from tidtam.orgs.access import descendants_map, with_descendants
from tidtam.orgs.models import Organization
from tidtam.periods import calendar
from tidtam.periods.clock import today
from tidtam.periods.models import Round
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress import kept_files, review
from tidtam.progress.forms import (
    EVIDENCE_HELP,
    EXPLANATION_HELP,
    EntryForm,
    ResultForm,
    ReviewForm,
    UnitPartFormSet,
    UnitVersionForm,
    UnlockForm,
)
from tidtam.progress.models import Evidence, PercentMethod, ProgressEntry
from tidtam.progress.selectors import STATUS_LABELS, kpi_past_years, open_round, round_status
from tidtam.progress.selectors import my_work as my_work_of
from tidtam.progress.services import (
    compute_percentages,
    explanation_required,
    percent_inputs,
    percent_method_for,
    progress_entry_save,
)
from tidtam.reporting import status_label
from tidtam.ui.errors import SAVE_ERRORS, add_save_error, save_error_message, unsaved
from tidtam.ui.permissions import refuse, refuse_read_only

# Which form field a save's error belongs next to (errors naming a field by its label find it
# themselves, see _with_form_field).
ERROR_FIELDS: dict[str, str | None] = {
    "explanation_required": "explanation",
    "percent_note_required": "percent_note",
    "percent_missing_data": "result_quantity",
    "percent_out_of_range": "result_quantity",
    "kpi_value_wrong_kind": None,
}
RESULT_ERROR_FIELDS: dict[str, str | None] = {"kpi_value_wrong_kind": None}


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    work = my_work_of(request.user, today=today(), params=request.GET)
    return render(request, "progress/my_work.html", {"work": work})


# --- a work item's entry ---------------------------------------------------------------------


def _round(round_id: int) -> Round:
    return get_object_or_404(Round.objects.select_related("fiscal_year"), pk=round_id)


def _work_item(request: HttpRequest, work_item_id: int, round_: Round) -> WorkItem:
    return get_object_or_404(
        policy.readable(request.user, WorkItem)
        .filter(plan__fiscal_year=round_.fiscal_year)
        .select_related("plan__organization", "activity__output", "budget_line"),
        pk=work_item_id,
    )


def _method(item: WorkItem, data: dict[str, Any]) -> str:
    """How the entry's percentages are obtained, from the override box and the item's kind."""
    return percent_method_for(item, entered=bool(data.get("override")))


def _percentages(item: WorkItem, round_: Round, data: dict[str, Any]) -> dict[str, Any]:
    """The entry's percentages from what is typed, as the save will compute them."""
    method = _method(item, data)
    milestone, spending = percent_inputs(item, round_)
    try:
        computed = compute_percentages(
            work_item=item,
            round_=round_,
            method=method,
            result_quantity=data.get("result_quantity"),
            entered_round=data.get("percent_round"),
            entered_annual=data.get("percent_annual"),
            milestone=milestone,
            spending=spending,
        )
    except DomainError as error:
        return {"method": method, "round": None, "annual": None, "problem": message_for(error)}
    thresholds = item.plan.thresholds
    return {
        "method": method,
        "round": computed.round,
        "annual": computed.annual,
        "problem": "",
        "needs_explanation": thresholds.needs_explanation(computed.annual)
        and explanation_required(item, round_),
        "explanation_threshold": threshold_words(thresholds)["explanation"],
        "milestone": milestone,
    }


def _entry_initial(entry: ProgressEntry | None) -> dict[str, Any]:
    if entry is None:
        return {}
    entered = entry.percent_method == PercentMethod.ENTERED
    return {
        "result_text": entry.result_text,
        "result_text_annual": entry.result_text_annual,
        "result_quantity": entry.result_quantity,
        "override": entered,
        "percent_round": entry.percent_round if entered else None,
        "percent_annual": entry.percent_annual if entered else None,
        "percent_note": entry.percent_note,
        "explanation": entry.explanation,
        "version": entry.version,
    }


def _evidence_error(form: Any, error: DomainError) -> None:
    form.add_error(
        "evidence",
        message_for(error) + " (ไฟล์ที่เลือกไว้ต้องเลือกใหม่อีกครั้ง ข้อมูลอื่นที่พิมพ์ยังอยู่)",
    )


# --- one reportable entry: a work item's entry or a KPI's result ---------------------------


class EntryKind(ABC):
    """What differs between a work item's entry and a KPI's result. The page, the save, the
    late unlock and the review steps around either are written once (`_entry_page`, `_save`,
    `_unlock`, `_review_step`); the shared rules are `tidtam.reporting`'s."""

    template: str
    page: str  # the page's URL name
    unlock: str
    error_fields: dict[str, str | None]

    @abstractmethod
    def subject(self, request: HttpRequest, subject_id: int, round_: Round) -> Any:
        """The work item or KPI, through the person's reach (404 outside it)."""
        ...

    @abstractmethod
    def organization_id(self, subject: Any) -> int: ...

    @abstractmethod
    def current(self, subject: Any, round_: Round) -> Any | None: ...

    @abstractmethod
    def get_or_create(self, subject: Any, round_: Round) -> Any: ...

    def version(self, subject: Any, round_: Round) -> int:
        current = self.current(subject, round_)
        return int(current.version) if current is not None else 0

    @abstractmethod
    def initial(self, current: Any | None) -> dict[str, Any]:
        """The form's fields as the entry holds them (what the page's form starts from)."""
        ...

    @abstractmethod
    def form(self, request: HttpRequest, subject: Any, current: Any | None) -> Any: ...

    @abstractmethod
    def save(
        self, request: HttpRequest, data: dict[str, Any], subject: Any, round_: Round
    ) -> Any: ...

    def context(
        self, request: HttpRequest, subject: Any, round_: Round, current: Any, form: Any
    ) -> dict[str, Any]:
        """What only this kind's page shows."""
        return {}

    @abstractmethod
    def entry(self, request: HttpRequest, entry_id: int) -> Any:
        """An entry by its id, through the reach of its subject (404 outside it)."""
        ...

    @abstractmethod
    def subject_of(self, entry: Any) -> Any: ...


class _WorkItemEntry(EntryKind):
    template = "progress/entry.html"
    page = "progress:entry"
    unlock = "progress:entry_unlock"
    error_fields = ERROR_FIELDS

    def subject(self, request: HttpRequest, subject_id: int, round_: Round) -> WorkItem:
        return _work_item(request, subject_id, round_)

    def organization_id(self, subject: WorkItem) -> int:
        return subject.plan.organization_id

    def current(self, subject: WorkItem, round_: Round) -> ProgressEntry | None:
        return _current_entry(subject, round_)

    def get_or_create(self, subject: WorkItem, round_: Round) -> ProgressEntry:
        return ProgressEntry.objects.get_or_create(work_item=subject, round=round_)[0]

    def initial(self, current: ProgressEntry | None) -> dict[str, Any]:
        return _entry_initial(current)

    def form(self, request: HttpRequest, subject: WorkItem, current: Any | None) -> EntryForm:
        if request.method == "POST":
            form = EntryForm(request.POST, request.FILES)
        else:
            form = EntryForm(initial=self.initial(current))
        form.fields["explanation"].help_text = EXPLANATION_HELP.format(
            threshold=threshold_words(subject.plan.thresholds)["explanation"]
        )
        return form

    def save(
        self, request: HttpRequest, data: dict[str, Any], subject: WorkItem, round_: Round
    ) -> ProgressEntry:
        override = data["override"]
        return progress_entry_save(
            work_item=subject,
            round_=round_,
            result_text=data["result_text"],
            result_text_annual=data["result_text_annual"],
            result_quantity=data["result_quantity"],
            percent_method=_method(subject, data),
            percent_round=data["percent_round"] if override else None,
            percent_annual=data["percent_annual"] if override else None,
            percent_note=data["percent_note"] if override else "",
            explanation=data["explanation"],
            expected_version=data.get("version"),
            user=request.user,
        )

    def context(
        self, request: HttpRequest, subject: WorkItem, round_: Round, current: Any, form: Any
    ) -> dict[str, Any]:
        typed = (
            form.cleaned_data
            if form.is_bound and hasattr(form, "cleaned_data")
            else _entry_initial(current)
        )
        return {"item": subject, "percent": _percentages(subject, round_, typed)}

    def entry(self, request: HttpRequest, entry_id: int) -> ProgressEntry:
        return get_object_or_404(
            ProgressEntry.objects.filter(
                work_item__in=policy.readable(request.user, WorkItem)
            ).select_related("work_item", "round"),
            pk=entry_id,
        )

    def subject_of(self, entry: ProgressEntry) -> WorkItem:
        return entry.work_item


class _KpiResult(EntryKind):
    template = "progress/result.html"
    page = "progress:result"
    unlock = "progress:result_unlock"
    error_fields = RESULT_ERROR_FIELDS

    def subject(self, request: HttpRequest, subject_id: int, round_: Round) -> Indicator:
        return _indicator(request, subject_id, round_)

    def organization_id(self, subject: Indicator) -> int:
        return subject.organization_id

    def current(self, subject: Indicator, round_: Round) -> IndicatorResult | None:
        return IndicatorResult.objects.filter(
            indicator=subject, round=round_, unit__isnull=True
        ).first()

    def get_or_create(self, subject: Indicator, round_: Round) -> IndicatorResult:
        return IndicatorResult.objects.get_or_create(
            indicator=subject, round=round_, unit__isnull=True, defaults={"unit": None}
        )[0]

    def initial(self, current: IndicatorResult | None) -> dict[str, Any]:
        if current is None:
            return {}
        return {
            "value": current.value,
            "numerator": current.numerator,
            "denominator": current.denominator,
            "level_reached": current.level_reached,
            "met": "" if current.met is None else ("1" if current.met else "0"),
            "narrative": current.narrative,
            "version": current.version,
        }

    def form(self, request: HttpRequest, subject: Indicator, current: Any | None) -> ResultForm:
        levels = _levels(subject)
        if request.method == "POST":
            return ResultForm(request.POST, request.FILES, indicator=subject, levels=levels)
        return ResultForm(initial=self.initial(current), indicator=subject, levels=levels)

    def save(
        self, request: HttpRequest, data: dict[str, Any], subject: Indicator, round_: Round
    ) -> IndicatorResult:
        return indicator_result_save(
            indicator=subject,
            round_=round_,
            value=data.get("value"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            level_reached=data.get("level_reached"),
            met=data.get("met"),
            narrative=data["narrative"],
            expected_version=data.get("version"),
        )

    def context(
        self, request: HttpRequest, subject: Indicator, round_: Round, current: Any, form: Any
    ) -> dict[str, Any]:
        ratio = subject.measure_kind == Indicator.MeasureKind.RATIO
        return {
            "indicator": subject,
            "measured": _measured(subject, current),
            "units": unit_results(subject, round_) if ratio else [],
            "past_years": [
                (past, _measured(past.indicator, past)) for past in kpi_past_years(subject)
            ],
        }

    def entry(self, request: HttpRequest, entry_id: int) -> IndicatorResult:
        return get_object_or_404(
            IndicatorResult.objects.filter(
                indicator__in=policy.readable(request.user, Indicator)
            ).select_related("indicator", "round"),
            pk=entry_id,
        )

    def subject_of(self, entry: IndicatorResult) -> Indicator:
        return entry.indicator


WORK_ITEM: EntryKind = _WorkItemEntry()
KPI: EntryKind = _KpiResult()


def _entry_page(
    request: HttpRequest, kind: EntryKind, subject_id: int, round_id: int
) -> HttpResponse:
    """The page of one entry: its form while the entry is the reporter's and the round open
    (or a planner let it be changed late), its review panel, evidence and trail."""
    round_ = _round(round_id)
    subject = kind.subject(request, subject_id, round_)
    current = kind.current(subject, round_)
    can_report = policy.may_report(request.user, subject)
    state = _entry_state(request, current, kind.organization_id(subject), round_, can_report)
    conflict: EntryConflict | None = None
    refused = False
    if request.method == "POST":
        refuse_read_only(request.user)
        refuse(can_report)
        # The round closed, or the entry was sent or approved, while they typed: nothing is
        # saved, and the page (409) shows what they typed instead of losing it.
        refused = not state["editable"]
    form = kind.form(request, subject, current)
    if refused:
        kept = kept_files.names(form["kept_files"].value() or "", request.user)
        if not kept and _already_saved(request, kind, form, current):
            # The second request of a double-click, or a resend: what it holds is saved already.
            return redirect(request.path)
        state["unsaved"] = unsaved(request, [form], _unless_shown(state), kept=kept)
    elif request.method == "POST" and form.is_valid():
        saved, conflict = _save(request, kind, form, subject, round_)
        if saved is not None:
            return redirect(request.path)
        current = kind.current(subject, round_)
    form.fields["evidence"].help_text = EVIDENCE_HELP.format(
        max_mb=settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
    )
    return render(
        request,
        kind.template,
        {
            "round": round_,
            "entry": current,
            "form": form,
            **state,
            "conflict": conflict,
            # What a conflict kept (set on the form by the save); a refused save keeps nothing.
            "kept_files": []
            if refused
            else kept_files.names(form["kept_files"].value() or "", request.user),
            "evidence": review.evidence_of(current) if current else [],
            "steps": review.review_steps(current) if current else [],
            "status_label": STATUS_LABELS[current.status if current else "not_started"],
            "review_form": ReviewForm(),
            "unlock_form": UnlockForm(),
            "unlock_url": reverse(kind.unlock, args=[subject.pk, round_.pk]),
            **kind.context(request, subject, round_, current, form),
        },
        status=409 if refused else 200,
    )


def _already_saved(request: HttpRequest, kind: EntryKind, form: Any, current: Any) -> bool:
    """Whether a refused POST (keeping no file from an earlier try) asks only what was done
    already: each field, cleaned, equals the same field cleaned from the entry's own values;
    each file it sends is attached already; and, asking to submit, the entry was submitted (a
    draft in a closed round was not)."""
    if current is None or not form.is_valid():
        return False
    if request.POST.get("submit") == "1" and workflow.is_editable(current.status):
        return False
    if not review.attached_already(current, form.cleaned_data["evidence"], request.user):
        return False
    stored = kind.initial(current)
    for name, typed in form.cleaned_data.items():
        if name in ("version", "kept_files", "evidence"):
            continue
        field = form.fields[name]
        try:
            held = field.clean(field.prepare_value(stored.get(name)))
        except ValidationError:
            return False
        if held != typed:
            return False
    return True


def _unless_shown(state: dict[str, Any]) -> str:
    """Why a save was refused, unless the page's closed-round notice already says it."""
    shown = state["round_closed"] and not state["late_edit_allowed"]
    return "" if shown else str(state["locked_message"])


@login_required
def entry(request: HttpRequest, work_item_id: int, round_id: int) -> HttpResponse:
    """One form per work item per round: result, quantity, percentages, explanation, evidence."""
    return _entry_page(request, WORK_ITEM, work_item_id, round_id)


def _current_entry(item: WorkItem, round_: Round) -> ProgressEntry | None:
    """The item's entry for the round, holding the item and round the page has (not read again)."""
    current = ProgressEntry.objects.filter(work_item=item, round=round_).order_by().first()
    if current is not None:
        current.work_item, current.round = item, round_
    return current


def _entry_state(
    request: HttpRequest, current: Any, organization_id: int, round_: Round, can_report: bool
) -> dict[str, Any]:
    """What the page may offer: editing, approving, a planner's late unlock, and why not."""
    schedule = calendar.schedule_for(round_, organization_id)
    open_ = schedule.is_open
    late = current is not None and current.late_edit_allowed
    status_ok = current is None or workflow.is_editable(current.status)
    label = _entry_name(current) if current is not None else ""
    locked_message = ""
    if not status_ok:
        locked_message = message_for(
            DomainError("entry_locked", item=label, status=status_label(current.status))
        )
    elif not (open_ or late):
        locked_message = message_for(calendar.closed_error(round_, schedule, label or "รายการนี้"))
    can_approve = current is not None and policy.may_approve(request.user, current)
    own = (
        can_approve
        and current.status == workflow.Status.SUBMITTED
        and not review.may_approve_own(current, request.user)
    )
    return {
        "editable": can_report and status_ok and (open_ or late),
        "round_closed": not open_,
        "late_edit_allowed": late,
        "locked_message": locked_message,
        "can_approve": can_approve and not own,
        "approve_blocked_own": own,
        "can_unlock": not open_
        and not late
        and policy.may_plan(request.user, organization_id)
        and (current is None or workflow.is_editable(current.status)),
    }


def _entry_name(entry: Any) -> str:
    return review.entry_label(entry)


def _kept_uploads(request: HttpRequest, form: Any) -> list[Any]:
    return kept_files.opened(form.cleaned_data.get("kept_files") or "", request.user)


def _on_conflict(request: HttpRequest, form: Any, conflict: EntryConflict, version: int) -> None:
    """Keep what was typed and the files, and let the next save knowingly go over the change."""
    token = kept_files.keep(
        form.cleaned_data.get("evidence") or [],
        request.user,
        form.cleaned_data.get("kept_files") or "",
    )
    data = form.data.copy()
    data["version"] = str(version)
    data["kept_files"] = token
    form.data = data
    form.add_error(None, message_for(conflict))


def _save(
    request: HttpRequest, kind: EntryKind, form: Any, subject: Any, round_: Round
) -> tuple[Any | None, EntryConflict | None]:
    """Save what the form holds through the kind's service, attach its files and (when asked)
    submit it, all or nothing; a refusal goes on the form, what was typed stays."""
    data = form.cleaned_data
    submit = request.POST.get("submit") == "1"
    kept = _kept_uploads(request, form)
    try:
        with transaction.atomic():
            saved = kind.save(request, data, subject, round_)
            _attach(request, form, saved, [*kept, *data["evidence"]])
            if submit:
                review.entry_review(entry=saved, action="submit", user=request.user)
    except EntryConflict as conflict:
        _on_conflict(request, form, conflict, kind.version(subject, round_))
        return None, conflict
    except SAVE_ERRORS as error:
        if "evidence" not in form.errors:
            add_save_error(form, _with_form_field(form, error), fields=kind.error_fields)
        return None, None
    finally:
        for handle in kept:
            handle.close()
    kept_files.discard(data.get("kept_files") or "", request.user)
    messages.success(
        request,
        "ส่งผลแล้ว รอผู้อนุมัติตรวจ" if submit else "บันทึกร่างแล้ว (ยังไม่ได้ส่ง)",
    )
    return saved, None


def _attach(request: HttpRequest, form: Any, saved: Any, uploads: list[Any]) -> None:
    for upload in uploads:
        try:
            review.evidence_add(entry=saved, upload=upload, user=request.user)
        except DomainError as error:
            _evidence_error(form, error)
            raise


@login_required
@require_POST
def entry_preview(request: HttpRequest, work_item_id: int, round_id: int) -> HttpResponse:
    """The percentages of what is typed, computed by the same rules as the save (htmx)."""
    round_ = _round(round_id)
    item = _work_item(request, work_item_id, round_)
    form = EntryForm(request.POST)
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    return render(
        request,
        "progress/_percentages.html",
        {"percent": _percentages(item, round_, data), "item": item, "round": round_},
    )


# --- a KPI's result ----------------------------------------------------------------------------


def _indicator(request: HttpRequest, indicator_id: int, round_: Round) -> Indicator:
    return get_object_or_404(
        policy.readable(request.user, Indicator)
        .filter(fiscal_year=round_.fiscal_year)
        .select_related("organization"),
        pk=indicator_id,
    )


def _levels(indicator: Indicator) -> int:
    from tidtam.agreements.models import ScoringLevel

    ranks = ScoringLevel.objects.filter(kpi__indicator=indicator).values_list("rank", flat=True)
    return max(ranks, default=5)


@login_required
def result(request: HttpRequest, indicator_id: int, round_id: int) -> HttpResponse:
    """One form per KPI per round: value, A and B, level or met, narrative, evidence."""
    return _entry_page(request, KPI, indicator_id, round_id)


def _measured(indicator: Indicator, result: IndicatorResult | None) -> Any:
    """The result as the core reads it, or None (nothing yet, or a result it cannot read: the
    page still opens so that the reporter can correct it)."""
    if result is None:
        return None
    try:
        return result_measure(indicator, result)
    except DomainError:
        return None


@login_required
def result_units(request: HttpRequest, indicator_id: int, round_id: int) -> HttpResponse:
    """A ratio KPI's A and B per reporting unit; the agency's result is ΣA / ΣB."""
    round_ = _round(round_id)
    indicator = _indicator(request, indicator_id, round_)
    if indicator.measure_kind != Indicator.MeasureKind.RATIO:
        messages.info(
            request,
            "ตัวชี้วัดนี้ไม่ใช่แบบอัตราส่วน จึงไม่มีผลรายหน่วยงานที่รวมเป็น ΣA/ΣB — รายงานผลในหน้านี้",
        )
        return redirect("progress:result", indicator_id=indicator.pk, round_id=round_.pk)
    current = IndicatorResult.objects.filter(
        indicator=indicator, round=round_, unit__isnull=True
    ).first()
    can_report = policy.may_report(request.user, indicator)
    state = _entry_state(request, current, indicator.organization_id, round_, can_report)
    units = Organization.objects.filter(
        pk__in=with_descendants({indicator.organization_id}, descendants_map())
    ).order_by("code")
    rows = unit_results(indicator, round_)
    error = ""
    if request.method == "POST":
        refuse_read_only(request.user)
        refuse(can_report)
        formset = UnitPartFormSet(request.POST, units=units)  # type: ignore[call-arg]
        version = UnitVersionForm(request.POST)
        if not state["editable"]:
            # As on the result's page: nothing saved, what was typed shown (409).
            state["unsaved"] = unsaved(request, formset.forms, str(state["locked_message"]))
        elif formset.is_valid() and version.is_valid():
            parts = [
                UnitPart(
                    f.cleaned_data["unit"],
                    f.cleaned_data["numerator"],
                    f.cleaned_data["denominator"],
                )
                for f in formset.forms
                if f.cleaned_data.get("unit") is not None
            ]
            try:
                indicator_unit_results_save(
                    indicator=indicator,
                    round_=round_,
                    parts=parts,
                    expected_version=version.cleaned_data.get("version"),
                )
            except SAVE_ERRORS as caught:
                # A conflict too: its message names who changed the result and when.
                error = save_error_message(caught)
            else:
                messages.success(request, "บันทึกผลรายหน่วยงานแล้ว ผลรวมของตัวชี้วัดคำนวณเป็น ΣA/ΣB")
                return redirect(request.path)
        status = 400 if state["editable"] else 409
    else:
        formset = UnitPartFormSet(
            initial=[
                {"unit": r.unit, "numerator": r.numerator, "denominator": r.denominator}
                for r in rows
            ],
            units=units,  # type: ignore[call-arg]
        )
        version = UnitVersionForm(initial={"version": current.version if current else 0})
        status = 200
    measured = result_measure(indicator, current) if current else None
    return render(
        request,
        "progress/result_units.html",
        {
            "indicator": indicator,
            "round": round_,
            "entry": current,
            "formset": formset,
            "version_form": version,
            "rows": [(r, result_measure(indicator, r)) for r in rows],
            "measured": measured,
            "error": error,
            **state,
        },
        status=status,
    )


def _with_form_field(form: Any, error: Exception) -> Exception:
    """A rule broken on a named field ("ผล (จำนวน)") is shown next to the form field of that label."""
    if isinstance(error, DomainError) and "form_field" not in error.params:
        label = str(error.params.get("field", ""))
        for name, field in form.fields.items():
            if label and str(field.label).startswith(label):
                error.params["form_field"] = name
                break
    return error


# --- a planner's leave to change one entry after the round closed ---------------------------


def _unlock(request: HttpRequest, kind: EntryKind, subject_id: int, round_id: int) -> HttpResponse:
    """A planner's leave to change one entry after its round closed, with the reason."""
    round_ = _round(round_id)
    subject = kind.subject(request, subject_id, round_)
    back = reverse(kind.page, args=[subject.pk, round_.pk])
    refuse_read_only(request.user)
    refuse(policy.may_plan(request.user, kind.organization_id(subject)))
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["reason"]))
        return redirect(back)
    try:
        with transaction.atomic():
            # An entry nobody reported before the round closed is made (empty) here.
            review.entry_unlock(
                entry=kind.get_or_create(subject, round_),
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
    except DomainError as error:
        messages.error(request, message_for(error))
    else:
        messages.success(request, "อนุญาตให้แก้ไขรายการนี้หลังปิดรอบแล้ว ผู้รายงานบันทึกและส่งผลได้อีกครั้ง")
    return redirect(back)


@login_required
@require_POST
def entry_unlock(request: HttpRequest, work_item_id: int, round_id: int) -> HttpResponse:
    return _unlock(request, WORK_ITEM, work_item_id, round_id)


@login_required
@require_POST
def result_unlock(request: HttpRequest, indicator_id: int, round_id: int) -> HttpResponse:
    return _unlock(request, KPI, indicator_id, round_id)


# --- review steps ------------------------------------------------------------------------------


def _review(
    request: HttpRequest, entry: Any, *, can_report: bool, can_approve: bool, back: str
) -> HttpResponse:
    refuse_read_only(request.user)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "ไม่รู้จักขั้นตอนที่เลือก — กดปุ่มในหน้ารายการอีกครั้ง")
        return redirect(back)
    action = form.cleaned_data["action"]
    refuse(can_report if action == "submit" else can_approve)
    try:
        review.entry_review(
            entry=entry, action=action, user=request.user, comment=form.cleaned_data["comment"]
        )
    except DomainError as error:
        messages.error(request, message_for(error))
    else:
        done = {
            "submit": "ส่งผลแล้ว รอผู้อนุมัติตรวจ",
            "approve": "อนุมัติแล้ว รายการนี้ถูกล็อกไม่ให้แก้ไข",
            "return": "ส่งกลับให้ผู้รายงานแก้ไขแล้ว พร้อมความเห็น",
            "reopen": "เปิดรายการใหม่แล้ว ผู้รายงานแก้ไขได้อีกครั้ง",
        }
        messages.success(request, done[action])
    return redirect(back)


@login_required
@require_POST
def entry_review(request: HttpRequest, entry_id: int) -> HttpResponse:
    return _review_step(request, WORK_ITEM, entry_id)


@login_required
@require_POST
def result_review(request: HttpRequest, result_id: int) -> HttpResponse:
    return _review_step(request, KPI, result_id)


def _review_step(request: HttpRequest, kind: EntryKind, entry_id: int) -> HttpResponse:
    entry = kind.entry(request, entry_id)
    subject = kind.subject_of(entry)
    return _review(
        request,
        entry,
        can_report=policy.may_report(request.user, subject),
        can_approve=policy.may_approve(request.user, subject),
        back=reverse(kind.page, args=[subject.pk, entry.round_id]),
    )


# --- evidence ----------------------------------------------------------------------------------


def _evidence(request: HttpRequest, evidence_id: int) -> tuple[Evidence, Any, bool]:
    """The evidence if its entry is readable (else 404), its entry, and whether I report it."""
    evidence = get_object_or_404(Evidence.objects.select_related("content_type"), pk=evidence_id)
    entry_obj = evidence.entry
    if entry_obj is None or not policy.may_read_evidence(request.user, evidence):
        raise Http404
    return evidence, entry_obj, policy.may_report(request.user, entry_obj)


def _entry_url(entry_obj: Any) -> str:
    return str(entry_obj.get_absolute_url())


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence, _, _ = _evidence(request, evidence_id)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_read(user=request.user, kind="evidence", obj=evidence)
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@login_required
@require_POST
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence, entry_obj, can_report = _evidence(request, evidence_id)
    refuse_read_only(request.user)
    refuse(can_report)
    try:
        review.evidence_remove(evidence=evidence, user=request.user)
    except DomainError as error:
        messages.error(request, message_for(error))
    else:
        messages.success(request, f'นำไฟล์ "{evidence.original_name}" ออกแล้ว')
    return redirect(_entry_url(entry_obj))


# --- the round's status ------------------------------------------------------------------------


def _status_plans(request: HttpRequest) -> Any:
    """The plans whose round status the person reads: those they may read (the access policy)."""
    plans = policy.readable(request.user, OperatingPlan).select_related(
        "organization", "fiscal_year"
    )
    return plans.order_by("-fiscal_year__year", "organization__code")


@login_required
@require_GET
def round_status_default(request: HttpRequest) -> HttpResponse:
    """The chosen plan and round (?plan=&months=), else the open round of the first plan in reach."""
    plans = _status_plans(request)
    current = open_round(plans.values_list("organization_id", flat=True))
    if request.GET.get("plan", "").isdigit():
        plan = get_object_or_404(plans, pk=int(request.GET["plan"]))
    else:
        plan = (plans.filter(fiscal_year=current.fiscal_year).first() if current else None) or (
            plans.first()
        )
    if plan is None:
        return render(request, "progress/round_status.html", {"status": None, "plans": []})
    rounds = Round.objects.filter(fiscal_year=plan.fiscal_year)
    months = request.GET.get("months", "")
    round_ = (
        rounds.filter(months=int(months)).first()
        if months.isdigit()
        else (current if current and current.fiscal_year_id == plan.fiscal_year_id else None)
    ) or rounds.order_by("-months").first()
    if round_ is None:
        raise Http404
    return redirect("progress:round_status", plan_id=plan.pk, round_id=round_.pk)


@login_required
@require_GET
def round_status_view(request: HttpRequest, plan_id: int, round_id: int) -> HttpResponse:
    """For planners, approvers, executives and auditors: status per unit and the band table."""
    plan = get_object_or_404(_status_plans(request), pk=plan_id)
    round_ = get_object_or_404(Round.objects.filter(fiscal_year=plan.fiscal_year), pk=round_id)
    status = round_status(plan, round_, request.GET)
    bands = [
        (
            band,
            band_label(band, status.table.thresholds),
            status.table.band_totals[band],
            status.table.share(band),
        )
        for band in (Band.LATER_QUARTER, Band.BELOW_50, Band.FROM_50, Band.FROM_80)
    ]
    return render(
        request,
        "progress/round_status.html",
        {
            "status": status,
            "bands": bands,
            "plans": _status_plans(request),
            "rounds": Round.objects.filter(fiscal_year=plan.fiscal_year),
            "status_labels": STATUS_LABELS,
            "totals": [
                (key, label, status.status_totals.get(key, 0))
                for key, label in STATUS_LABELS.items()
            ],
        },
    )
