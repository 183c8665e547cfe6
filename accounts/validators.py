"""Password rules beyond Django's own validators."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD


class NotDemoPasswordValidator:
    """The demo accounts' shared password is published in the README: nobody may choose it."""

    def validate(self, password: str, user=None) -> None:
        if password == DEMO_PASSWORD:
            raise ValidationError(_("Kata sandi demo tidak boleh dipakai. Pilih kata sandi Anda sendiri."),
                                  code="demo_password")  # fmt: skip

    def get_help_text(self) -> str:
        return _("Kata sandi demo tidak boleh dipakai.")
