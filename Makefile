# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements/dev.lock | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint typecheck check-migrations check-deploy lock clean install bench bench-import bench-load

$(STAMP): requirements/dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements/dev.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Start the app with demo data on http://127.0.0.1:8000 (SQLite, eager Celery unless env says otherwise).
run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo ""
	@echo "打开 http://127.0.0.1:8000/ ，用上面的演示账号登录（Ctrl+C 停止）。"
	$(PY) manage.py runserver 127.0.0.1:8000

## The whole test suite. Browser tests run when Chromium is installed, otherwise they are skipped.
test: $(STAMP)
	@if [ ! -x "$(CHROMIUM)" ]; then echo "注意：未找到 $(CHROMIUM)，浏览器测试将跳过（apt-get install -y chromium 后可运行）。"; fi
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy .

check-migrations: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

## Production settings must pass Django's deployment checklist with no warnings, and the
## hashed static files (WhiteNoise manifest) must build, as they do in the Docker image.
check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=ci-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') ALLOWED_HOSTS=bzf.example.gov.cn \
	BEHIND_REVERSE_PROXY=1 $(PY) manage.py check --deploy --fail-level WARNING
	DEBUG=0 SECRET_KEY=ci-collectstatic-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') \
	$(PY) manage.py collectstatic --no-input --clear -v0

lock: $(STAMP)
	$(VENV)/bin/pip-compile -q --no-emit-index-url --no-emit-find-links --strip-extras -o requirements/base.lock pyproject.toml
	$(VENV)/bin/pip-compile -q --no-emit-index-url --no-emit-find-links --strip-extras --extra dev -c requirements/base.lock -o requirements/dev.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache .mypy_cache .ruff_cache

## Benchmarks at province scale on PostgreSQL (seeds the bench database on first run).
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/bzf_bench
BENCH_PROJECTS ?= 20000
bench: $(STAMP)
	psql "$(BENCH_DB:/bzf_bench=/postgres)" -tc "SELECT 1 FROM pg_database WHERE datname = 'bzf_bench'" | grep -q 1 \
		|| psql "$(BENCH_DB:/bzf_bench=/postgres)" -c "CREATE DATABASE bzf_bench"
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=$(BENCH_DB) $(PY) bench/run.py --projects $(BENCH_PROJECTS)

## Survey-import benchmark (20,000 rows) on SQLite and on PostgreSQL.
bench-import: $(STAMP)
	DATABASE_URL=sqlite:////tmp/bzf-bench-import.sqlite3 $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=sqlite:////tmp/bzf-bench-import.sqlite3 $(PY) bench/import_bench.py --rows $(or $(ROWS),20000)
	DATABASE_URL=$(BENCH_DB) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=$(BENCH_DB) $(PY) bench/import_bench.py --rows $(or $(ROWS),20000)

## Load run: gunicorn on loopback + wrk, 20 connections, 30 s per page (needs `apt-get install wrk`).
bench-load: $(STAMP)
	DATABASE_URL=$(BENCH_DB) $(PY) bench/load.py --users $(or $(USERS),20) --seconds $(or $(SECONDS),30)
