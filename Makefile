# The two commands of the README: `make run` (set up everything and serve) and `make test`.
# Set-up steps are file targets, so repeating them is fast and does nothing new.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make

.PHONY: run test screenshots bench faults lint lock check-prereqs setup migrate data clean-stamps

check-prereqs:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null \
		|| { echo "Python >= 3.11 is needed as '$(PYTHON)' (make run PYTHON=/path/to/python3.11)."; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 \
		|| { echo "Python's venv module is missing (Debian/Ubuntu: apt-get install python3-venv)."; exit 1; }
	@command -v npm >/dev/null 2>&1 \
		|| { echo "npm (Node.js) is needed for the front-end libraries (Debian/Ubuntu: apt-get install nodejs npm)."; exit 1; }

$(STAMPS):
	@mkdir -p $(STAMPS)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Runtime and test dependencies from the hashed lock files.
$(STAMPS)/python-deps: requirements.txt requirements-dev.txt | $(PY) $(STAMPS)
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	@touch $@

# Front-end libraries from the committed npm lock (no CDN, nothing vendored by hand).
$(STAMPS)/npm-deps: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: check-prereqs $(STAMPS)/python-deps $(STAMPS)/npm-deps

migrate: setup
	$(PY) manage.py migrate --noinput

data: migrate
	$(PY) manage.py load_master_data
	$(PY) manage.py create_demo_users
	$(PY) manage.py load_demo_data

# The web server and, next to it, the background worker that checks and imports uploaded
# Excel files (django-tasks database backend); stopping `make run` stops both.
run: data $(STAMPS)/pdf-fonts
	@echo "Monitoring IKMA: http://127.0.0.1:$(PORT)/"
	@$(PY) manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

# The end-to-end tests (tests/e2e) drive Debian's chromium with Playwright (never a browser that
# Playwright downloads). Installed with apt-get when missing (as root, else with sudo when it works
# without a password); when it cannot be installed the e2e tests skip and say why. While chromium
# is missing the stamp is rebuilt on every run, so a later `make test` tries again.
CHROMIUM := /usr/bin/chromium
ifeq ($(wildcard $(CHROMIUM)),)
.PHONY: $(STAMPS)/chromium
endif
$(STAMPS)/chromium: | $(STAMPS)
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then apt=apt-get; \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then apt="sudo -n apt-get"; \
		else apt=""; fi; \
		if [ -n "$$apt" ]; then \
			echo "Installing chromium (Debian package) for the end-to-end tests..."; \
			export DEBIAN_FRONTEND=noninteractive; \
			{ $$apt install -y -q --no-install-recommends chromium \
				|| { $$apt update -q && $$apt install -y -q --no-install-recommends chromium; }; \
			} >$(STAMPS)/chromium.log 2>&1 || tail -n 20 $(STAMPS)/chromium.log; \
		fi; \
	fi
	@if [ -x $(CHROMIUM) ]; then touch $@; else \
		echo "chromium could not be installed (needs root or password-less sudo and Debian's package" \
			"registry): the end-to-end tests in tests/e2e will be skipped."; fi

# The PDF documents (WeasyPrint) need pango and fonts from the system: Debian's fonts-dejavu-core
# (the documents' stylesheet names DejaVu Sans) and pango's libraries, installed with apt-get when
# missing, as chromium is above (root, else password-less sudo). When they cannot be installed the
# PDF documents fall back to whatever fonts the system has (or fail without pango) and the tests of
# the PDFs skip; while they are missing the stamp is rebuilt on every run.
PDF_FONT := /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
PDF_PACKAGES := fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
PDF_READY = [ -f $(PDF_FONT) ] && /sbin/ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0
ifneq ($(shell $(PDF_READY) && echo yes),yes)
.PHONY: $(STAMPS)/pdf-fonts
endif
$(STAMPS)/pdf-fonts: | $(STAMPS)
	@if ! { $(PDF_READY); }; then \
		if [ "$$(id -u)" = 0 ]; then apt=apt-get; \
		elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then apt="sudo -n apt-get"; \
		else apt=""; fi; \
		if [ -n "$$apt" ]; then \
			echo "Installing fonts and pango (Debian packages) for the PDF documents..."; \
			export DEBIAN_FRONTEND=noninteractive; \
			{ $$apt install -y -q --no-install-recommends $(PDF_PACKAGES) \
				|| { $$apt update -q && $$apt install -y -q --no-install-recommends $(PDF_PACKAGES); }; \
			} >$(STAMPS)/pdf-fonts.log 2>&1 || tail -n 20 $(STAMPS)/pdf-fonts.log; \
		fi; \
	fi
	@if $(PDF_READY); then touch $@; else \
		echo "$(PDF_PACKAGES) could not be installed (needs root or password-less sudo and Debian's" \
			"package registry): the PDF documents need pango and use other fonts; their tests skip."; fi

# The suite runs on every core (pytest-xdist; each worker has its own test database and loads the
# demo data once); TEST_WORKERS=0 runs it in one process, e.g. to debug with pdb.
TEST_WORKERS ?= auto
test: setup $(STAMPS)/chromium $(STAMPS)/pdf-fonts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The README's screenshots (docs/screenshots/), taken afresh from the demo data in chromium;
# `make test` takes them too but into a temporary folder, so it leaves the checkout unchanged.
screenshots: setup $(STAMPS)/chromium
	SCREENSHOTS=1 $(VENV)/bin/pytest tests/e2e/test_screenshots.py

# Fault test (not part of `make test`): restarts PostgreSQL while users sign in and read, on an
# instance of its OWN (initdb in a temporary folder, port FAULTS_PG_PORT=5433; never the shared
# server), and reports the 503s, the time to recovery and any confirmed write that was lost.
faults: setup
	$(PY) tests/faults/pg_restart.py

# Benchmarks (not part of `make test`): PostgreSQL only, in their own database, which they
# create and fill at national scale (first load ~2,5 min, then seconds); a full run ~10 min.
# BENCH_DATABASE_URL overrides the database; BENCH_ARGS passes options (--skip-load, --only REGEX).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ikma_bench
bench: setup
	DATABASE_URL=$(BENCH_DATABASE_URL) DJANGO_SETTINGS_MODULE=ikmsite.settings $(PY) -m bench.run $(BENCH_ARGS)

# Backup and restore of the database DATABASE_URL names (SQLite by default): see README "Backup
# and restore". FILE= chooses the file (backup: default var/backups/<name>-<time>); a restore
# replaces every row, so it asks first unless FORCE=1.
.PHONY: backup restore load
backup: $(STAMPS)/python-deps
	$(PY) manage.py backup_db $(if $(FILE),--output "$(FILE)")

restore: $(STAMPS)/python-deps
	$(PY) manage.py restore_db $(if $(FILE),"$(FILE)") $(if $(filter 1 yes true,$(FORCE)),--noinput)

# Start the demo again: deletes every row of the database DATABASE_URL names (SQLite or
# PostgreSQL) and loads master data, demo accounts and demo data again (manage.py reset_demo);
# asks first unless FORCE=1, refuses in production mode.
.PHONY: demo-reset
demo-reset: migrate
	$(PY) manage.py reset_demo $(if $(filter 1 yes true,$(FORCE)),--noinput)

# Load test (not part of `make test`): the work of every role (officers save and submit, heads
# verify, reviewers approve or return, an admin reopens, leadership reads and exports) from Locust
# (bench/locustfile.py) against TWO gunicorn servers in production mode sharing the national-scale
# bench database and one Redis database (LOAD_REDIS_URL, flushed before each mode): a closed loop
# of 32 users without think time, then 60 req/s offered; LOAD_SECONDS measured each. Exit 1 on a
# missed target or any error. The bench database must hold the national data (`make bench` loads it).
LOAD_DATABASE_URL ?= $(BENCH_DATABASE_URL)
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/3
LOAD_SECONDS ?= 60
load: setup
	DATABASE_URL=$(LOAD_DATABASE_URL) LOAD_REDIS_URL=$(LOAD_REDIS_URL) DJANGO_SETTINGS_MODULE=ikmsite.settings \
		$(PY) -m bench.load --seconds $(LOAD_SECONDS) $(LOAD_ARGS)

# Re-lock after editing requirements*.in (uv writes no registry address into the files).
lock: | $(PY)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile --python-version 3.11 --generate-hashes -q requirements.in -o requirements.txt
	$(VENV)/bin/uv pip compile --python-version 3.11 --generate-hashes -q requirements-dev.in -o requirements-dev.txt

clean-stamps:
	rm -rf $(STAMPS)
