"""Evidence rules (admin-editable): which records must carry which evidence.

A rule names a kind of record (a target model label of budgets/evidence_rules.py's registry,
e.g. "programs.facilitation"), a condition on the record from the small fixed set that record's
app declares ("always", "certified", "exhibition", "goods_handed" ...), the evidence kinds of
which one is enough, and whether that evidence must carry its number. A record a rule's condition
matches is *subject* to the rule; it *meets* its rules when it has live evidence of one of each
rule's kinds (with a number where the rule asks for one). Default rules: migration 0019.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.models import HistoricalRecords

from budgets.evidence_rule_targets import ALWAYS, rule_targets
from budgets.models.evidence import Evidence


class EvidenceRule(models.Model):
    ALWAYS = ALWAYS

    target = models.CharField(gettext_lazy("jenis data"), max_length=60,
                              help_text=gettext_lazy("Data yang wajib memiliki bukti dukung."))  # fmt: skip
    condition = models.CharField(
        gettext_lazy("syarat"), max_length=30, default=ALWAYS,
        help_text=gettext_lazy("Hanya data yang memenuhi syarat ini yang diperiksa."),
    )  # fmt: skip
    kinds = models.JSONField(gettext_lazy("jenis bukti yang diterima"), default=list,
                             help_text=gettext_lazy("Salah satu jenis ini sudah cukup."))  # fmt: skip
    needs_number = models.BooleanField(gettext_lazy("wajib bernomor"), default=False,
                                       help_text=gettext_lazy("Bukti dukung harus mencantumkan nomornya."))  # fmt: skip
    active = models.BooleanField(gettext_lazy("aktif"), default=True)
    note = models.CharField(gettext_lazy("keterangan"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = gettext_lazy("aturan bukti dukung")
        verbose_name_plural = pgettext_lazy("jamak", "aturan bukti dukung")
        ordering = ["target", "condition", "pk"]

    def __str__(self) -> str:
        kinds = "/".join(str(Evidence.Kind(kind).label) for kind in self.kinds if kind in Evidence.Kind.values)
        return f"{self.target} · {self.condition}: {kinds}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        target = rule_targets().get(self.target)
        if target is None:
            errors["target"] = _("Jenis data ini tidak dikenal.")
        elif self.condition not in target.all_conditions():
            errors["condition"] = _("Syarat ini tidak berlaku untuk jenis data tersebut.")
        kinds = self.kinds if isinstance(self.kinds, list) else []
        if not kinds or any(kind not in Evidence.Kind.values for kind in kinds):
            errors["kinds"] = _("Pilih sedikitnya satu jenis bukti dukung.")
        if errors:
            raise ValidationError(errors)
