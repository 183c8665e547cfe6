"""Forms of the officers' programme records. They only read the input (types, Indonesian money);
the rules and their messages live in programs.records.services, whose ValidationError is put
back on these fields by the views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from budgets.forms import RupiahField
from budgets.models import Province, Regency, Satker
from budgets.region_lookup import regencies_in
from programs.models import (
    CommodityGroup,
    FacilitationKind,
    OutputIndicator,
    OvopCandidate,
    OvopCycle,
    OvopGroup,
    PovertyActivity,
    Sentra,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class RegencyField(forms.ModelChoiceField):
    """Offers the province's regencies, but reads any regency: a regency of another province
    (a stale page, a crafted post) then gets the service's clear message on the field instead
    of a generic "invalid choice"."""

    def to_python(self, value: Any) -> Regency | None:
        if value in self.empty_values:
            return None
        try:
            return Regency.objects.select_related("province").get(pk=value)
        except (ValueError, TypeError, Regency.DoesNotExist) as missing:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from missing


def _regency_field(label: str) -> RegencyField:
    return RegencyField(label=label, queryset=Regency.objects.none(), empty_label="---------")


class ProvinceFormMixin:
    """Forms with a regency: the choices are the regencies of the satker's province, on the map of
    the record's year when there is one (budgets.region_lookup.regencies_in)."""

    def __init__(self, *args: Any, province: Province, year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regencies = Regency.objects.filter(province=province) if year is None else regencies_in(province, year)
        self.fields["regency"].queryset = regencies.order_by("kemendagri_code")


class NewEntrepreneurForm(ProvinceFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama WUB"), max_length=200)
    regency = _regency_field(_("Kabupaten/kota"))
    business_type = forms.CharField(label=_("Jenis usaha"), max_length=200, help_text=_("Mis. keripik pisang, tenun."))
    nib = forms.CharField(
        label=_("NIB"), required=False, max_length=20, help_text=_("13 digit dari OSS; kosongkan bila belum berizin.")
    )
    legalized_on = forms.DateField(label=_("Tanggal memperoleh NIB"), required=False, widget=DateInput)


class PovertyActivityForm(ProvinceFormMixin, forms.Form):
    regency = _regency_field(_("Kabupaten/kota prioritas"))
    kind = forms.ChoiceField(label=_("Jenis kegiatan"), choices=PovertyActivity.Kind.choices)
    description = forms.CharField(label=_("Uraian"), required=False, max_length=300)
    beneficiaries = forms.IntegerField(label=_("Jumlah penerima manfaat"))
    value = RupiahField(label=_("Nilai (Rp)"), required=False)


class FacilitationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis fasilitasi"), choices=FacilitationKind.choices)
    nib = forms.CharField(
        label=_("NIB"), required=False, max_length=20, help_text=_("Bila diisi, harus terdaftar di registri IKM.")
    )
    enterprise_name = forms.CharField(
        label=_("Nama usaha"),
        required=False,
        max_length=200,
        help_text=_("Boleh dikosongkan bila NIB diisi: nama diambil dari registri."),
    )
    value = RupiahField(
        label=_("Nilai (Rp)"),
        required=False,
        help_text=_("Hanya untuk pameran (nilai transaksi) dan restrukturisasi (nilai penggantian)."),
    )
    certificate_number = forms.CharField(
        label=_("Nomor sertifikat/pendaftaran"),
        required=False,
        max_length=100,
        help_text=_("Untuk SNI, ISO, HACCP, halal dan HKI."),
    )
    certificate_date = forms.DateField(label=_("Tanggal sertifikat/pendaftaran"), required=False, widget=DateInput)
    note = forms.CharField(label=_("Keterangan"), required=False, max_length=300)

    def __init__(self, *args: Any, province: Province | None = None, year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class SentraForm(ProvinceFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama sentra"), max_length=200)
    regency = _regency_field(_("Kabupaten/kota"))
    village = forms.CharField(label=_("Desa/kelurahan"), max_length=120)
    commodity = forms.CharField(label=_("Komoditas"), max_length=120, required=False,
                                help_text=_("Mis. tenun ikat, keripik pisang."))  # fmt: skip
    commodity_group = forms.ChoiceField(label=_("Kelompok komoditas"), choices=CommodityGroup.choices)
    unit_count = forms.IntegerField(label=_("Jumlah unit IKM"), help_text=_("Sentra: minimal 5 unit IKM."))
    # Not required here: the service says which sentra need it (every new one), with its message.
    decree_number = forms.CharField(label=_("Nomor SK bupati/wali kota"), max_length=100, required=False,
                                    help_text=_("SK pengesahan sentra."))  # fmt: skip
    decree_date = forms.DateField(label=_("Tanggal SK"), required=False, widget=DateInput)


STAR_CHOICES = [("", "---------")] + [(stars, "★" * stars + f" ({stars})") for stars in range(1, 6)]


class StarsField(forms.IntegerField):
    """An integer behind a select: a value outside 1-5 still reaches the service and its message."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, widget=forms.Select(choices=STAR_CHOICES), **kwargs)


class OvopCoachingForm(forms.Form):
    stars = StarsField(label=_("Bintang dilaporkan"), help_text=_("Boleh kosong."))


class OvopCandidateForm(ProvinceFormMixin, forms.Form):
    """A proposal: the enterprise by its NIB in the registry (of the satker's province)."""

    nib = forms.CharField(label=_("NIB IKM"), max_length=20, help_text=_("IKM harus terdaftar di registri IKM."))
    product = forms.CharField(label=_("Nama produk"), max_length=200)
    group = forms.ChoiceField(label=_("Kelompok OVOP"), choices=OvopGroup.choices)
    regency = _regency_field(_("Kabupaten/kota pengusul"))
    sentra = forms.ModelChoiceField(label=_("Sentra"), queryset=Sentra.objects.none(), required=False)
    re_evaluates = forms.ModelChoiceField(
        label=_("Evaluasi ulang atas"), queryset=OvopCandidate.objects.none(), required=False,
        help_text=_("Bintang yang ditetapkan pada siklus sebelumnya, bila usulan ini evaluasi ulang."),
    )  # fmt: skip

    def __init__(self, *args: Any, satker: Satker, cycle: OvopCycle, **kwargs: Any) -> None:
        super().__init__(*args, province=satker.province, **kwargs)
        self.fields["sentra"].queryset = Sentra.objects.filter(satker__province=satker.province).select_related(
            "regency"
        )
        self.fields["re_evaluates"].queryset = OvopCandidate.objects.filter(
            satker__province=satker.province, cycle__year__lt=cycle.year, awarded_stars__isnull=False
        ).select_related("cycle", "enterprise")


CHECK_CHOICES = [("", _("Belum diperiksa")), ("true", _("Lolos")), ("false", _("Tidak lolos"))]


class OvopEvaluationForm(forms.Form):
    admin_check_passed = forms.TypedChoiceField(
        label=_("Seleksi administrasi"), choices=CHECK_CHOICES, required=False,
        coerce=lambda value: value == "true", empty_value=None,
    )  # fmt: skip
    # Text: "85,5" and "85.5" both reach the service, which reads and checks the score.
    score = forms.CharField(label=_("Nilai (0-100)"), max_length=20, required=False)
    recommended_stars = StarsField(label=_("Bintang rekomendasi"),
                                   help_text=_("Kosong: dari rentang nilai siklus, bila ada."))  # fmt: skip
    awarded_stars = StarsField(label=_("Bintang ditetapkan"))


class OutputTargetsForm(forms.Form):
    """One field per indicator of OutputIndicator, named by its key; empty = no target."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in OutputIndicator.choices:
            self.fields[key] = RupiahField(label=label, required=False)

    def targets(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(key) for key in OutputIndicator.values}
