"""DomainError carries a code and parameters and survives pickling."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from tidtam.domain.errors import DomainError


def test_domain_error_keeps_code_and_params() -> None:
    error = DomainError(
        "group_weights_mismatch", group="Potential Base", expected=Decimal(40), actual=Decimal(35)
    )

    assert error.code == "group_weights_mismatch"
    assert error.params == {
        "group": "Potential Base",
        "expected": Decimal(40),
        "actual": Decimal(35),
    }


def test_domain_error_str_names_the_code_and_every_param() -> None:
    error = DomainError("year_looks_ce", field="fiscal_year", value=2024, suggestion=2567)

    assert str(error) == "year_looks_ce(field='fiscal_year', value=2024, suggestion=2567)"
    assert repr(error) == (
        "DomainError(year_looks_ce(field='fiscal_year', value=2024, suggestion=2567))"
    )


def test_domain_error_without_params_prints_empty_parentheses() -> None:
    assert str(DomainError("percent_missing")) == "percent_missing()"


def test_domain_error_accepts_a_parameter_called_code() -> None:
    error = DomainError("unknown_budget_code", code="X1")

    assert error.code == "unknown_budget_code"
    assert error.params == {"code": "X1"}


def test_domain_error_survives_pickling_with_its_params() -> None:
    error = DomainError("negative_amount", field="plan", value=Decimal("-1.50"))

    copy = pickle.loads(pickle.dumps(error))

    assert isinstance(copy, DomainError)
    assert copy.code == "negative_amount"
    assert copy.params == {"field": "plan", "value": Decimal("-1.50")}


def test_domain_error_is_raised_and_caught_as_an_exception() -> None:
    with pytest.raises(DomainError) as caught:
        raise DomainError("invalid_round", months=4)

    assert caught.value.params["months"] == 4
