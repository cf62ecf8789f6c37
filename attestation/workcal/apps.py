from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "attestation.workcal"
    label = "workcal"
    verbose_name = "Working-day calendar"
