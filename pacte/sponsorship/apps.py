from django.apps import AppConfig


class SponsorshipConfig(AppConfig):
    name = "pacte.sponsorship"
    verbose_name = "Mécénat de proximité"
