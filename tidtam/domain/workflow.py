"""The review workflow of a round's entry: draft → submitted → approved, or returned for revision."""

from __future__ import annotations

from enum import StrEnum

from tidtam.domain.errors import DomainError
from tidtam.domain.thai import has_text


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    REOPEN = "reopen"
    # Not a move of status: a planner lets one entry be changed after its round closed.
    UNLOCK = "unlock"


# Which action moves an entry from which status to which. Reopening an approved entry sends it
# back to its reporter (returned), so that it shows in their work with the reason.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.RETURNED, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.RETURN): Status.RETURNED,
    (Status.SUBMITTED, Action.APPROVE): Status.APPROVED,
    (Status.APPROVED, Action.REOPEN): Status.RETURNED,
}

# Actions that must say why: a return tells the reporter what to fix; a reopening tells
# everyone why an approved figure changes.
NEEDS_COMMENT = frozenset({Action.RETURN, Action.REOPEN})


def next_status(status: str, action: str, *, comment: str = "", item: str = "") -> Status:
    """The status after `action`, or a DomainError that says why the step is not allowed."""
    current, step = Status(status), Action(action)
    target = TRANSITIONS.get((current, step))
    if target is None:
        raise DomainError("transition_not_allowed", item=item, status=current, action=step)
    if step in NEEDS_COMMENT and not has_text(comment):
        raise DomainError("comment_required", item=item, action=step)
    return target


def is_editable(status: str) -> bool:
    """Whether the reporter may change the entry: only before submitting, or after a return."""
    return Status(status) in (Status.DRAFT, Status.RETURNED)


def is_repeat(status: str, action: str, *, last_action: str | None, same_actor: bool) -> bool:
    """Whether a request repeats the step that brought the entry where it is: the same person's
    same action (a double click, a resent form). It is answered as done, never made twice."""
    reached = {target for (_, step), target in TRANSITIONS.items() if step == action}
    return same_actor and last_action == action and Status(status) in reached


def check_segregation(*, action: str, actor_submitted: bool, segregate: bool, item: str) -> None:
    """The approver of an entry is never the person who submitted it, where the organisation
    keeps these duties apart (one person may hold both roles on a unit)."""
    if segregate and actor_submitted and Action(action) == Action.APPROVE:
        raise DomainError("approver_is_submitter", item=item)
