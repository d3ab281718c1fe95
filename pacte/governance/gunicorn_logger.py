"""gunicorn's access log without the calendar feeds' secret keys.

gunicorn writes each request line (`%(r)s`: the path and the query string) to its access log. Started with
`--logger-class pacte.governance.gunicorn_logger.AccessLogWithoutKeys`, it writes `[clé masquée]` instead of the
key of a calendar address, in the path (`…/calendrier/<clé>.ics`) as in the older query string (`?cle=<clé>`),
in every atom of the log format that may hold it (request line, path, query string, referer, environ). Its error
log and the time of its access log follow the platform's format (Paris time). Only gunicorn imports this module.
"""

from pacte.core.gunicorn_logger import ParisTimeLogger
from pacte.governance.logs import hide_calendar_keys


class AccessLogWithoutKeys(ParisTimeLogger):
    """The platform's log format and Paris time (pacte/core/gunicorn_logger.py), without the calendar keys."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name, value in atoms.items():
            if isinstance(value, str) and ("cle=" in value or "/calendrier/" in value):
                # A bare query string (`%(q)s`, `{query_string}e`) has no "?" before « cle= »: add one, then drop it.
                atoms[name] = hide_calendar_keys("?" + value)[1:]
        return atoms
