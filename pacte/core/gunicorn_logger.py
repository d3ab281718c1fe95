"""gunicorn's own logs in the platform's format and time zone (issue 16).

gunicorn writes its error log (`gunicorn.error`: start, workers booted or killed, timeouts) with its own format
and the machine's time zone, and the time of its access log (`%(t)s`) in the machine's time zone too. Started
with a logger class built on `ParisTimeLogger` (`--logger-class pacte.governance.gunicorn_logger.AccessLogWithoutKeys`
inherits it), its error log takes the platform's format (`pacte.core.logs`, text or JSON after
`PACTE_LOG_FORMAT`) and its access log's time is Paris time, whatever `TZ` says. Only gunicorn imports this module.
"""

import logging
import os
from datetime import datetime

from gunicorn.glogging import Logger

from pacte.core import logs


class ParisTimeLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        name = logs.formatter_class(os.environ.get("PACTE_LOG_FORMAT", "TEXT")).rsplit(".", 1)[1]
        formatter = getattr(logs, name)()
        for handler in self.error_log.handlers:
            if getattr(handler, "_gunicorn", False) and isinstance(handler, logging.StreamHandler):
                handler.setFormatter(formatter)
                handler.addFilter(logs.RequestIdFilter())

    def now(self):
        """The access log's `%(t)s`, as gunicorn writes it (Apache's format), in Paris time."""
        return datetime.now(logs.PARIS).strftime("[%d/%b/%Y:%H:%M:%S %z]")
