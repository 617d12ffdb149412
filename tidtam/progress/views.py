"""Round work pages: my work, entry forms with evidence, the review, the round's status."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    return render(request, "progress/my_work.html", {})
