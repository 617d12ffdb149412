"""Fixtures for the Django tests: the two seed agencies loaded once per test session."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.conftest import freeze_long_lived
from tidtam.seeds.loader import load_all

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


@pytest.fixture(scope="session", autouse=True)
def _test_process_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Django's advice for tests: a fast hasher, so that the cast's nine passwords (and every
    user a test makes) cost microseconds instead of half a second each (the servers the
    subprocess tests start keep the production hashers). Files go to folders of this test
    process: the suite runs in two processes at once (make test: pytest -n 2), each with its own
    database, whose first evidence file and first document would otherwise share a name."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    files = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = files / "media"
    settings.EVIDENCE_ROOT = files / "evidence"


@pytest.fixture(scope="session")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Both seeds in the test database; each test still runs in its own rolled-back transaction."""
    with django_db_blocker.unblock():
        load_all()
    freeze_long_lived()
    yield


def squash(text: str) -> str:
    """Text without whitespace or markup, to find a sentence in a PDF's extracted text."""
    return re.sub(r"\s+|\*\*|</?b>|#", "", text)


@pytest.fixture(scope="session")
def seed_000_text() -> str:
    return squash((SEEDS / "000_7962793cf9134626.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_004_text() -> str:
    return squash((SEEDS / "004_5599790ad112da21.txt").read_text(encoding="utf-8"))


def run_report(*args: str) -> dict[str, Any]:
    """Run `tidtam report …` as a user would and read its JSON."""
    out = StringIO()
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TIDTAM_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="session")
def office() -> None:
    """LibreOffice and poppler-utils: `make test` installs them first when missing
    (scripts/ensure-office.sh, as root); never from inside pytest. Missing, the PDF tests are
    skipped with the reason, which CI turns into a failure."""
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip(
            "LibreOffice / poppler-utils missing: run scripts/ensure-office.sh as root "
            "(apt-get install libreoffice-writer-nogui poppler-utils)"
        )


def report_data(code: str, org: str, year: int, months: int = 12) -> dict[str, Any]:
    """A document's data, built through the same registry the command and the web app use."""
    from tidtam.reports.documents import DOCUMENTS

    return DOCUMENTS[code].data(org, year, months)


CAST_PASSWORD = "tidtam-test-password"


@pytest.fixture(scope="session")
def cast(seeded: None, django_db_blocker: Any) -> None:
    """The demo cast (tidtam/seeds/cast.py) on the seeds: planner, reporter (สนย.), reporter2
    (ภนย.), approver (สนย. and ภนย.), executive, auditor of สมศ.; bic-planner of another
    organisation (สต.); moe-planner of the ministry above สต."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tidtam.seeds.cast import load_cast

    with django_db_blocker.unblock():
        load_cast(CAST_PASSWORD)
        # Each member signed in once, for the whole run (committed, outside every test's
        # transaction): a test's client takes the session instead of signing in again.
        for user in get_user_model().objects.all():
            client = Client()
            client.force_login(user)
            _CAST_SESSIONS[user.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    freeze_long_lived()


# The cast's sessions (username → session key), made once by the `cast` fixture.
_CAST_SESSIONS: dict[str, str] = {}


def signed_in(client: Any, username: str) -> Any:
    """The test client signed in as a cast member (no password round trip: axes is tested
    apart): the member's session made once for the run (`cast`), else a new sign-in. Signing
    in was a fifth of the role matrix's time."""
    from django.contrib.auth import get_user_model

    key = _CAST_SESSIONS.get(username)
    if key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        return client
    client.force_login(get_user_model().objects.get(username=username))
    return client


def admin_signed_in(client: Any, user: Any) -> Any:
    """The client signed in as a staff member who has passed the admin's second factor: a TOTP
    device is made for them and its current code typed into the real verification form."""
    from django.urls import reverse
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # A device of its own each time: a TOTP code is accepted once, and two clients of one
    # user in the same 30 seconds would otherwise share it.
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    code = str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)
    response = client.post(reverse("otp_verify"), {"token": code, "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def open_round_for(year: int, months: int, *codes: str) -> Any:
    """Open a round in these organisations' calendars (by code; สมศ. when none is named), as
    their planner does on /rounds/; returns the round."""
    from tidtam.orgs.models import Organization
    from tidtam.periods.models import Round
    from tidtam.periods.services import round_open

    round_ = Round.objects.select_related("fiscal_year").get(fiscal_year__year=year, months=months)
    for organization in Organization.objects.filter(code__in=codes or ("onesqa",)):
        round_open(round_=round_, organization=organization)
    return round_
