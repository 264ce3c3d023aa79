# Two commands: `make run` serves the portal with demo data; `make test` runs every test on
# SQLite and on PostgreSQL. Everything else here is what those two need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_HOST ?= 127.0.0.1
PG_URL ?= postgres://postgres@$(PG_HOST):5432/culturehall
PYTEST_ARGS ?=
# One process: pytest-django then runs transactional tests (which flush the database) last.
PYTEST := $(BIN)/pytest

.PHONY: run test bench lint format install install-test postgres chromium wrk clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

# The media player's hls.js, from the npm registry at the version package-lock.json pins; the
# copy under static/ is built, not committed (.gitignore).
HLS_JS := media_pipeline/static/media_pipeline/vendor/hls.min.js
$(HLS_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/hls.js/LICENSE $(dir $@)hls.js.LICENSE
	cp node_modules/hls.js/dist/hls.min.js.map $(dir $@)  # collectstatic's manifest follows its link
	cp node_modules/hls.js/dist/hls.min.js $@

# The coverage map's Leaflet, the same way (npm registry, pinned by package-lock.json, not committed).
LEAFLET := network/static/network/vendor/leaflet/leaflet.js
$(LEAFLET): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)images
	cp node_modules/leaflet/LICENSE $(dir $@)leaflet.LICENSE
	cp node_modules/leaflet/dist/leaflet.css $(dir $@)
	cp node_modules/leaflet/dist/images/*.png $(dir $@)images/
	cp node_modules/leaflet/dist/leaflet.js.map $(dir $@)  # likewise
	cp node_modules/leaflet/dist/leaflet.js $@

# The dashboards' ECharts, the same way.
ECHARTS := metrics/static/metrics/vendor/echarts.min.js
$(ECHARTS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(dir $@)
	cp node_modules/echarts/LICENSE $(dir $@)echarts.LICENSE
	cp node_modules/echarts/dist/echarts.min.js $@

install: $(VENV)/.installed $(HLS_JS) $(LEAFLET) $(ECHARTS)
install-test: $(VENV)/.installed-test $(HLS_JS) $(LEAFLET) $(ECHARTS)

run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py resume_media_processing --older-than 0
	$(PY) manage.py requeue_abandoned_tasks --older-than 0
	$(PY) manage.py cleanup_uploads
	$(PY) manage.py aggregate_metrics --schedule
	$(PY) manage.py purge_personal_data --schedule
	@echo "门户: http://$(HOST):$(PORT)/  管理后台: http://$(HOST):$(PORT)/admin/ (演示账号见 docs/demo-data.md)"
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# PostgreSQL runs on this machine; start it when it is down.
postgres:
	@pg_isready -q -h $(PG_HOST) -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h $(PG_HOST) -p 5432 && exit 0; sleep 1; done; \
	echo "PostgreSQL 未能启动" >&2; exit 1

# Browser tests drive Debian's Chromium (no browser download).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The two databases' runs go side by side (each is mostly one busy process, and the machine has
# two cores); each writes its own log, shown when both have ended.
TEST_LOGS := var/test-logs
test: install-test postgres chromium lint
	@mkdir -p $(TEST_LOGS)
	@echo "== SQLite and PostgreSQL, side by side (logs in $(TEST_LOGS)/) =="
	@env -u DATABASE_URL $(PYTEST) -p no:cacheprovider $(PYTEST_ARGS) > $(TEST_LOGS)/sqlite.log 2>&1 & lite=$$!; \
	DATABASE_URL=$(PG_URL) $(PYTEST) -p no:cacheprovider $(PYTEST_ARGS) > $(TEST_LOGS)/postgresql.log 2>&1; pg=$$?; \
	wait $$lite; lite=$$?; \
	echo "== SQLite =="; cat $(TEST_LOGS)/sqlite.log; \
	echo "== PostgreSQL =="; cat $(TEST_LOGS)/postgresql.log; \
	test $$lite -eq 0 && test $$pg -eq 0

# bench/load drives gunicorn with Debian's wrk.
wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)

bench: install-test postgres wrk
	@ls bench/*.py >/dev/null 2>&1 && for b in bench/bench_*.py bench/load/bench_*.py; do $(PY) $$b || exit 1; done || echo "no benchmarks yet"

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var/static node_modules $(HLS_JS) $(dir $(LEAFLET)) $(ECHARTS)
