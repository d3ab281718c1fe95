"""The WSGI application (gunicorn `config.wsgi:application`, and `runserver` through WSGI_APPLICATION).

Once the application is built, the rights engine (OpenFisca-France, about 4 s and 150 MB) is loaded here, so that
the web process pays it at start rather than on the first simulation. Management commands and tests never
import this module: they do not pay it. With gunicorn's `--preload`, the master loads it once and its forked
workers share it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
application = get_wsgi_application()

from pacte.screening.simulator import preload  # noqa: E402  (needs the apps loaded above)

preload()
