# Two commands on a fresh machine:
#   make run   — set everything up and serve the portal on http://127.0.0.1:8000
#   make test  — set everything up and run lint, migration check and the tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup dev-setup system-check migrate lint format messages clean loadtest

run: setup
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py setup_portal --demo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: dev-setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	SECRET_KEY=make-test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

system-check:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { echo "Cần Python 3.11 trở lên (Python 3.11+ is required)."; exit 1; }
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { echo "Thiếu gói hệ thống python3-venv: sudo apt-get install python3-venv"; exit 1; }
	@$(PYTHON) scripts/check_system.py

$(VENV)/.installed: requirements.txt
	$(MAKE) system-check
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

dev-setup: $(VENV)/.dev-installed

lint: dev-setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: dev-setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The load test (loadtest/run.py): its own PostgreSQL database (name containing "load",
# dropped afterwards), gunicorn over TLS and a Celery worker, Locust bounded in users and
# time. LOADTEST_ARGS="--users 50 --duration 120" by default.
LOADTEST_ARGS ?= --users 50 --duration 120
loadtest: dev-setup
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

# Regenerate the translation catalogues (needs gettext) after changing UI strings.
messages: dev-setup
	DEBUG=1 $(PY) manage.py makemessages -l en --ignore=.venv --ignore=var
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var db.sqlite3
