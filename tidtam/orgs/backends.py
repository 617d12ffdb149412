"""Signing in: Django's own password check, with the person loaded alongside the user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PersonModelBackend(ModelBackend):
    """Django's ModelBackend, whose `get_user` (run on every request of a signed-in session)
    fetches the user's Person in the same query: every page asks for it (the person's reach,
    their name in the menu), which otherwise costs a query of its own on each request."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("person").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
