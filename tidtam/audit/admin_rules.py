"""What every admin page that saves through a service needs: the service's Thai refusal.

A service refuses with a DomainError; in the admin that would be a 500 page and a half-saved
change. The admin's change view runs in one transaction, so letting the error leave it rolls
everything back; the person then sees the Thai message on the page they came from.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from tidtam.domain.errors import DomainError
from tidtam.messages import message_for

NOT_SAVED = "ยังไม่ได้บันทึกการแก้ไขนี้: "


class ServiceSavesAdmin(SimpleHistoryAdmin):
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            messages.error(request, NOT_SAVED + message_for(error))
        except ValidationError as error:
            messages.error(request, NOT_SAVED + " ".join(error.messages))
        return HttpResponseRedirect(request.get_full_path())
