from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Akun pengguna")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import mark_signed_in

        # The idle clock and the demo password's mark start with the session a sign-in creates.
        user_logged_in.connect(mark_signed_in, dispatch_uid="accounts.mark_signed_in")
