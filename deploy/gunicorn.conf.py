"""Gunicorn settings of the production image (Dockerfile: `gunicorn -c deploy/gunicorn.conf.py`).

The access log records the path without its query string and without the referring URL:
query strings may carry personal data, and access logs are copied and kept far and long.
"""

bind = "0.0.0.0:8000"
workers = 3
timeout = 60
accesslog = "-"
# nginx in front sets X-Forwarded-Proto; gunicorn is reachable only from it.
forwarded_allow_ips = "*"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'
