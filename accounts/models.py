"""The custom user: a role, and for officers the province whose satkers they serve."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class IkmaUserManager(UserManager):
    """Django's manager, with its is_staff/is_superuser flags replaced by the role (see User.is_staff)."""

    def create_user(
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields.pop("is_staff", None)
        extra_fields.pop("is_superuser", None)
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> User:
        extra_fields["role"] = User.Role.ADMIN
        return self.create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        ADMIN = "ADMIN", _("Admin direktorat")
        REVIEWER = "REVIEWER", _("Reviewer direktorat")
        VIEWER = "VIEWER", _("Pimpinan (baca saja)")
        OFFICER = "OFFICER", _("Petugas provinsi")

    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, blank=True)
    # A string reference keeps accounts free of imports from budgets (dependencies point
    # down: programs -> budgets -> accounts); only officers have a province.
    province = models.ForeignKey(
        "budgets.Province",
        verbose_name=_("provinsi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Wajib untuk petugas provinsi: membatasi data yang dapat dilihat dan diubah."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = IkmaUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("jamak", "pengguna")
        constraints = [
            models.CheckConstraint(
                name="user_only_officers_have_province",
                condition=Q(province__isnull=True) | Q(role="OFFICER"),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.OFFICER and self.province_id is None:
            raise ValidationError({"province": _("Petugas provinsi harus dikaitkan dengan provinsinya.")})
        if self.role != self.Role.OFFICER and self.province_id is not None:
            raise ValidationError({"province": _("Hanya petugas provinsi yang dikaitkan dengan provinsi.")})

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER

    @property
    def is_reviewer(self) -> bool:
        return self.role == self.Role.REVIEWER

    # AbstractUser's is_staff and is_superuser fields are replaced by these properties (a
    # class attribute of the same name removes an abstract parent's field), so the role is
    # the one source of truth for admin rights; Django's admin and permission checks read them.
    @property
    def is_staff(self) -> bool:  # type: ignore[override]
        return self.is_active and self.is_admin

    @property
    def is_superuser(self) -> bool:  # type: ignore[override]
        return self.is_active and self.is_admin

    @property
    def sees_all_provinces(self) -> bool:
        """Directorate roles read every province; officers only their own."""
        return self.role in {self.Role.ADMIN, self.Role.REVIEWER, self.Role.VIEWER}

    @property
    def access_problem(self) -> str | None:
        """Why this account may not open data pages, or None when it may."""
        if not self.role:
            return str(_("Akun Anda belum diberi peran. Hubungi admin direktorat."))
        if self.is_officer and self.province_id is None:
            return str(_("Akun petugas Anda belum dikaitkan dengan provinsi. Hubungi admin direktorat."))
        return None
