"""Sign-in forms that refuse an over-long user name before it reaches authentication.

Django's AuthenticationForm sets the user name's max_length after the field is built, so no
length validator runs: a 20,000-character name went on to authenticate(), and django-axes wrote
it into its failure log, which PostgreSQL refuses (varchar 255) with a 500.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class _LimitedUserName:
    fields: dict[str, Any]

    def _limit_user_name(self) -> None:
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(_LimitedUserName, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit_user_name()


class AdminSignInForm(_LimitedUserName, AdminAuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limit_user_name()
