# tidtam: `make demo` runs the app on the seed data; `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings
# Python caches compiled modules unless told not to (some machines set PYTHONDONTWRITEBYTECODE):
# the suite starts tidtam in a hundred subprocesses, each compiling every module again without it.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo serve test test-core test-app test-tools test-concurrency test-browser lint types contract migrations-check check clean

$(VENV)/.installed: pyproject.toml
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "tidtam ต้องใช้ Python 3.11 ขึ้นไป (พบ $$($(PY) --version))"; exit 1; }
	@# uv installs the same packages from the same index as pip, in a fifth of the time on a fresh
	@# clone (docs/decisions/0005-installing-with-uv.md); pip does it where uv cannot be had. uv goes
	@# into the new .venv with the pip this Python has, when it has one (pip 22.3 or later, for
	@# --python): 3 s less than first bootstrapping a pip of the venv's own; uv then adds one.
	@if $(PY) -m venv --without-pip $(VENV) && $(PY) -m pip --python $(BIN)/python install -q uv 2>/dev/null; then :; \
	else \
		$(PY) -m venv $(VENV) || { echo "สร้าง .venv ไม่ได้: ติดตั้งแพ็กเกจ python3-venv ก่อน (apt-get install python3-venv)"; exit 1; }; \
		$(BIN)/pip install -q uv || echo "(ติดตั้ง uv ไม่ได้: ใช้ pip แทน ซึ่งช้ากว่า)"; \
	fi
	@# uv first tries what its cache already holds (--offline: no index revalidation, 1-5 s less on
	@# a fresh clone of a machine that installed tidtam before); anything missing, and it asks the
	@# index as usual.
	if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install -q --offline --python $(BIN)/python -e '.[dev]' pip 2>/dev/null \
		|| $(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]' pip; \
	else $(BIN)/pip install -q -e '.[dev]'; fi
	@touch $@

# The demo runs with DEBUG on (Django's development server, its error pages, its static files);
# `make serve` is the production server.
demo: export TIDTAM_DEBUG ?= true
demo: $(VENV)/.installed
	$(BIN)/tidtam migrate --no-input -v0
	$(BIN)/tidtam load_seeds
	@$(BIN)/tidtam demo_user
	@# สมศ.'s plan and 6-month report in public, as its planner would publish them (/public/).
	@$(BIN)/tidtam publish --org onesqa --fy 2567 --as planner --document ita-plan --document ita-progress
	@echo "ติดตาม (tidtam) พร้อมแล้ว: http://$(HOST):$(PORT)/  (งานของฉัน; ภาพรวม /dashboard/; ข้อมูลเปิดเผยต่อสาธารณะ /public/; ผู้ดูแลระบบ /admin/)  กด Ctrl+C เพื่อหยุด"
	@echo "วันที่ของระบบสาธิตตั้งไว้ที่ 8 เมษายน 2567 (หนึ่งสัปดาห์ก่อนกำหนดส่งรอบ 6 เดือนของข้อมูลตัวอย่าง)"
	@# The worker renders the documents people ask for; it stops when the server stops.
	@$(BIN)/tidtam db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	TIDTAM_DEMO_TODAY=$${TIDTAM_DEMO_TODAY-2024-04-08} $(BIN)/tidtam runserver --noreload $(HOST):$(PORT)

# Production server: gunicorn with TIDTAM_WORKERS × TIDTAM_THREADS (README, "Operating tidtam").
# DEBUG stays off; static files are collected here and served by WhiteNoise.
serve: $(VENV)/.installed
	$(BIN)/tidtam migrate --no-input -v0
	$(BIN)/tidtam collectstatic --no-input -v0
	TIDTAM_BIND=$${TIDTAM_BIND-$(HOST):$(PORT)} $(BIN)/tidtam serve

# The core's tests run without Django and must cover every branch of tidtam/domain.
CORE_TESTS := $(BIN)/pytest -p no:django -p no:cacheprovider -W ignore::pytest.PytestConfigWarning tests/domain --cov=tidtam/domain --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100 -q
test-core: $(VENV)/.installed
	$(CORE_TESTS)

# tests/concurrency empties the database between its tests (real commits for real races): it
# runs as its own session, on PostgreSQL (make test-concurrency DATABASE_URL=postgresql://…).
# On SQLite the test database is made from the models (--no-migrations: 30 s less per run);
# the PostgreSQL run in .ci/run builds it through every migration, and `make migrations-check`
# keeps the two in step. Two processes (pytest-xdist, TEST_PROCESSES=1 for one): each module, and
# the browser tests, run whole in one of them (tests/conftest.py deals the work).
TEST_PROCESSES ?= 2
APP_TESTS = $(BIN)/pytest -p no:cacheprovider --ignore=tests/domain --ignore=tests/concurrency -q --no-migrations -n $(TEST_PROCESSES)
test-app: $(VENV)/.installed test-tools
	$(APP_TESTS)

# What the document and browser tests drive: LibreOffice, poppler-utils and Debian's Chromium,
# installed with apt-get when missing (as root), or named with the command to install them. Never
# from inside pytest: a test that finds one missing is skipped with the reason (CI fails it).
test-tools:
	@bash scripts/ensure-office.sh || echo "(การทดสอบเอกสาร PDF จะถูกข้ามจนกว่าจะติดตั้ง)"
	@bash scripts/ensure-browser.sh || echo "(การทดสอบในเบราว์เซอร์จะถูกข้ามจนกว่าจะติดตั้ง)"

test-concurrency: $(VENV)/.installed
	$(BIN)/pytest -p no:cacheprovider tests/concurrency -v

# Only the browser tests (test-app runs them too): Chromium against the app on its own SQLite.
test-browser: $(VENV)/.installed test-tools
	$(BIN)/pytest -p no:cacheprovider tests/browser -v

# Both suites at once: the core's few seconds of CPU fit beside the app's two processes, which
# keep waiting on Chromium, LibreOffice and subprocesses. The core runs at the lowest priority
# (nice 19): it takes mostly the CPU those waits leave idle, and little from the app's suite,
# which sets the run's length (on fresh clones, wall time less half the CPU time fell from 18-21
# to 15-16.6 s). The core's report goes to a file and is printed after the app's, so neither is
# interleaved; either failing fails `make test`.
test: $(VENV)/.installed test-tools
	@mkdir -p var
	@nice -n 19 $(CORE_TESTS) > var/test-core.log 2>&1 & core=$$!; \
	$(APP_TESTS); app=$$?; \
	wait $$core; core_status=$$?; \
	echo "--- ชุดทดสอบแกนกลาง (tests/domain) ---"; cat var/test-core.log; \
	if [ $$core_status -ne 0 ]; then echo "ชุดทดสอบแกนกลาง (tests/domain) ไม่ผ่าน: ดูรายงานด้านบน"; fi; \
	if [ $$app -ne 0 ]; then echo "ชุดทดสอบของแอป ไม่ผ่าน: ดูรายงานด้านบน"; fi; \
	[ $$core_status -eq 0 ] && [ $$app -eq 0 ]

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The core is held to --strict; the Django side to the checks its stubs can support.
types: $(VENV)/.installed
	$(BIN)/mypy --strict tidtam/domain tidtam/messages.py
	$(BIN)/mypy tidtam config

contract: $(VENV)/.installed
	$(BIN)/lint-imports

migrations-check: $(VENV)/.installed
	$(BIN)/tidtam makemigrations --check --dry-run

check: test lint types contract migrations-check

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
