from django.apps import AppConfig


class ObservationConfig(AppConfig):
    name = "pacte.observation"
    label = "observation"
    verbose_name = "Observation de la pauvreté et baromètre du Pacte"
