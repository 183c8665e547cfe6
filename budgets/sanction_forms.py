"""Forms of the sanction proposals (budgets/services/sanctions.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from budgets.models import SanctionProposal


class SanctionProposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis sanksi"), choices=SanctionProposal.Kind.choices)
    note = forms.CharField(
        label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000,
        help_text=_("Laporan terlambat dari buku keterlambatan dilampirkan otomatis."),
    )  # fmt: skip


class SanctionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(SanctionProposal.Decision.APPROVED, _("Setujui")), (SanctionProposal.Decision.REJECTED, _("Tolak"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Catatan keputusan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000,
                           required=False)  # fmt: skip
