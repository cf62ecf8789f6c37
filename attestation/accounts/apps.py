from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "attestation.accounts"
    label = "accounts"
    verbose_name = "Accounts"
