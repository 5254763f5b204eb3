# Naoberkaart — everything a newcomer needs: `make run` and `make test`.
# Every target installs what it needs on a fresh machine (virtualenv, locked packages, Chromium).

VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
FLASK   := $(VENV)/bin/flask --app wsgi
STAMP   := $(VENV)/.installed-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_URL  ?= postgresql://postgres@127.0.0.1:5432

.PHONY: run test test-postgres lint format install lock lock-upgrade translations extract-messages chromium serve send-mail bench-load bench-faults clean

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

# The stamp's name is the lock files' checksum: a changed lock installs again, a touched one does
# not. A fresh venv each time, so it holds exactly what the lock lists (no package left behind).
$(STAMP):
	$(PYTHON) -m venv --clear $(VENV)
	$(VENV)/bin/pip install -q --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.installed-*
	touch $@

# The lock files: every transitive package with its hashes, for any platform and Python >= 3.11,
# written from the human-edited requirements*.txt. `lock` keeps the versions already locked where
# the inputs allow them; `lock-upgrade` moves every package the inputs do not pin to its newest.
LOCK := $(VENV)/bin/uv pip compile --quiet --generate-hashes --universal --python-version 3.11 \
	--custom-compile-command "make lock"

lock: install  ## Rewrite requirements*.lock after editing requirements*.txt
	$(LOCK) $(LOCK_FLAGS) requirements.txt -o requirements.lock
	$(LOCK) $(LOCK_FLAGS) -c requirements.lock requirements-dev.txt -o requirements-dev.lock

lock-upgrade: LOCK_FLAGS = --upgrade
lock-upgrade: lock  ## Same, with the newest release of every package not pinned in requirements*.txt

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
