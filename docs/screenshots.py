"""Screenshots of the main pages for the README (docs/img/), taken from a running server.

    make run                      # in one terminal (demo data)
    .venv/bin/python docs/screenshots.py [--base http://127.0.0.1:8000]

Logs in as each demo role in headless Debian Chromium at 1366×768 and saves one PNG per page.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

DEMO_PASSWORD = "Bzf#demo2026"  # noqa: S105 - the published demo accounts' password

OUT = Path(__file__).resolve().parent / "img"
# (file name, user, path, full page?)
PAGES = [
    ("login", None, "/accounts/login/", False),
    ("home-taskforce", "taskforce1", "/", False),
    ("ledger", "taskforce1", "/projects/", False),
    ("project", "taskforce1", "/projects/1/", True),
    ("dashboard", "leader1", "/dashboard/", True),
    ("petitions", "petition1", "/petitions/", False),
    ("petition-register", "petition1", "/petitions/new/", False),
    ("tasks-department", "dept1", "/dispatch/tasks/", False),
    ("dispatch", "leader1", "/dispatch/", False),
    ("reports", "leader1", "/dispatch/reports/", False),
    ("import", "taskforce1", "/import/", False),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium)
        contexts = {}
        for name, user, path, full in PAGES:
            if user not in contexts:
                context = browser.new_context(
                    viewport={"width": 1366, "height": 768}, locale="zh-CN"
                )
                page = context.new_page()
                if user:
                    page.goto(f"{args.base}/accounts/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", DEMO_PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_load_state("networkidle")
                contexts[user] = page
            page = contexts[user]
            page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
            print(f"{name}.png  ({user or '未登录'} {path})")
        browser.close()


if __name__ == "__main__":
    main()
