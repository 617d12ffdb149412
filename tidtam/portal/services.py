"""Publishing a document for the public, and withdrawing it: a planner of the organisation, with
who and when; the document's content is kept as it stood (the public reads that copy)."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tidtam.domain.errors import DomainError
from tidtam.orgs import access
from tidtam.orgs.models import Organization
from tidtam.portal.models import Publication
from tidtam.reports.documents import DOCUMENTS
from tidtam.reports.models import ITAItem
from tidtam.reports.render import render

PUBLISHABLE = tuple(ITAItem.Publication.values)


def _planned(user: Any, organization: Organization) -> None:
    if not access.organizations_planned(user).filter(pk=organization.pk).exists():
        raise DomainError("publication_not_yours", org=organization.label)


def publish(*, user: Any, organization: Organization, year: int, document: str) -> Publication:
    """Put the document of the year in public as it stands now, replacing the copy in public
    (which stays in the record, withdrawn). Refused in Thai when the document cannot be made
    (no plan of the year, say): nothing is published then. Two planners publishing a first
    copy at the same moment: the later one replaces the earlier, as one after the other."""
    _planned(user, organization)
    if document not in PUBLISHABLE:
        raise DomainError("publication_unknown", document=document)
    content = DOCUMENTS[document].content(organization.code, year).model_dump(mode="json")
    try:
        return _put_in_public(user, organization, year, document, content)
    except IntegrityError:
        # The other's first copy went in a moment before (the one-in-public constraint
        # refused this one): now there is a row to lock and replace.
        return _put_in_public(user, organization, year, document, content)


@transaction.atomic
def _put_in_public(
    user: Any, organization: Organization, year: int, document: str, content: dict[str, Any]
) -> Publication:
    now = timezone.now()
    for earlier in Publication.objects.select_for_update().filter(
        organization=organization, year=year, document=document, withdrawn_at__isnull=True
    ):
        earlier.withdrawn_at, earlier.withdrawn_by = now, user
        earlier.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return Publication.objects.create(
        organization=organization,
        year=year,
        document=document,
        content=content,
        published_by=user,
        published_at=now,
    )


@transaction.atomic
def withdraw(*, user: Any, publication: Publication) -> Publication:
    """Take a document out of public (its record stays)."""
    _planned(user, publication.organization)
    locked = Publication.objects.select_for_update().get(pk=publication.pk)
    if locked.withdrawn_at is None:
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), user
        locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return locked


def in_public() -> Any:
    return Publication.objects.filter(withdrawn_at__isnull=True)


def pdf_of(publication: Publication) -> Publication:
    """The publication with its PDF: made from the published content (not today's figures) the
    first time it is asked for, and kept; two people asking at once make it once."""
    if publication.pdf:
        return publication
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if not locked.pdf:
            data = render(locked.content, "pdf")
            name = f"{locked.organization.code}-{locked.year}-{locked.document}.pdf"
            locked.pdf.save(name, ContentFile(data), save=False)
            locked.save(update_fields=["pdf"])
    return locked


def page_of(publication: Publication) -> str:
    """The published copy as its web page: made the first time anyone asks for it and kept in
    the cache every server process shares (a publication's content never changes; a new
    publication of the document is another row)."""
    key = f"tidtam:portal:page:{publication.pk}"
    cache = caches["shared"]
    page = cache.get(key)
    if page is None:
        page = render(publication.content, "html").decode()
        cache.set(key, page, timeout=None)
    return str(page)
