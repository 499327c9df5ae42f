"""Load run: gunicorn on loopback against the bench database, wrk with 20 connections per page.

    DATABASE_URL=postgres://…/bzf_bench python bench/load.py [--seconds 30] [--users 20]

Starts gunicorn (production settings, plain HTTP on 127.0.0.1 only), logs in as a leader through the
real login form, then drives each page with wrk for a bounded time and prints requests per second
and the 50th/95th/99th percentile latency as a Markdown table for docs/benchmarks.md.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    ("台账列表（第1页）", "/projects/"),
    ("台账筛选：高风险", "/projects/?risk=high"),
    ("领导驾驶舱", "/dashboard/"),
]
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %.2f %.2f %.2f %.2f\\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000))
end
"""


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not come up")


def login(port: int, username: str, password: str) -> str:
    """Log in through the form like a browser; return the Cookie header value."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not csrf_cookie or not token:
        raise SystemExit("login page without CSRF token")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie.group(1)}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or not session:
        raise SystemExit(f"login failed ({response.status})")
    return f"sessionid={session.group(1)}; csrftoken={csrf_cookie.group(1)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--username", default="leader1")
    args = parser.parse_args()
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to the PostgreSQL bench database")

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603 - fixed local command
        [
            sys.executable,
            "-m",
            "gunicorn",
            "baozhaofang.wsgi",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(args.port)
        cookie = login(args.port, args.username, "Bzf#demo2026")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(LUA)
        print(f"gunicorn {args.workers} workers · wrk {args.users} connections × {args.seconds} s")
        print("| page | requests/s | p50 ms | p95 ms | p99 ms | errors |")
        print("|---|---:|---:|---:|---:|---:|")
        for label, path in PAGES:
            out = subprocess.run(  # noqa: S603 - fixed local command
                [
                    wrk,
                    "-t",
                    "2",
                    "-c",
                    str(args.users),
                    "-d",
                    f"{args.seconds}s",
                    "--timeout",
                    "10s",
                    "-s",
                    lua.name,
                    "-H",
                    f"Cookie: {cookie}",
                    f"http://127.0.0.1:{args.port}{path}",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            match = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            if not match:
                raise SystemExit(out)
            requests, errors, micros, p50, p95, p99 = match.groups()
            errors_total = int(errors) + int(non2xx.group(1) if non2xx else 0)
            rps = int(requests) / (int(micros) / 1e6)
            print(f"| {label} | {rps:.1f} | {p50} | {p95} | {p99} | {errors_total} |")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
