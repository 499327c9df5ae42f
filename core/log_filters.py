"""The application log leaves the machine for the log collector: no query string and no whole
phone or ID number goes with it."""

import logging
import re

from core.masking import mask_personal_text

# A path (absolute, or inside a URL) followed by its query string, as in a request line.
_QUERY_STRING = re.compile(r"(?P<path>/[^\s?\"'<>]*)\?[^\s\"'<>]*")


def scrub(message: str) -> str:
    return mask_personal_text(_QUERY_STRING.sub(r"\g<path>", message))


class PersonalDataFilter(logging.Filter):
    """Rewrites a record's message with query strings cut off and personal numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True
