"""django-axes under a French name in the admin.

The admin titles each application's section with its `verbose_name`; django-axes has none, so its login
attempts appeared under « AXES », beside the Pacte's own axes (the référentiel). Installed as
`"pacte.accounts.apps_axes.AxesConfig"` in place of `"axes"` in INSTALLED_APPS: the application keeps its name
and its label (`axes`), hence its tables, migrations and settings."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "Tentatives de connexion"
