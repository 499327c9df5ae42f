"""The deploy files' access logs: paths without query strings, no referring URL (issue 15)."""

import re
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parent.parent
PHONE = "13812345678"


def test_gunicorn_access_log_writes_the_path_without_the_query_string() -> None:
    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert '"-c", "deploy/gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    config = Config()
    config.set("access_log_format", settings["access_log_format"])
    logger = Logger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/petitions/?q={PHONE}",
        "PATH_INFO": "/petitions/",
        "QUERY_STRING": f"q={PHONE}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": f"https://bzf.example/petitions/?q={PHONE}",
        "HTTP_USER_AGENT": "Chromium",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=1))
    line = config.access_log_format % logger.atoms_wrapper_class(atoms)
    assert '"GET /petitions/ HTTP/1.1" 200 512' in line
    assert PHONE not in line


def test_nginx_logs_every_server_in_a_format_without_query_or_referer() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    formats = dict(re.findall(r"log_format\s+(\S+)\s+(.*?);", conf, re.DOTALL))
    assert formats
    for variables in formats.values():
        assert not re.search(
            r"\$(request|request_uri|args|arg_\w+|query_string|http_referer)\b", variables
        )
        assert "$uri" in variables
    logs = [
        name for path, name in re.findall(r"access_log\s+(\S+)\s*(\S*);", conf) if path != "off"
    ]
    assert len(logs) == conf.count("server {")
    assert all(name in formats for name in logs)
