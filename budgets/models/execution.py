"""Budget execution: pagu per budget line and its revisions, the monthly disbursement plan
(RPD), monthly realization and the monthly report that carries it through review.

Amounts are whole rupiah (BigIntegerField). Invariants live in named database constraints.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budgets.models.master import Account, BudgetComponent, FiscalYear, Satker, SpendingType
from core.formats import MONTH_CHOICES


def month_check(name: str, field: str = "month") -> models.CheckConstraint:
    return models.CheckConstraint(name=name, condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 12}))


def satker_scope(province_id: int, path: str = "satker") -> Q:
    """Rows that belong to a provincial satker of the province (never a central unit)."""
    return Q(**{f"{path}__province_id": province_id, f"{path}__is_central": False})


class BudgetLine(models.Model):
    """One line of a satker's DIPA: component x account, with its pagu and blocked part."""

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="budget_lines")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    component = models.ForeignKey(
        BudgetComponent, verbose_name=_("komponen"), on_delete=models.PROTECT, related_name="budget_lines"
    )
    account = models.ForeignKey(Account, verbose_name=_("akun"), on_delete=models.PROTECT, related_name="budget_lines")
    # The RO (rincian output) the line's component sits under; the RO's pagu is the sum of its lines.
    output = models.ForeignKey(
        "budgets.Output",
        verbose_name=_("RO"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    pagu = models.BigIntegerField(_("pagu"), default=0)
    blokir = models.BigIntegerField(_("blokir"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("baris pagu")
        verbose_name_plural = pgettext_lazy("jamak", "baris pagu")
        ordering = ["satker", "fiscal_year", "component__code", "account__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["satker", "fiscal_year", "component", "account"], name="budget_line_once_per_dipa"
            ),
            models.CheckConstraint(name="budget_line_pagu_not_negative", condition=Q(pagu__gte=0)),
            models.CheckConstraint(
                name="budget_line_blokir_within_pagu", condition=Q(blokir__gte=0, blokir__lte=F("pagu"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component.code}.{self.account.code}"

    @property
    def label(self) -> str:
        return f"{self.component.code} {self.component.name} / {self.account.code} {self.account.name}"

    @property
    def pagu_efektif(self) -> int:
        return self.pagu - self.blokir

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class BudgetRevision(models.Model):
    """A DIPA revision: who changed which lines' pagu or blokir, when and why."""

    class Kind(models.TextChoices):
        INITIAL = "AWAL", _("DIPA awal")
        PAGU = "PAGU", _("Revisi pagu")
        SHIFT = "PERGESERAN", _("Pergeseran antar-akun/komponen")
        BLOKIR = "BLOKIR", _("Blokir / buka blokir")
        ADMIN = "ADMINISTRASI", _("Revisi administrasi")

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="revisions")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revisi ke-"))
    date = models.DateField(_("tanggal revisi"))
    kind = models.CharField(_("jenis revisi"), max_length=12, choices=Kind.choices)
    # The treasury's code of the revision (e.g. 201): IKPA counts the revisions whose code the
    # year's rule lists (IkpaYearRule.counted_revision_codes). Blank on rows recorded before.
    treasury_code = models.CharField(
        _("kode revisi Ditjen Perbendaharaan"),
        max_length=3,
        blank=True,
        default="",
        help_text=_("Tiga digit, mis. 201; menentukan apakah revisi dihitung dalam IKPA."),
    )
    reason = models.TextField(_("alasan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revisi DIPA")
        verbose_name_plural = pgettext_lazy("jamak", "revisi DIPA")
        ordering = ["satker", "fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "fiscal_year", "number"], name="revision_number_once_per_dipa"),
            models.CheckConstraint(
                name="revision_treasury_code_3_digits",
                condition=Q(treasury_code="") | Q(treasury_code__regex=r"^[0-9]{3}$"),
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(satker)s %(year)s revisi %(number)s") % {
            "satker": self.satker.code, "year": self.fiscal_year.year, "number": self.number
        }  # fmt: skip

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class BudgetRevisionLine(models.Model):
    """The amounts of one budget line before and after a revision."""

    revision = models.ForeignKey(BudgetRevision, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="revision_lines")
    pagu_before = models.BigIntegerField(_("pagu sebelum"))
    pagu_after = models.BigIntegerField(_("pagu sesudah"))
    blokir_before = models.BigIntegerField(_("blokir sebelum"))
    blokir_after = models.BigIntegerField(_("blokir sesudah"))

    class Meta:
        verbose_name = _("baris revisi")
        verbose_name_plural = pgettext_lazy("jamak", "baris revisi")
        constraints = [models.UniqueConstraint(fields=["revision", "line"], name="revision_line_once")]

    def __str__(self) -> str:
        return f"{self.revision}: {self.line}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "revision__satker")


class RpdWindow(models.Model):
    """When the RPD may be changed in a quarter. Without a satker it applies to all; an admin
    opens an extra window for one satker by giving it one."""

    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.CASCADE, related_name="rpd_windows"
    )
    quarter = models.PositiveSmallIntegerField(
        _("triwulan"),
        choices=[(q, format_lazy(_("TW {}"), r)) for q, r in [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]],
    )
    opens_on = models.DateField(_("dibuka"))
    closes_on = models.DateField(_("ditutup"))
    satker = models.ForeignKey(
        Satker,
        verbose_name=_("khusus satker"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rpd_windows",
        help_text=_("Kosongkan untuk semua satker."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jendela perubahan RPD")
        verbose_name_plural = pgettext_lazy("jamak", "jendela perubahan RPD")
        ordering = ["fiscal_year", "quarter", "opens_on"]
        constraints = [
            models.CheckConstraint(name="rpd_window_quarter_1_4", condition=Q(quarter__gte=1, quarter__lte=4)),
            models.CheckConstraint(name="rpd_window_opens_before_closing", condition=Q(opens_on__lte=F("closes_on"))),
        ]

    def __str__(self) -> str:
        return gettext("%(year)s TW%(quarter)s: %(opens)s - %(closes)s") % {
            "year": self.fiscal_year.year, "quarter": self.quarter, "opens": self.opens_on, "closes": self.closes_on
        }  # fmt: skip


class RpdRevision(models.Model):
    """One save of a satker's RPD, kept as a version: the whole plan before and after it,
    {"<spending type code>-<month>": amount} with the cells at 0 left out. At most one per
    window (the first one needs no window). Revisions saved before versions were kept have
    neither (None)."""

    satker = models.ForeignKey(Satker, on_delete=models.PROTECT, related_name="rpd_revisions")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="rpd_revisions")
    window = models.ForeignKey(RpdWindow, null=True, blank=True, on_delete=models.PROTECT, related_name="revisions")
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(_("rencana sebelum"), null=True, blank=True)
    after = models.JSONField(_("rencana sesudah"), null=True, blank=True)

    class Meta:
        verbose_name = _("perubahan RPD")
        verbose_name_plural = pgettext_lazy("jamak", "perubahan RPD")
        ordering = ["satker", "fiscal_year", "saved_at"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "window"], name="rpd_revision_once_per_window"),
        ]

    def __str__(self) -> str:
        return f"RPD {self.satker.code} {self.fiscal_year.year} {self.saved_at:%Y-%m-%d}"

    @staticmethod
    def cell_key(spending_type_code: str, month: int) -> str:
        return f"{spending_type_code}-{month}"

    def changed_cells(self) -> list[tuple[str, int, int, int]] | None:
        """(spending type code, month, before, after) of every cell this save changed, by type
        and month; None when the revision predates versions."""
        if self.before is None or self.after is None:
            return None
        changed = []
        for key in set(self.before) | set(self.after):
            old, new = self.before.get(key, 0), self.after.get(key, 0)
            if old != new:
                code, _sep, month = key.rpartition("-")
                changed.append((code, int(month), old, new))
        return sorted(changed)

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class RpdPlan(models.Model):
    """Rencana Penarikan Dana (DIPA page III): planned disbursement per month and spending type."""

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="rpd_plans")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="rpd_plans"
    )
    month = models.PositiveSmallIntegerField(_("bulan"), choices=MONTH_CHOICES)
    spending_type = models.ForeignKey(
        SpendingType, verbose_name=_("jenis belanja"), on_delete=models.PROTECT, related_name="rpd_plans"
    )
    amount = models.BigIntegerField(_("rencana"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RPD")
        verbose_name_plural = pgettext_lazy("jamak", "RPD")
        ordering = ["satker", "fiscal_year", "spending_type__code", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["satker", "fiscal_year", "month", "spending_type"], name="rpd_once_per_month_and_type"
            ),
            month_check("rpd_month_1_12"),
            models.CheckConstraint(name="rpd_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"RPD {self.satker.code} {self.fiscal_year.year}-{self.month:02d} {self.spending_type.code}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class Holiday(models.Model):
    """National holidays and collective leave: not working days for due dates."""

    class Kind(models.TextChoices):
        HOLIDAY = "libur", _("Libur nasional")
        COLLECTIVE_LEAVE = "cuti_bersama", _("Cuti bersama")

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    # Both kinds close government offices, so both move due dates; the kind only tells them apart.
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.HOLIDAY)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = pgettext_lazy("jamak", "hari libur")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class MonthlyReport(models.Model):
    """A satker's report for one month: its realization, through submission and review."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", _("Draf")
        SUBMITTED = "SUBMITTED", _("Diajukan")
        # Verified and signed by the head of the provincial service (or the acting head): sent
        # to the directorate.
        VERIFIED = "VERIFIED", _("Diverifikasi")
        APPROVED = "APPROVED", _("Disetujui")
        RETURNED = "RETURNED", _("Dikembalikan")

    satker = models.ForeignKey(Satker, verbose_name=_("satker"), on_delete=models.PROTECT, related_name="reports")
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="reports"
    )
    month = models.PositiveSmallIntegerField(_("bulan"), choices=MONTH_CHOICES)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField(_("batas waktu"))
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_on_time = models.BooleanField(_("tepat waktu"), null=True, blank=True)
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diverifikasi oleh"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # Set when the verifier acted for the head (Plh/Plt): the signature reads "Plh. Kepala Dinas".
    verified_under = models.ForeignKey(
        "accounts.Delegation", verbose_name=_("sebagai pelaksana"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    # Bumped by every write to the report or its entries: a form posted with an older version
    # was built on data someone else has since changed, and is refused.
    version = models.PositiveIntegerField(_("versi"), default=1)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    # The sum of the report's realization, kept by budgets/realization_summary.py in the
    # transaction that writes the realization: the reports add 500 of these a year instead of
    # 12.000 realization rows.
    realized_total = models.BigIntegerField(_("jumlah realisasi"), default=0, editable=False)
    # The first time a reviewer without a conflict of duty opened the submitted report (or acted
    # on it): from then on the submitter may no longer withdraw it. Cleared when it leaves review.
    review_started_at = models.DateTimeField(_("mulai ditinjau pada"), null=True, blank=True)
    review_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mulai ditinjau oleh"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = pgettext_lazy("jamak", "laporan bulanan")
        ordering = ["fiscal_year", "month", "satker"]
        constraints = [
            models.UniqueConstraint(fields=["satker", "fiscal_year", "month"], name="report_once_per_satker_month"),
            month_check("report_month_1_12"),
        ]
        indexes = [models.Index(fields=["status", "fiscal_year", "month"], name="report_status_idx")]

    def __str__(self) -> str:
        return f"{self.satker.code} {self.fiscal_year.year}-{self.month:02d}"

    def save(self, *args, **kwargs) -> None:
        # realized_total belongs to budgets/realization_summary.py: saving a report loaded before
        # its realization changed must not put an older sum back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [field.name for field in self._meta.concrete_fields
                                       if not field.primary_key and field.name != "realized_total"]  # fmt: skip
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        """Submitted, verified and approved reports cannot be edited."""
        return self.status in {self.Status.SUBMITTED, self.Status.VERIFIED, self.Status.APPROVED}

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id)


class YearEndClosing(models.Model):
    """An admin's exception to the month-end rule for the year's last month: December's reports
    may be submitted from ``allowed_from`` (a day of December) instead of 1 January, so the year
    can be closed before the holidays (budgets/services/editability.py reads it)."""

    fiscal_year = models.OneToOneField(
        FiscalYear, verbose_name=_("tahun anggaran"), on_delete=models.PROTECT, related_name="year_end_closing"
    )
    allowed_from = models.DateField(
        _("Desember boleh diajukan mulai"), help_text=_("Tanggal di bulan Desember tahun anggaran tersebut.")
    )
    reason = models.TextField(_("alasan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+",
        editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penutupan akhir tahun")
        verbose_name_plural = pgettext_lazy("jamak", "penutupan akhir tahun")
        ordering = ["fiscal_year"]

    def __str__(self) -> str:
        return gettext("Penutupan %(year)s: Desember mulai %(date)s") % {
            "year": self.fiscal_year.year, "date": self.allowed_from
        }  # fmt: skip

    def clean(self) -> None:
        errors = {}
        if self.fiscal_year_id and self.allowed_from:
            year = self.fiscal_year.year
            if (self.allowed_from.year, self.allowed_from.month) != (year, 12):
                errors["allowed_from"] = gettext("Pilih tanggal di bulan Desember %(year)s.") % {"year": year}
        if self.reason is not None and not self.reason.strip():
            errors["reason"] = gettext("Tuliskan alasan penutupan lebih awal.")
        if errors:
            raise ValidationError(errors)


class Transition(models.Model):
    """One step of a report's life (monthly or quarterly: the report is the subclass's), with its
    comment."""

    from_status = models.CharField(_("dari"), max_length=10, choices=MonthlyReport.Status.choices, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=10, choices=MonthlyReport.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"), auto_now_add=True)
    comment = models.TextField(_("komentar"), blank=True)

    class Meta:
        abstract = True
        ordering = ["report", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.report}: {self.from_status or '-'} -> {self.to_status}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "report__satker")


class ReportTransition(Transition):
    """A monthly report's step; submissions keep a snapshot of the entries."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="transitions")
    # {budget line id: amount} as submitted, to show what changed since the previous submission.
    snapshot = models.JSONField(null=True, blank=True)

    class Meta(Transition.Meta):
        verbose_name = _("riwayat status laporan")
        verbose_name_plural = pgettext_lazy("jamak", "riwayat status laporan")


class Realization(models.Model):
    """Money disbursed (SP2D) on one budget line in the report's month; not cumulative."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("laporan bulanan"), on_delete=models.PROTECT, related_name="realizations"
    )
    line = models.ForeignKey(
        BudgetLine, verbose_name=_("baris pagu"), on_delete=models.PROTECT, related_name="realizations"
    )
    amount = models.BigIntegerField(_("realisasi"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = pgettext_lazy("jamak", "realisasi")
        ordering = ["report", "line"]
        constraints = [
            models.UniqueConstraint(fields=["report", "line"], name="realization_once_per_line_month"),
            models.CheckConstraint(name="realization_amount_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.line}: {self.amount}"

    @staticmethod
    def province_scope(province_id: int) -> Q:
        return satker_scope(province_id, "report__satker")


class ComponentRealization(models.Model):
    """The sum of a report's realization on one budget component: a summary kept by
    budgets/realization_summary.py in the transaction that writes the realization (the national
    summary by component reads 5.500 of these a year instead of joining 12.000 realization rows
    to their budget lines)."""

    # The covering index below leads with the report: no separate one for the foreign key.
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="component_totals",
                               db_index=False)  # fmt: skip
    component = models.ForeignKey(BudgetComponent, on_delete=models.PROTECT, related_name="+")
    # The report's year, copied: the reports read one year's sums (5.500) from the index below
    # instead of every year's (a scan of all of them was a third of the national summary's time).
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+", db_index=False)
    amount = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("realisasi per komponen")
        verbose_name_plural = pgettext_lazy("jamak", "realisasi per komponen")
        constraints = [
            models.UniqueConstraint(fields=["report", "component"], name="component_realization_once"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "report", "component", "amount"],
                                name="component_realization_cover")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.report_id} {self.component_id}: {self.amount}"


class SpendingTypeRealization(models.Model):
    """The sum of a report's realization of one spending type (the account's first two digits):
    a summary kept by budgets/realization_summary.py in the transaction that writes the
    realization, as ``ComponentRealization`` is (the IKPA deviation and absorption read 1.900 of
    these a year instead of joining 12.000 realization rows to their lines and accounts)."""

    # The unique constraint's index leads with the report: no separate one for the foreign key.
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="type_totals", db_index=False)
    spending_type = models.ForeignKey(SpendingType, on_delete=models.PROTECT, related_name="+")
    # The report's year, copied: one year's sums are read from the index below.
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="+", db_index=False)
    amount = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("realisasi per jenis belanja")
        verbose_name_plural = pgettext_lazy("jamak", "realisasi per jenis belanja")
        constraints = [
            models.UniqueConstraint(fields=["report", "spending_type"], name="type_realization_once"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "report", "spending_type", "amount"],
                                name="type_realization_cover")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.report_id} {self.spending_type_id}: {self.amount}"
