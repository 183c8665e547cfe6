"""An uploaded import file and what became of it: who sent it, when, its counts and its result.

Every upload is kept (file and record) so the directorate can see what was imported, by whom,
and why a file was refused. The stored file lives outside any served directory under a
generated name (``stored_name``); the name the officer gave it is only shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Upload(models.Model):
    class Status(models.TextChoices):
        QUEUED = "ANTRE", _("Menunggu diperiksa")
        CHECKING = "MEMERIKSA", _("Sedang diperiksa")
        REJECTED = "DITOLAK", _("Ditolak")
        READY = "SIAP", _("Siap diimpor")
        IMPORT_QUEUED = "ANTRE_IMPOR", _("Menunggu diimpor")
        IMPORTING = "MENGIMPOR", _("Sedang diimpor")
        IMPORTED = "DIIMPOR", _("Berhasil diimpor")
        CANCELLED = "BATAL", _("Dibatalkan")
        FAILED = "GAGAL", _("Gagal karena kesalahan sistem")

    # While one of these, a worker is (or will be) busy with the upload: the page keeps polling.
    WORKING = frozenset({Status.QUEUED, Status.CHECKING, Status.IMPORT_QUEUED, Status.IMPORTING})
    FINISHED = frozenset({Status.REJECTED, Status.IMPORTED, Status.CANCELLED, Status.FAILED})

    # A name of imports/catalog.py (no choices here: a new kind needs no migration).
    kind = models.CharField(_("jenis impor"), max_length=16)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(_("ukuran (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, related_name="+"
    )
    # The uploader's province (officers): uploads are scoped like the data they carry.
    province = models.ForeignKey(
        "budgets.Province", verbose_name=_("provinsi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(_("tahap"), max_length=12, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    new_count = models.PositiveIntegerField(_("baru"), default=0)
    changed_count = models.PositiveIntegerField(_("berubah"), default=0)
    unchanged_count = models.PositiveIntegerField(_("tetap"), default=0)
    skipped_count = models.PositiveIntegerField(_("dilewati"), default=0)
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    # Every error as [row, column, message]; the planned rows (first PREVIEW_ROWS) as
    # [row, action, description, changes] for the preview (changes: [[column, old, new], ...] of a
    # changed row; previews stored before that have three items).
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dikonfirmasi oleh"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The worker's last sign of life while checking or importing (imports/worker.py): an upload
    # whose worker was killed stops getting it and is released as failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("unggahan impor")
        verbose_name_plural = pgettext_lazy("jamak", "unggahan impor")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["province", "-uploaded_at"], name="upload_province_time_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.original_name}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return Q(province_id=province_id)

    @property
    def kind_title(self) -> str:
        """The kind's title (its name when the catalogue no longer has it)."""
        from imports.catalog import UnknownKind, get_kind

        try:
            return str(get_kind(self.kind).title)
        except UnknownKind:
            return self.kind

    @property
    def history_reason(self) -> str:
        """What the audit history says about every change this upload made."""
        return f"Impor {self.kind} #{self.pk}: {self.original_name}"[:100]

    @property
    def is_working(self) -> bool:
        return self.status in self.WORKING

    @property
    def counts(self) -> dict[str, int]:
        return {"new": self.new_count, "changed": self.changed_count, "unchanged": self.unchanged_count}
