"""Background tasks of the Excel import, run by `tidtam db_worker` (Django's tasks API)."""

from __future__ import annotations

from django_tasks import task

from tidtam.transfer.jobs import job_apply, job_check


@task()
def import_check(job_id: str) -> str:
    """Read and check an upload into its preview (nothing is kept)."""
    return job_check(job_id)


@task()
def import_apply(job_id: str) -> str:
    """Write a confirmed upload, all or nothing."""
    return job_apply(job_id)
