"""A satker's OVOP pages (tabs of its year): the sentra directory with the year's coaching
("sentra dibina"), and the award cycles with the province's candidates.

Every page loads its satker through the scoping helper (another province's satker is a 404;
its sentra and candidates likewise). Officers of the province (the edit scope) add and edit
sentra, record coaching and propose candidates; the selection's results (check, score,
stars) are the directorate admin's (accounts.permissions.writes_everywhere). Others read (403 on
a write). Writes go through programs.records.ovop.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.access import data_access_required
from accounts.scoping import get_scoped_or_404, scoped
from budgets.evidence_selectors import evidence_for
from budgets.models import FiscalYear, Satker
from budgets.reports.specs import Column
from budgets.services.evidence import may_change_evidence
from budgets.views.common import satker_year_or_404
from core.exports.table_export import (
    Sheet,
    export_filename,
    export_heading,
    requested_format,
    unknown_format,
    xlsx_response,
)
from programs.models import (
    CoachingLevel,
    Enterprise,
    OvopCandidate,
    OvopCoaching,
    OvopCycle,
    Sentra,
    coaching_level_for,
)
from programs.records import ovop
from programs.records.evidence import ovop_coaching_place
from programs.records.forms import OvopCandidateForm, OvopCoachingForm, OvopEvaluationForm, SentraForm, StarsField
from programs.records.views import put_errors
from programs.registry.rules import RuleError, clean_nib


def _level(stars: int | None) -> str | None:
    return CoachingLevel(coaching_level_for(stars)).label if stars else None


# -- the sentra directory and its coaching ---------------------------------------------------------


def _coaching_form(sentra: Sentra, data: Any = None, initial: dict | None = None) -> OvopCoachingForm:
    # One small form per sentra on the page: distinct ids, the same field name.
    return OvopCoachingForm(data, initial=initial, auto_id=f"id_coaching_{sentra.pk}_%s")


def _sentra_rows(request: HttpRequest, satker: Satker, fiscal_year: FiscalYear) -> list[dict[str, Any]]:
    """The satker's sentra in the user's scope, each with its coaching records (latest first) and
    the page year's: two queries, whatever their number."""
    coachings = Prefetch("coachings", queryset=OvopCoaching.objects.order_by("-year"), to_attr="by_year")
    sentras = (
        scoped(Sentra.objects.filter(satker=satker), request.user)
        .select_related("regency")
        .prefetch_related(coachings)
        .order_by("name", "pk")
    )
    rows = []
    for sentra in sentras:
        this_year = next((c for c in sentra.by_year if c.year == fiscal_year.year), None)
        rows.append({
            "sentra": sentra,
            "latest": sentra.by_year[0] if sentra.by_year else None,
            "this_year": this_year,
            "level": _level(this_year.stars) if this_year else None,
        })  # fmt: skip
    return rows


def _ovop_page(
    request: HttpRequest,
    satker: Satker,
    fiscal_year: FiscalYear,
    can_edit: bool,
    sentra_form: SentraForm | None = None,
    coaching_forms: dict[int, OvopCoachingForm] | None = None,
) -> HttpResponse:
    coaching_forms = coaching_forms or {}
    rows = _sentra_rows(request, satker, fiscal_year)
    for row in rows:
        sentra, this_year = row["sentra"], row["this_year"]
        row["coaching_form"] = coaching_forms.get(sentra.pk) or _coaching_form(
            sentra, initial={"stars": this_year.stars if this_year else None}
        )
    if can_edit and sentra_form is None:
        sentra_form = SentraForm(province=satker.province, prefix="sentra")
    coached = [row for row in rows if row["this_year"]]
    # The year's coaching carry their evidence (bukti dukung): one query for all of them (+1 for
    # the duplicate flags of a reader of every province), and one write check for the page.
    evidence = evidence_for([row["this_year"] for row in coached],
                            duplicates=permissions.reads_all_provinces(request.user))  # fmt: skip
    for row in coached:
        row["evidence_count"] = len(evidence.of(row["this_year"]))
    return render(request, "programs/records/ovop.html", {
        "satker": satker, "fiscal_year": fiscal_year, "can_edit": can_edit, "rows": rows, "coached": coached,
        "units": sum(row["sentra"].unit_count for row in coached),
        "sentra_form": sentra_form if can_edit else None,
        "can_coach": can_edit and not fiscal_year.is_closed,
        "evidence": evidence,
        "evidence_editable": can_edit and bool(coached)
        and may_change_evidence(place=ovop_coaching_place(satker, fiscal_year), by=request.user),
        "export_url": reverse("programs:ovop", args=[satker.code, fiscal_year.year]) + "?format=xlsx",
    })  # fmt: skip


def _ovop_xlsx(request: HttpRequest, satker: Satker, fiscal_year: FiscalYear) -> HttpResponse:
    year = fiscal_year.year
    columns = (
        Column("name", gettext_lazy("Nama sentra")),
        Column("regency_code", gettext_lazy("Kode kabupaten/kota")),
        Column("regency", gettext_lazy("Kabupaten/kota")),
        Column("village", gettext_lazy("Desa/kelurahan")),
        Column("commodity", gettext_lazy("Komoditas")),
        Column("commodity_group", gettext_lazy("Kelompok komoditas")),
        Column("unit_count", gettext_lazy("Unit IKM"), "count"),
        Column("decree_number", gettext_lazy("Nomor SK")),
        Column("decree_date", gettext_lazy("Tanggal SK"), "date"),
        Column("coached", _("Dibina %(year)s") % {"year": year}, "bool"),
        Column("stars", _("Bintang dilaporkan %(year)s") % {"year": year}, "int"),
        Column("latest_year", gettext_lazy("Tahun pembinaan terakhir"), "int"),
    )
    rows = []
    for row in _sentra_rows(request, satker, fiscal_year):
        sentra, latest, this_year = row["sentra"], row["latest"], row["this_year"]
        rows.append([
            sentra.name, sentra.regency.kemendagri_code, sentra.regency.name, sentra.village, sentra.commodity,
            sentra.get_commodity_group_display(), sentra.unit_count, sentra.decree_number or None,
            sentra.decree_date, this_year is not None, this_year.stars if this_year else None,
            latest.year if latest else None,
        ])  # fmt: skip
    title = _("Sentra IKM dan pembinaan OVOP")
    heading = export_heading(title, [f"{satker.code} {satker.name}", _("Tahun %(year)s") % {"year": year}])
    return xlsx_response([Sheet(title, heading, columns, rows)],
                         filename=export_filename("sentra-ovop", satker.code, year))  # fmt: skip


@data_access_required()
def ovop_centres(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The satker's sentra directory and the year's coaching; POST adds a sentra."""
    fmt = requested_format(request)
    if fmt is None:
        return unknown_format()
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    if fmt == "xlsx" and request.method == "GET":
        return _ovop_xlsx(request, satker, fiscal_year)
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = SentraForm(request.POST, province=satker.province, prefix="sentra")
        if form.is_valid():
            try:
                sentra = ovop.sentra_create(satker=satker, by=request.user, **form.cleaned_data)
                messages.success(request, _("Sentra %(name)s disimpan.") % {"name": sentra.name})
                return redirect("programs:ovop", code=satker.code, year=fiscal_year.year)
            except ValidationError as error:
                put_errors(request, form, error)
        messages.error(request, _("Sentra belum disimpan: periksa pesan pada isian yang ditandai."))
    return _ovop_page(request, satker, fiscal_year, can_edit, sentra_form=form)


def _sentra_or_404(request: HttpRequest, satker: Satker, pk: int) -> Sentra:
    return get_scoped_or_404(Sentra.objects.filter(satker=satker).select_related("satker__province", "regency"),
                             request.user, pk=pk)  # fmt: skip


@data_access_required()
def sentra_edit(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    sentra = _sentra_or_404(request, satker, pk)
    if not can_edit:
        raise PermissionDenied
    if request.method == "POST":
        form = SentraForm(request.POST, province=satker.province)
        if form.is_valid():
            try:
                ovop.sentra_update(sentra=sentra, by=request.user, **form.cleaned_data)
                messages.success(request, _("Sentra %(name)s disimpan.") % {"name": sentra.name})
                return redirect("programs:ovop", code=satker.code, year=fiscal_year.year)
            except ValidationError as error:
                put_errors(request, form, error)
        messages.error(request, _("Perubahan belum disimpan: periksa pesan pada isian yang ditandai."))
    else:
        form = SentraForm(province=satker.province,
                          initial={name: getattr(sentra, name) for name in SentraForm.base_fields})  # fmt: skip
    return render(request, "programs/records/ovop_edit.html",
                  {"satker": satker, "fiscal_year": fiscal_year, "sentra": sentra, "form": form})  # fmt: skip


@data_access_required()
@require_POST
def ovop_coaching(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """Record (or, with ``remove``, take back) that the sentra was coached in the page's year."""
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    sentra = _sentra_or_404(request, satker, pk)
    if not can_edit:
        raise PermissionDenied
    form = _coaching_form(sentra, request.POST)
    try:
        if "remove" in request.POST:
            ovop.ovop_coaching_delete(sentra=sentra, fiscal_year=fiscal_year, by=request.user)
            messages.success(request, _("Sentra %(name)s tidak lagi tercatat dibina tahun %(year)s.")
                             % {"name": sentra.name, "year": fiscal_year.year})  # fmt: skip
            return redirect("programs:ovop", code=satker.code, year=fiscal_year.year)
        if form.is_valid():
            coaching = ovop.ovop_coaching_set(sentra=sentra, fiscal_year=fiscal_year, by=request.user,
                                              stars=form.cleaned_data["stars"])  # fmt: skip
            messages.success(request, _("Sentra %(name)s tercatat dibina tahun %(year)s.")
                             % {"name": sentra.name, "year": coaching.year})  # fmt: skip
            return redirect("programs:ovop", code=satker.code, year=fiscal_year.year)
    except ValidationError as error:
        put_errors(request, form, error)
    messages.error(request, _("Pembinaan sentra %(name)s belum disimpan.") % {"name": sentra.name})
    return _ovop_page(request, satker, fiscal_year, can_edit, coaching_forms={sentra.pk: form})


# -- award cycles and candidates -------------------------------------------------------------------


def _cycle_of(request: HttpRequest, cycles: list[OvopCycle], year: int) -> OvopCycle | None:
    """The cycle asked for (``?cycle=2024``), else the latest one up to the page's year, else the
    latest one."""
    asked = request.GET.get("cycle", "")
    chosen = next((c for c in cycles if str(c.year) == asked), None)
    return chosen or next((c for c in cycles if c.year <= year), None) or (cycles[0] if cycles else None)


def _candidate_rows(request: HttpRequest, satker: Satker, cycle: OvopCycle) -> list[dict[str, Any]]:
    candidates = (
        scoped(OvopCandidate.objects.filter(satker=satker, cycle=cycle), request.user)
        .select_related("enterprise", "regency", "sentra", "re_evaluates__cycle")
        .order_by("product", "pk")
    )
    rows = []
    for candidate in candidates:
        earlier = candidate.re_evaluates
        move = None
        if earlier is not None and candidate.awarded_stars is not None:
            move = "up" if candidate.awarded_stars > earlier.awarded_stars else (
                "down" if candidate.awarded_stars < earlier.awarded_stars else "same")  # fmt: skip
        rows.append({"candidate": candidate, "level": _level(candidate.awarded_stars), "move": move})
    return rows


class StarsGridForm(forms.Form):
    """The awarded stars of every candidate of a cycle on one form: one select per candidate
    (``stars-<pk>``), so that the directorate sets a cycle's stars in one save instead of one
    candidate page at a time."""

    def __init__(self, *args: Any, candidates: list[OvopCandidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for candidate in candidates:
            self.fields[self.field_name(candidate)] = StarsField(
                label=_("Bintang ditetapkan untuk %(product)s") % {"product": candidate.product},
                initial=candidate.awarded_stars,
            )

    @staticmethod
    def field_name(candidate: OvopCandidate) -> str:
        return f"stars-{candidate.pk}"

    def rows(self) -> list[tuple[OvopCandidate, forms.BoundField]]:
        return [(candidate, self[self.field_name(candidate)]) for candidate in self.candidates]

    def changed_stars(self) -> list[tuple[OvopCandidate, int | None]]:
        """(candidate, new stars) of each candidate whose select differs from what is stored."""
        return [
            (candidate, self.cleaned_data[self.field_name(candidate)])
            for candidate in self.candidates
            if self.cleaned_data[self.field_name(candidate)] != candidate.awarded_stars
        ]


def _awards_page(
    request: HttpRequest,
    satker: Satker,
    fiscal_year: FiscalYear,
    can_edit: bool,
    cycle: OvopCycle | None,
    cycles: list[OvopCycle],
    form: OvopCandidateForm | None = None,
    stars_form: StarsGridForm | None = None,
) -> HttpResponse:
    may_propose = can_edit and cycle is not None and not satker.is_central
    if may_propose and form is None:
        form = OvopCandidateForm(satker=satker, cycle=cycle, prefix="candidate")
    rows = _candidate_rows(request, satker, cycle) if cycle else []
    may_evaluate = permissions.writes_everywhere(request.user)
    if may_evaluate and rows and stars_form is None:
        stars_form = StarsGridForm(candidates=[row["candidate"] for row in rows])
    return render(request, "programs/records/ovop_awards.html", {
        "satker": satker, "fiscal_year": fiscal_year, "can_edit": can_edit, "cycle": cycle, "cycles": cycles,
        "rows": rows,
        "form": form if may_propose else None,
        "may_evaluate": may_evaluate,
        "stars_form": stars_form if may_evaluate else None,
    })  # fmt: skip


def _enterprise_by_nib(nib: str) -> Enterprise | None:
    """The registry's enterprise of this NIB; one of another province is the service's error."""
    try:
        clean = clean_nib(nib)
    except RuleError:
        return None
    return Enterprise.objects.filter(nib=clean).first() if clean else None


@data_access_required()
def ovop_awards(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The award cycles and the province's candidates of one; POST proposes a candidate."""
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    cycles = list(OvopCycle.objects.prefetch_related("bands").order_by("-year"))
    cycle = _cycle_of(request, cycles, fiscal_year.year)
    form = None
    if request.method == "POST":
        if not can_edit or cycle is None:
            raise PermissionDenied
        form = OvopCandidateForm(request.POST, satker=satker, cycle=cycle, prefix="candidate")
        if form.is_valid():
            data = dict(form.cleaned_data)
            enterprise = _enterprise_by_nib(data.pop("nib"))
            try:
                if enterprise is None:
                    raise ValidationError({"nib": [_("NIB ini tidak terdaftar di registri IKM.")]})
                candidate = ovop.candidate_propose(cycle=cycle, satker=satker, enterprise=enterprise,
                                                   by=request.user, **data)  # fmt: skip
                messages.success(request, _("Usulan %(product)s (%(name)s) disimpan.")
                                 % {"product": candidate.product, "name": enterprise.name})  # fmt: skip
                return redirect(reverse("programs:ovop-awards", args=[satker.code, fiscal_year.year])
                                + f"?cycle={cycle.year}")  # fmt: skip
            except ValidationError as error:
                put_errors(request, form, error)
        messages.error(request, _("Usulan belum disimpan: periksa pesan pada isian yang ditandai."))
    return _awards_page(request, satker, fiscal_year, can_edit, cycle, cycles, form)


@data_access_required()
@require_POST
def ovop_award_stars(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The grid of a cycle's awarded stars (``?cycle=``), saved in one POST by the directorate
    admin (who alone records the selection's results): each changed candidate goes through
    candidate_evaluate (its rules, its history record); when any row is refused nothing is saved
    and each refusal is shown on its row."""
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    if not permissions.writes_everywhere(request.user):
        raise PermissionDenied
    cycles = list(OvopCycle.objects.prefetch_related("bands").order_by("-year"))
    cycle = _cycle_of(request, cycles, fiscal_year.year)
    if cycle is None:
        raise Http404
    candidates = [row["candidate"] for row in _candidate_rows(request, satker, cycle)]
    form = StarsGridForm(request.POST, candidates=candidates)
    back = reverse("programs:ovop-awards", args=[satker.code, fiscal_year.year]) + f"?cycle={cycle.year}"
    if form.is_valid():
        changed = form.changed_stars()
        refused: dict[str, list[str]] = {}
        with transaction.atomic():
            for candidate, stars in changed:
                try:
                    ovop.candidate_evaluate(
                        candidate=candidate, admin_check_passed=candidate.admin_check_passed, score=candidate.score,
                        recommended_stars=candidate.recommended_stars, awarded_stars=stars, by=request.user,
                    )  # fmt: skip
                except ValidationError as error:
                    refused[form.field_name(candidate)] = error.messages
            if refused:
                transaction.set_rollback(True)  # all or nothing: the grid is one decision
        if not refused:
            messages.success(request, _("Bintang %(count)s calon disimpan.") % {"count": len(changed)})
            return redirect(back)
        for field, errors in refused.items():
            for message in errors:
                form.add_error(field, message)
    messages.error(request, _("Bintang belum disimpan: periksa pesan pada baris yang ditandai. Tidak ada yang diubah."))
    return _awards_page(request, satker, fiscal_year, can_edit, cycle, cycles, stars_form=form)


def _candidate_or_404(request: HttpRequest, satker: Satker, pk: int) -> OvopCandidate:
    queryset = OvopCandidate.objects.filter(satker=satker).select_related("cycle", "enterprise", "satker", "regency")
    return get_scoped_or_404(queryset, request.user, pk=pk)


@data_access_required()
def ovop_candidate(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    """One candidate: the directorate admin records the selection's results; the province's
    officer may withdraw it before the administrative check."""
    satker, fiscal_year, can_edit = satker_year_or_404(request, code, year)
    candidate = _candidate_or_404(request, satker, pk)
    back = reverse("programs:ovop-awards", args=[satker.code, fiscal_year.year]) + f"?cycle={candidate.cycle.year}"
    may_evaluate = permissions.writes_everywhere(request.user)
    form = None
    if request.method == "POST":
        if "withdraw" in request.POST:
            if not can_edit:
                raise PermissionDenied
            try:
                ovop.candidate_withdraw(candidate=candidate, by=request.user)
                messages.success(request, _("Usulan %(product)s ditarik.") % {"product": candidate.product})
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            return redirect(back)
        if not may_evaluate:
            raise PermissionDenied
        form = OvopEvaluationForm(request.POST)
        if form.is_valid():
            try:
                ovop.candidate_evaluate(candidate=candidate, by=request.user, **form.cleaned_data)
                messages.success(request, _("Hasil seleksi %(product)s disimpan.") % {"product": candidate.product})
                return redirect(back)
            except ValidationError as error:
                put_errors(request, form, error)
        messages.error(request, _("Hasil seleksi belum disimpan: periksa pesan pada isian yang ditandai."))
    elif may_evaluate:
        form = OvopEvaluationForm(initial={
            "admin_check_passed": {True: "true", False: "false"}.get(candidate.admin_check_passed, ""),
            "score": candidate.score, "recommended_stars": candidate.recommended_stars,
            "awarded_stars": candidate.awarded_stars,
        })  # fmt: skip
    return render(request, "programs/records/ovop_candidate.html", {
        "satker": satker, "fiscal_year": fiscal_year, "candidate": candidate, "form": form, "back": back,
        "level": _level(candidate.awarded_stars),
        "may_withdraw": can_edit and candidate.admin_check_passed is None,
    })  # fmt: skip


_OVOP = "satkers/<str:code>/<int:year>/ovop/"

urlpatterns: list[URLPattern] = [
    path(_OVOP, ovop_centres, name="ovop"),
    path(f"{_OVOP}<int:pk>/edit/", sentra_edit, name="ovop-edit"),
    path(f"{_OVOP}<int:pk>/coaching/", ovop_coaching, name="ovop-coaching"),
    path(f"{_OVOP}awards/", ovop_awards, name="ovop-awards"),
    path(f"{_OVOP}awards/stars/", ovop_award_stars, name="ovop-award-stars"),
    path(f"{_OVOP}awards/<int:pk>/", ovop_candidate, name="ovop-candidate"),
]
