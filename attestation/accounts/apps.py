from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "attestation.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from attestation.accounts.backends import forget_saved_user  # needs the models loaded

        # Every save of a person (password, active, language, name) ends their cached copy (backends.CachedUserMixin).
        user = self.get_model("User")
        post_save.connect(forget_saved_user, sender=user, dispatch_uid="accounts.forget_user.save")
        post_delete.connect(forget_saved_user, sender=user, dispatch_uid="accounts.forget_user.delete")
