"""The custom user: a role (accounts/roles.py), and for the roles of a province, that province."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts import api_tokens, permissions
from accounts.delegation import ensure_delegation_valid
from accounts.roles import PROVINCE_ROLES, Role


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
        extra_fields["role"] = Role.ADMIN
        return self.create_user(username, email, password, **extra_fields)


class User(AbstractUser):
    Role = Role

    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, blank=True)
    # A string reference keeps accounts free of imports from budgets (accounts is the bottom
    # layer); only the roles of a province (accounts/roles.py) have one.
    province = models.ForeignKey(
        "budgets.Province",
        verbose_name=_("provinsi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Wajib untuk petugas provinsi: membatasi data yang dapat dilihat dan diubah."),
    )
    # The civil servant's number (Nomor Induk Pegawai): printed under the signature of the
    # reports a head verifies (PP 39/2006 forms).
    nip = models.CharField(
        _("NIP"), max_length=18, blank=True, validators=[RegexValidator(r"^\d{18}$", _("NIP terdiri atas 18 angka."))]
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = IkmaUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = pgettext_lazy("jamak", "pengguna")
        constraints = [
            models.CheckConstraint(
                name="user_province_only_for_province_roles",
                condition=Q(province__isnull=True) | Q(role__in=PROVINCE_ROLES),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.role in PROVINCE_ROLES and self.province_id is None:
            raise ValidationError({"province": _("Petugas provinsi harus dikaitkan dengan provinsinya.")})
        if self.role not in PROVINCE_ROLES and self.province_id is not None:
            raise ValidationError({"province": _("Hanya petugas provinsi yang dikaitkan dengan provinsi.")})

    # AbstractUser's is_staff and is_superuser fields are replaced by these properties (a
    # class attribute of the same name removes an abstract parent's field), so the role is
    # the one source of truth for admin rights; Django's admin and permission checks read them.
    @property
    def is_staff(self) -> bool:  # type: ignore[override]
        return permissions.may_administer(self)

    @property
    def is_superuser(self) -> bool:  # type: ignore[override]
        return permissions.may_administer(self)

    @property
    def access_problem(self) -> str | None:
        """Why this account may not open data pages, or None when it may."""
        return permissions.access_problem(self)


class Delegation(models.Model):
    """A head's duties handed to an acting head (Plh or Plt) for a period, as the decree says:
    during it the acting user verifies the province's reports as the head would
    (accounts/delegation.py answers who acts on a day)."""

    class Kind(models.TextChoices):
        PLH = "PLH", _("Plh (Pelaksana Harian)")
        PLT = "PLT", _("Plt (Pelaksana Tugas)")

    head = models.ForeignKey(
        User,
        verbose_name=_("kepala dinas"),
        on_delete=models.PROTECT,
        related_name="delegations_given",
        limit_choices_to={"role": Role.HEAD},
    )
    acting = models.ForeignKey(
        User, verbose_name=_("pelaksana"), on_delete=models.PROTECT, related_name="delegations_received"
    )
    kind = models.CharField(_("jenis"), max_length=3, choices=Kind.choices, default=Kind.PLH)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("sampai"))
    decree = models.CharField(_("nomor surat penunjukan"), max_length=100)
    created_by = models.ForeignKey(
        User, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pelimpahan kepala dinas")
        verbose_name_plural = pgettext_lazy("jamak", "pelimpahan kepala dinas")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(name="delegation_period_ordered", condition=Q(starts_on__lte=models.F("ends_on"))),
            models.CheckConstraint(name="delegation_not_to_self", condition=~Q(head=models.F("acting"))),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.acting} ({self.starts_on:%d-%m-%Y} - {self.ends_on:%d-%m-%Y})"

    def clean(self) -> None:
        super().clean()
        ensure_delegation_valid(self)


class ApiToken(models.Model):
    """A key another system uses on /api/v1/ (api/auth.py), acting as ``user``: the admin creates a
    system account with the role and province the system may see (e.g. VIEWER for the data
    centre, OFFICER of a province for its finance system) and a token for it. Only the key's
    hash is stored (accounts/api_tokens.py); a token is revoked, never deleted (its log stays)."""

    name = models.CharField(
        _("nama sistem"), max_length=100, help_text=_("Sistem yang memakai token, mis. Pusdatin Kemenperin.")
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("akun"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text=_(
            "Token bertindak sebagai akun ini: peran dan provinsinya menentukan data yang dapat dibaca dan diubah."
        ),
    )
    prefix = models.CharField(_("awalan"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(_("hash kunci"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    expires_at = models.DateTimeField(_("berlaku sampai"), default=api_tokens.default_expiry)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("batas permintaan per menit"),
        default=api_tokens.DEFAULT_RATE_PER_MINUTE,
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
    )

    # Who created, changed and revoked it (last_used_at is written with update(): no history row per use).
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = pgettext_lazy("jamak", "token API")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @classmethod
    def issue(
        cls,
        *,
        name: str,
        user: User,
        created_by: User | None,
        expires_at: datetime | None = None,
        rate_per_minute: int = api_tokens.DEFAULT_RATE_PER_MINUTE,
        key: str | None = None,
    ) -> tuple[ApiToken, str]:
        """A new token and its key (shown once: only its hash is kept). ``key``: a fixed key (the
        demo's published ones), else a random one."""
        token = cls(name=name, user=user, created_by=created_by, rate_per_minute=rate_per_minute)
        if expires_at is not None:
            token.expires_at = expires_at
        key = token.set_key(key)
        token.save()
        return token, key

    def set_key(self, key: str | None = None) -> str:
        if key is None:
            self.prefix, key = api_tokens.new_key()
        else:
            prefix = api_tokens.parse_prefix(key)
            if prefix is None:
                raise ValueError("not a well-formed API key")
            self.prefix = prefix
        self.key_hash = api_tokens.key_hash(key)
        return key


class ApiTokenUse(models.Model):
    """One request made with a token (api/auth.py writes it after the answer): who, when, what,
    from where, the outcome and how long it took."""

    token = models.ForeignKey(ApiToken, verbose_name=_("token API"), on_delete=models.PROTECT, related_name="uses")
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    method = models.CharField(_("metode"), max_length=10)
    path = models.CharField(_("alamat"), max_length=300)
    query = models.CharField(_("parameter"), max_length=1000, blank=True)
    status = models.PositiveSmallIntegerField(_("kode status"))
    address = models.GenericIPAddressField(_("alamat klien"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"))

    class Meta:
        verbose_name = _("pemakaian token API")
        verbose_name_plural = pgettext_lazy("jamak", "pemakaian token API")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["token", "-at"], name="api_token_use_recent")]

    def __str__(self) -> str:
        return f"{self.token} {self.method} {self.path} {self.status}"
