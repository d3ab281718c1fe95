"""The secret key of a calendar feed stays out of the platform's own logs.

The key is part of the feed's address (`/gouvernance/instances/<n°>/calendrier/<clé>.ics`, or the older
`…/calendrier.ics?cle=<clé>` that subscribed calendars keep using). Django writes the path of a refused or failed
request to the `django.request` logger (« Not Found: /… ») and the development server the whole request line to
`django.server`: `HideCalendarKeys`, installed on both by `GovernanceConfig.ready`, replaces the key by
`[clé masquée]` before any handler sees the record. The web server's access log is the operator's (see the log
hygiene paragraph of docs/deploiement.md).
"""

import logging
import re

HIDDEN = "[clé masquée]"
KEY_IN_PATH = re.compile(r"(/calendrier/)[^/?#\s\"']+(\.ics)")
KEY_IN_QUERY = re.compile(r"([?&]cle=)[^&#\s\"']+")
LOGGERS = ("django.request", "django.server")


def hide_calendar_keys(text: str) -> str:
    return KEY_IN_QUERY.sub(rf"\g<1>{HIDDEN}", KEY_IN_PATH.sub(rf"\g<1>{HIDDEN}\g<2>", text))


class HideCalendarKeys(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        hidden = hide_calendar_keys(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def install() -> None:
    """Put the filter on the loggers that write request paths (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, HideCalendarKeys) for existing in logger.filters):
            logger.addFilter(HideCalendarKeys())
