"""Settings are read from the environment; run in a subprocess so module-level parsing is real."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "beat": settings.CELERY_BEAT_SCHEDULER,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "visibility": settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"],
    "ip_headers": settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    "proxy_ssl": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def run_probe(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "baozhaofang.settings", **env}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_nothing_set_means_sqlite_eager_celery_and_debug() -> None:
    result = run_probe()
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["engine"] == "django.db.backends.sqlite3"
    assert got["name"].endswith("db.sqlite3")
    assert got["eager"] is True
    assert got["cache"].endswith("LocMemCache")
    assert got["debug"] is True
    assert got["beat"] == "django_celery_beat.schedulers:DatabaseScheduler"


def test_database_and_redis_urls_switch_to_postgres_and_real_workers() -> None:
    result = run_probe(
        DATABASE_URL="postgres://bzf:secret@db.internal:5432/bzf",
        REDIS_URL="redis://cache.internal:6379/1",
    )
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["engine"] == "django.db.backends.postgresql"
    assert got["name"] == "bzf"
    assert got["eager"] is False
    assert got["broker"] == "redis://cache.internal:6379/1"
    assert got["cache"].endswith("RedisCache")


def test_task_time_limit_stays_below_broker_visibility_timeout() -> None:
    got = json.loads(run_probe(REDIS_URL="redis://cache.internal:6379/1").stdout)
    assert got["time_limit"] < got["visibility"]


def test_production_without_secret_key_refuses_to_start() -> None:
    result = run_probe(DEBUG="0", ALLOWED_HOSTS="bzf.example.gov.cn")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("debug", ["0", "false", "False"])
def test_production_reads_hosts_and_forces_https(debug: str) -> None:
    result = run_probe(DEBUG=debug, SECRET_KEY="x" * 60, ALLOWED_HOSTS="a.gov.cn,b.gov.cn")
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["debug"] is False
    assert got["hosts"] == ["a.gov.cn", "b.gov.cn"]
    assert got["ssl_redirect"] is True


def test_client_address_header_is_trusted_only_behind_the_proxy() -> None:
    direct = json.loads(run_probe().stdout)
    assert direct["ip_headers"] == ["REMOTE_ADDR"]
    assert direct["proxy_ssl"] is None
    proxied = json.loads(run_probe(BEHIND_REVERSE_PROXY="1").stdout)
    assert proxied["ip_headers"] == ["HTTP_X_REAL_IP", "REMOTE_ADDR"]
    assert proxied["proxy_ssl"] == ["HTTP_X_FORWARDED_PROTO", "https"]
