"""Logging for every process: one console handler whose filter keeps personal data out.

Security events also go to the console/log collector as structured lines; no line carries a
query string or a whole phone/ID number (core.log_filters).
"""

from typing import Any


def logging_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "filters": {"personal_data": {"()": "core.log_filters.PersonalDataFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["personal_data"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # Django's own handlers (console under DEBUG, mail to the ADMINS there are none of)
            # would write around the filter: its loggers go through the root handler instead.
            "django": {"level": "INFO", "handlers": []},
            "django.server": {"level": "INFO", "handlers": [], "propagate": True},
        },
    }
