# Partnerships Portal. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
CHROMIUM := /usr/bin/chromium
PORT ?= 8000
DEMO_PARTNERSHIPS ?= 60
LOAD_CLIENTS ?= 64
LOAD_SECONDS ?= 60

.DEFAULT_GOAL := help
.PHONY: help install run totp test test-fast lint format check worker beat bench bench-load browser-deps pdf-deps clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --requirement requirements.lock
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) pdf-deps ## Create .venv and install the pinned dependencies

# WeasyPrint (the Cabinet and Board papers as PDF) needs Debian's Pango; it is often there already.
pdf-deps: $(STAMP) ## Install Debian's Pango for the PDF papers, if missing
	@$(BIN)/python -c "import weasyprint" >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation >/dev/null; }

run: export PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
run: install ## Set everything up (SQLite, tasks in-process), send the reminders due today, serve on 127.0.0.1:PORT (8000), the address PORTAL_BASE_URL follows
	$(MANAGE) migrate --noinput
	$(MANAGE) setup_portal --demo-users
	@if $(MANAGE) help seed_demo >/dev/null 2>&1; then $(MANAGE) seed_demo --partnerships $(DEMO_PARTNERSHIPS) --seed 1 --if-empty --submit-proposals; fi
	@# No beat runs here: one sweep now, so reminders due today are in var/mail/.
	$(MANAGE) send_review_reminders
	$(MANAGE) runserver 127.0.0.1:$(PORT)

totp: install ## Print the demo accounts' current security code (their published TOTP secret)
	@$(MANAGE) demo_totp

browser-deps: ## Install Debian's Chromium for the browser tests, if missing
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

check: install ## Django system checks and a check for missing migrations
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(MANAGE) makemigrations --check --dry-run

test: install browser-deps check ## Set up and run the whole test suite
	$(BIN)/pytest -n auto

test-fast: install ## Run the tests without the browser
	$(BIN)/pytest -n auto -m "not browser"

lint: install ## ruff lint and format check, template indentation check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: install ## Format Python with ruff and templates with djhtml
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

worker: install ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A portal worker -l info

beat: install ## Run Celery beat, the one scheduler (needs REDIS_URL)
	$(BIN)/celery -A portal beat -l info

bench: install ## Benchmarks: register pages, CSV export, import, review sweep
	$(BIN)/python -m tests.bench

bench-load: install ## Load test: the container's gunicorn, 64 clients on pages and register.csv together
	$(BIN)/python -m tests.bench.loadscenario --clients $(LOAD_CLIENTS) --seconds $(LOAD_SECONDS) $(BENCH_ARGS)

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
