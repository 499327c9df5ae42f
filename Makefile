# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements/dev.lock | cut -d' ' -f1)
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8000

.PHONY: run test lint typecheck check-migrations check-deploy lock clean install bench bench-import bench-load

$(STAMP): requirements/dev.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is required"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements/dev.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## Start the app with demo data on http://127.0.0.1:8000 (SQLite, eager Celery unless env says
## otherwise); `make run PORT=8101` serves on another port.
run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo ""
	@echo "打开 http://127.0.0.1:$(PORT)/ ，用上面的演示账号登录（Ctrl+C 停止）。"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## The whole test suite. Browser tests run when Chromium is installed, otherwise they are skipped.
test: $(STAMP)
	@if [ ! -x "$(CHROMIUM)" ]; then echo "注意：未找到 $(CHROMIUM)，浏览器测试将跳过（apt-get install -y chromium 后可运行）。"; fi
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	@big=$$(git ls-files '*.py' | grep -v -e '/migrations/' -e '^tests/' | xargs wc -l | awk '$$2 != "total" && $$1 > 400'); \
	if [ -n "$$big" ]; then echo "Application modules over the 400-line budget (split by use case):"; echo "$$big"; exit 1; fi

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

## Benchmarks (docs/benchmarks.md) on PostgreSQL at a county's scale (500 projects) and a province's
## (20,000): ledger, project page, dashboard, export, each report; then the survey import and the
## load run. Each size has its own database, seeded on first use (20,000 take about 5 minutes).
PG_ADMIN ?= postgres://postgres@127.0.0.1:5432/postgres
BENCH_SIZES ?= 500 20000
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/bzf_bench_20000
bench: $(STAMP)
	@for n in $(BENCH_SIZES); do \
		db=postgres://postgres@127.0.0.1:5432/bzf_bench_$$n; \
		psql "$(PG_ADMIN)" -tc "SELECT 1 FROM pg_database WHERE datname = 'bzf_bench_$$n'" | grep -q 1 \
			|| psql "$(PG_ADMIN)" -qc "CREATE DATABASE bzf_bench_$$n" || exit 1; \
		DATABASE_URL=$$db $(PY) manage.py migrate --no-input -v0 || exit 1; \
		echo "== $$n projects: pages and export"; \
		DATABASE_URL=$$db $(PY) bench/run.py --projects $$n || exit 1; \
		echo "== $$n projects: reports"; \
		DATABASE_URL=$$db $(PY) bench/report_bench.py || exit 1; \
	done
	$(MAKE) bench-import bench-load

## Survey-import benchmark (20,000 rows) on SQLite and on PostgreSQL, in a database of its own (the
## imported projects would change the seeded county's size). The importer's steps run REPEAT
## times (median and range); ONLY=apply_new,reimport_unchanged leaves out the slow comparisons.
IMPORT_BENCH_DB ?= postgres://postgres@127.0.0.1:5432/bzf_bench_import
bench-import: $(STAMP)
	DATABASE_URL=sqlite:////tmp/bzf-bench-import.sqlite3 $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=sqlite:////tmp/bzf-bench-import.sqlite3 $(PY) bench/import_bench.py --rows $(or $(ROWS),20000) --repeat $(or $(REPEAT),3) $(if $(ONLY),--only $(ONLY))
	psql "$(PG_ADMIN)" -tc "SELECT 1 FROM pg_database WHERE datname = 'bzf_bench_import'" | grep -q 1 \
		|| psql "$(PG_ADMIN)" -qc "CREATE DATABASE bzf_bench_import"
	DATABASE_URL=$(IMPORT_BENCH_DB) $(PY) manage.py migrate --no-input -v0
	DATABASE_URL=$(IMPORT_BENCH_DB) $(PY) bench/import_bench.py --rows $(or $(ROWS),20000) --repeat $(or $(REPEAT),3) $(if $(ONLY),--only $(ONLY))

## Load run: gunicorn on loopback + wrk, 20 connections, 30 s per page (needs `apt-get install wrk`).
bench-load: $(STAMP)
	DATABASE_URL=$(BENCH_DB) $(PY) bench/load.py --users $(or $(USERS),20) --seconds $(or $(SECONDS),30)
