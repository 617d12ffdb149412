"""Production mode as the operator's section of the README sets it up, run as real processes:
`tidtam check --deploy` finds nothing to warn about, and `tidtam serve` (gunicorn) answers with
WhiteNoise's static files, the security headers and no debug page.

The static files are the run's own (`static_root` in tests/conftest.py: `tidtam collectstatic`
once per run, under the developer settings, not tidtam.env); the rest is the operator's setup."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.app.scratch_project import SCHEMA_FROM_THE_MODELS, Project, copy_of

ROOT = Path(__file__).resolve().parents[2]
TIDTAM = [str(Path(sys.executable).parent / "tidtam")]
DEPLOY_ENV = ROOT / "docs" / "deploy" / "tidtam.env"
PASSWORD = "deploy-test-password-9"
START_SECONDS = 60


def documented_env() -> dict[str, str]:
    """docs/deploy/tidtam.env, the file README's "Operating tidtam" tells an operator to write."""
    values: dict[str, str] = {}
    for line in DEPLOY_ENV.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def production_env(var_dir: Path, *, database: str | None = None, **extra: str) -> dict[str, str]:
    """This machine's environment with docs/deploy/tidtam.env on top, its paths moved into
    `var_dir` (the secret files are written there) and, for a server that must answer, its
    database moved to `database`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TIDTAM_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(documented_env())
    var_dir.mkdir(parents=True, exist_ok=True)
    secrets_dir = var_dir.parent / (var_dir.name + "-secrets")
    secrets_dir.mkdir(exist_ok=True)
    (secrets_dir / "secret_key").write_text(secrets.token_urlsafe(50))
    (secrets_dir / "smtp_password").write_text("not-a-real-password")
    env.update(
        TIDTAM_VAR_DIR=str(var_dir),
        TIDTAM_SECRET_KEY_FILE=str(secrets_dir / "secret_key"),
        TIDTAM_EMAIL_PASSWORD_FILE=str(secrets_dir / "smtp_password"),
        PYTHONUNBUFFERED="1",
    )
    if database is not None:
        env["DATABASE_URL"] = database
    env.update(extra)
    return env


def tidtam(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TIDTAM, *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.own_sqlite
def test_check_deploy_finds_no_warning_in_production_mode(tmp_path: Path) -> None:
    result = tidtam(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.own_sqlite
def test_check_deploy_fails_when_https_is_not_switched_on(tmp_path: Path) -> None:
    """The control: the same check does fail on a setting an operator forgot."""
    env = production_env(tmp_path, TIDTAM_HTTPS="false")
    result = tidtam(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in output, output


@pytest.mark.own_sqlite
def test_debug_is_off_unless_the_environment_turns_it_on(tmp_path: Path) -> None:
    show = "from django.conf import settings; print('DEBUG', settings.DEBUG)"
    env = production_env(tmp_path)
    assert tidtam(env, "shell", "--no-imports", "-c", show).stdout.strip() == "DEBUG False"
    env["TIDTAM_DEBUG"] = "true"
    assert tidtam(env, "shell", "--no-imports", "-c", show).stdout.strip() == "DEBUG True"


# --- tidtam serve -----------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Browser:
    """Just enough of a browser behind a TLS-ending proxy: it says X-Forwarded-Proto: https and
    keeps cookies (Secure ones too: the proxy's side of the connection is HTTPS)."""

    url: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, path: str, data: dict[str, str] | None = None, *, https: bool = True
    ) -> Answer:
        headers = {"Host": self.url.removeprefix("http://")}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            origin = "https://" + headers["Host"]
            headers.update(Origin=origin, Referer=origin + path)
        request = urllib.request.Request(self.url + path, data=body, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=10) as response:
                answer = Answer(
                    response.status,
                    dict(response.headers),
                    response.read().decode(errors="replace"),
                )
                raw = response.headers.get_all("Set-Cookie") or []
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, dict(error.headers), error.read().decode(errors="replace"))
            raw = error.headers.get_all("Set-Cookie") or []
        for line in raw:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return answer


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


MAKE_OPERATOR = (
    "from django.contrib.auth import get_user_model; "
    f"get_user_model().objects.create_user('operator', password='{PASSWORD}')"
)


@pytest.fixture(scope="module")
def server(
    installation: Project, static_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Browser, Path]]:
    var_dir = tmp_path_factory.mktemp("deploy") / "var"
    steps = [["shell", "--no-imports", "-c", MAKE_OPERATOR]]
    if installation.database_url is None:
        # A copy of the session's installation (tests/conftest.py).
        copy_of(installation, var_dir)
    else:
        steps.insert(0, ["shell", "--no-imports", "-c", SCHEMA_FROM_THE_MODELS])
    # Its own SQLite: the documented PostgreSQL is not on a test machine. The tests send the
    # Host and X-Forwarded-Proto that nginx would.
    env = production_env(
        var_dir,
        database=f"sqlite:///{var_dir / 'tidtam.sqlite3'}",
        TIDTAM_ALLOWED_HOSTS="127.0.0.1",
        # The static files `tidtam collectstatic` collected for the run (tests/conftest.py).
        TIDTAM_STATIC_ROOT=str(static_root),
    )
    for step in steps:
        result = tidtam(env, *step)
        assert result.returncode == 0, f"tidtam {step[0]}: {result.stdout}{result.stderr}"
    port = free_port()
    log = var_dir / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*TIDTAM, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if browser.request("/accounts/login/").status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield browser, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.own_sqlite
def test_serve_prints_its_address_and_runs_gunicorn_with_the_bounds_asked_for(
    server: tuple[Browser, Path],
) -> None:
    browser, log = server
    text = log.read_text()
    assert f"ติดตาม (tidtam) เปิดที่ {browser.url}/" in text
    assert "1 worker × 2 thread, DEBUG ปิด" in text
    assert "Using worker: gthread" in text


@pytest.mark.own_sqlite
def test_pages_carry_the_security_headers_and_plain_http_is_sent_to_https(
    server: tuple[Browser, Path],
) -> None:
    browser, _ = server
    login = browser.request("/accounts/login/")
    assert login.status == 200
    assert login.headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains")
    policy = login.headers["Content-Security-Policy"]
    # Directives in any order (the header's order is not stable between runs).
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"] and "unsafe-inline" not in policy
    assert login.headers["X-Frame-Options"] == "DENY"
    assert login.headers["X-Content-Type-Options"] == "nosniff"

    plain = browser.request("/accounts/login/", https=False)
    assert plain.status == 301
    assert (
        plain.headers["Location"]
        == f"https://{browser.url.removeprefix('http://')}/accounts/login/"
    )


@pytest.mark.own_sqlite
def test_static_files_come_from_whitenoise_with_hashed_names_and_a_year_of_caching(
    server: tuple[Browser, Path],
) -> None:
    browser, _ = server
    page = browser.request("/accounts/login/").body
    css = re.search(r'href="(/static/tidtam/site\.[0-9a-f]{12}\.css)"', page)
    js = re.search(r'src="(/static/tidtam/site\.[0-9a-f]{12}\.js)"', page)
    assert css and js, page[:1500]
    stylesheet = browser.request(css.group(1))
    assert stylesheet.status == 200
    assert stylesheet.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert "text/css" in stylesheet.headers["Content-Type"]
    # The Sarabun font the stylesheet names is served the same way.
    font = re.search(
        r'url\("\.\./(vendor/sarabun/sarabun-thai-400-normal\.[0-9a-f]{12}\.woff2)"\)',
        stylesheet.body,
    )
    assert font, stylesheet.body[:800]
    assert browser.request("/static/" + font.group(1)).status == 200


def test_collectstatic_leaves_out_the_api_libraries_files_no_page_uses(static_root: Path) -> None:
    ninja = sorted(path.name for path in (static_root / "ninja").iterdir())
    assert any(re.fullmatch(r"swagger-ui-bundle\.[0-9a-f]{12}\.js", name) for name in ninja)
    assert any(re.fullmatch(r"swagger-ui\.css\.[0-9a-f]{12}\.map", name) for name in ninja)
    assert [name for name in ninja if "redoc" in name or "bundle.js.map" in name] == []
    assert sum(path.stat().st_size for path in static_root.rglob("*")) < 20_000_000


@pytest.mark.own_sqlite
def test_the_production_404_page_is_thai_and_lists_no_url_patterns(
    server: tuple[Browser, Path],
) -> None:
    browser, _ = server
    missing = browser.request("/no-such-page/")
    assert missing.status == 404
    assert "ไม่พบหน้าที่ต้องการ" in missing.body
    for leak in ("URLconf", "urlpatterns", "DEBUG = True", "work/", "admin/", "Traceback"):
        assert leak not in missing.body


@pytest.mark.own_sqlite
def test_a_signed_in_page_is_private_and_never_stored(server: tuple[Browser, Path]) -> None:
    browser, _ = server
    form = browser.request("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
    assert token
    signed = browser.request(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token.group(1), "username": "operator", "password": PASSWORD},
    )
    assert signed.status == 302, signed.body[:2000]
    assert "sessionid" in browser.cookies

    private = browser.request("/accounts/password_change/")
    assert private.status == 200
    assert private.headers["Cache-Control"] == "private, no-store"
    assert "เปลี่ยนรหัสผ่าน" in private.body


# --- the connection bound on PostgreSQL ---------------------------------------------------------


@pytest.mark.postgres
def test_serve_refuses_more_threads_than_postgresql_has_connections_for(tmp_path: Path) -> None:
    env = production_env(tmp_path, database=os.environ["DATABASE_URL"])
    refused = tidtam(env, "serve", "--workers", "16", "--threads", "16", "--dry-run")
    assert refused.returncode != 0
    assert "worker × thread × เครื่องแอป + db_worker = 256 × 1 + 1 = 257 การเชื่อมต่อ" in refused.stderr
    assert "ลด TIDTAM_WORKERS หรือ TIDTAM_THREADS" in refused.stderr

    fits = tidtam(env, "serve", "--workers", "2", "--threads", "4", "--dry-run")
    assert fits.returncode == 0, fits.stderr
    assert re.search(r"การเชื่อมต่อฐานข้อมูล: ใช้ได้สูงสุด 9 จาก \d+", fits.stdout), fits.stdout
    assert "--workers 2 --threads 4 --worker-class gthread" in fits.stdout
