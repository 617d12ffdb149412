"""Background tasks of the reports app, run by `tidtam db_worker` (Django's tasks API)."""

from __future__ import annotations

from django_tasks import task

from tidtam.reports.services import render_job_run


@task()
def render_document(job_id: str) -> str:
    """Render a queued RenderJob; the job itself records progress, the file and any error."""
    return render_job_run(job_id)
