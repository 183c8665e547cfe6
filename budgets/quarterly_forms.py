"""The forms of the quarterly report's page: its narrative, its obstacles and its steps. Each
carries the report's version, so a form built on an older version is refused by the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.models import Obstacle


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class NarrativeForm(VersionForm):
    narrative = forms.CharField(
        label=_("Uraian singkat pelaksanaan triwulan"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip


class ObstacleForm(VersionForm):
    obstacle = forms.IntegerField(widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(label=_("Kategori"), choices=Obstacle.Category.choices)
    description = forms.CharField(label=_("Uraian kendala"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    amount_at_risk = forms.IntegerField(label=_("Anggaran terdampak (Rp)"), min_value=0, initial=0)
    follow_up = forms.CharField(label=_("Usulan tindak lanjut"), max_length=4000,
                                widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    owner = forms.CharField(label=_("Penanggung jawab"), max_length=200)
    target_date = forms.DateField(label=_("Target selesai"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    status = forms.ChoiceField(
        label=_("Status"), choices=[(Obstacle.State.OPEN, Obstacle.State.OPEN.label),
                                    (Obstacle.State.IN_PROGRESS, Obstacle.State.IN_PROGRESS.label)],
        initial=Obstacle.State.OPEN,
    )  # fmt: skip


class ObstacleCloseForm(VersionForm):
    obstacle = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.CharField(label=_("Hasil tindak lanjut"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    resolved = forms.TypedChoiceField(
        label=_("Tindak lanjut berhasil?"), choices=[("yes", _("Ya, kendala teratasi")), ("no", _("Tidak"))],
        coerce=lambda value: value == "yes",
    )  # fmt: skip


class StepForm(VersionForm):
    note = forms.CharField(label=_("Catatan (opsional)"), required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class QuarterlyReturnForm(VersionForm):
    comment = forms.CharField(label=_("Alasan pengembalian"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Tuliskan apa yang harus diperbaiki petugas."))  # fmt: skip
