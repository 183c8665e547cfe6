"""The form officers record an IKM enterprise with. It reads the input (money in the Indonesian
format, choices within the user's scope); the registry's rules live in the service
(programs/registry/services.py), whose errors the view puts back on these fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from accounts.scoping import scoped
from budgets.forms import RupiahField
from budgets.models import Regency, Satker
from programs.models import Enterprise, Sentra

if TYPE_CHECKING:
    from accounts.models import User

# The form's sections, in order, for the template.
SECTIONS = (
    (_("Identitas usaha"), ("nib", "name", "owner")),
    (_("Lokasi"), ("regency", "address", "centre")),
    (_("Kegiatan usaha"), ("kbli", "workers_male", "workers_female", "investment", "production_value")),
    (_("Pendataan"), ("data_year", "satker")),
)


class RegencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Regency) -> str:
        return f"{obj.kemendagri_code} {obj.name}"


class EnterpriseForm(forms.Form):
    nib = forms.CharField(
        label=_("NIB"),
        required=False,
        help_text=_(
            "Nomor Induk Berusaha dari OSS: 13 digit, angka 0 di depan ikut ditulis. Kosongkan bila belum ada."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20}),
    )
    name = forms.CharField(label=_("Nama usaha"), max_length=200)
    owner = forms.CharField(label=_("Nama pemilik"), max_length=200, required=False)
    regency = RegencyChoiceField(
        label=_("Kabupaten/kota"),
        queryset=Regency.objects.none(),
        error_messages={"invalid_choice": _("Kabupaten/kota ini tidak ada atau berada di luar provinsi Anda.")},
    )
    address = forms.CharField(
        label=_("Alamat"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    centre = forms.ModelChoiceField(
        label=_("Sentra"),
        queryset=Sentra.objects.none(),
        required=False,
        help_text=_("Sentra IKM tempat usaha ini bergabung, bila ada."),
    )
    kbli = forms.CharField(
        label=_("KBLI"),
        help_text=_("Kode KBLI 5 digit industri pengolahan (kategori C, 10xxx sampai 33xxx), mis. 10792."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 10}),
    )
    workers_male = forms.IntegerField(
        label=_("Tenaga kerja laki-laki"), initial=0, error_messages={"invalid": _("Isi dengan bilangan bulat.")}
    )
    workers_female = forms.IntegerField(
        label=_("Tenaga kerja perempuan"), initial=0, error_messages={"invalid": _("Isi dengan bilangan bulat.")}
    )
    investment = RupiahField(
        label=_("Investasi (Rp)"),
        required=False,
        help_text=_("Nilai investasi di luar tanah dan bangunan, rupiah bulat; format 1.250.000 diterima."),
    )
    production_value = RupiahField(
        label=_("Nilai produksi per tahun (Rp)"),
        required=False,
        help_text=_("Rupiah bulat; format 1.250.000 diterima."),
    )
    data_year = forms.IntegerField(
        label=_("Tahun pendataan"),
        help_text=_("Tahun data usaha ini dikumpulkan."),
        error_messages={"invalid": _("Isi tahun dengan 4 angka, mis. 2024.")},
    )
    satker = forms.ModelChoiceField(
        label=_("Satker pendata"),
        queryset=Satker.objects.none(),
        required=False,
        help_text=_("Kosongkan untuk satker provinsi dari kabupaten/kota yang dipilih."),
    )
    confirm_duplicate = forms.BooleanField(label=_("Saya yakin ini usaha yang berbeda"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, user: User, enterprise: Enterprise | None = None, **kwargs: Any) -> None:
        if enterprise is not None:
            kwargs.setdefault("initial", initial_for(enterprise))
        else:
            kwargs.setdefault("initial", {"data_year": timezone.localdate().year, "workers_male": 0,
                                          "workers_female": 0})  # fmt: skip
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.fields["regency"].queryset = scoped(Regency.objects.all(), user, for_edit=True).order_by("kemendagri_code")
        self.fields["centre"].queryset = scoped(Sentra.objects.select_related("regency"), user, for_edit=True).order_by(
            "name"
        )
        if permissions.writes_everywhere(user):
            self.fields["satker"].queryset = Satker.objects.order_by("code")
        else:
            # Officers record for their own satker; the service sets it.
            del self.fields["satker"]
        if enterprise is not None:
            self.fields["version"].required = True
        # Asked only once the service has found an enterprise of the same name in the regency
        # (or when the officer already ticked it and the form came back for another reason).
        self.asks_confirmation = bool(self.is_bound and self.data.get("confirm_duplicate"))

    def ask_confirmation(self) -> None:
        self.asks_confirmation = True

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in SECTIONS]

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        data.pop("confirm_duplicate", None)
        data.pop("version", None)
        return data


def initial_for(enterprise: Enterprise) -> dict[str, Any]:
    return {
        "nib": enterprise.nib or "",
        "name": enterprise.name,
        "owner": enterprise.owner,
        "regency": enterprise.regency_id,
        "address": enterprise.address,
        "centre": enterprise.centre_id,
        "kbli": enterprise.kbli,
        "workers_male": enterprise.workers_male,
        "workers_female": enterprise.workers_female,
        "investment": enterprise.investment,
        "production_value": enterprise.production_value,
        "data_year": enterprise.data_year,
        "satker": enterprise.satker_id,
        "version": enterprise.version,
    }
