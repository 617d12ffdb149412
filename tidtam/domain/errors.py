"""The one exception the core raises: a machine-readable code with its parameters."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A broken business rule, described by a code and the values that explain it.

    The core never words the message: `tidtam.messages` turns the code and
    parameters into Thai for the person who has to fix the input.
    """

    code: str
    params: dict[str, object]

    # The code is positional-only so that a parameter may itself be called "code".
    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = dict(params)

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.code}({details})"

    def __repr__(self) -> str:
        return f"DomainError({self!s})"

    # Without this, pickling (background tasks, multiprocessing) would rebuild the
    # error from Exception.args and lose the keyword parameters.
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.code, self.params))


def _rebuild(code: str, params: dict[str, object]) -> DomainError:
    return DomainError(code, **params)
