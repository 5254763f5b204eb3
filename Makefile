# Naoberkaart — everything a newcomer needs: `make run` and `make test`.
# Every target installs what it needs on a fresh machine (virtualenv, pinned packages, Chromium).

VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app wsgi
STAMP   := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_URL  ?= postgresql://postgres@127.0.0.1:5432

.PHONY: run test test-postgres lint format install translations extract-messages chromium serve send-mail bench-load bench-faults clean

run: install translations  ## Serve the portal at http://127.0.0.1:5000 on SQLite with the demo loaded
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install translations chromium  ## The whole test suite (set TEST_DATABASE_URL for PostgreSQL)
	$(PY) -m pytest

test-postgres: install translations chromium  ## The suite on a fresh PostgreSQL database
	@db=naoberkaart_test_$$$$; \
	$(VENV)/bin/python scripts/pgdb.py create "$(PG_URL)" $$db && \
	TEST_DATABASE_URL="$(PG_URL)/$$db" $(PY) -m pytest; status=$$?; \
	$(VENV)/bin/python scripts/pgdb.py drop "$(PG_URL)" $$db; exit $$status

lint: install  ## Formatting and lint rules (ruff)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	rm -f $(VENV)/.installed-*
	touch $@

translations: install  ## Compile the message catalogues
	$(VENV)/bin/pybabel compile -d translations

extract-messages: install  ## Refresh the catalogues from the code and templates
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --ignore-dirs ".*" -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations

chromium:  ## Debian's Chromium for the browser tests (Playwright's own download does not work offline)
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

serve: install translations  ## Production-like: gunicorn.conf.py (set DATABASE_URL, REDIS_URL, SECRET_KEY)
	$(FLASK) db upgrade
	$(VENV)/bin/gunicorn -c gunicorn.conf.py wsgi:app

send-mail: install  ## The mail worker: delivers the outbox, retries when SMTP is down
	$(FLASK) send-mail --loop

bench-load: install  ## Load test on loopback (~15 min) -> bench/results/load.md
	bench/load/run_load.sh

bench-faults: install  ## Fault tests (~3 min; stops local PostgreSQL for 6 s) -> bench/results/faults.md
	bench/faults/run_faults.sh

clean:
	rm -rf $(VENV) instance
