"""The site's navigation, worked out in one place: the navbar's "Laporan" menu (every report of
reports/catalog.py that the user's role may open, as accounts/permissions.py says) and the
breadcrumb trail of a page, from its resolved URL name and arguments (base.html renders both, so
no page template repeats them; a page with a trail that needs its object, such as a monthly
report's, still overrides the ``breadcrumbs`` block).

It lives in the reports app because the menu reads the reports catalog; the trails only name the
lower apps' URLs (reverse by name), they import nothing of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, ResolverMatch, reverse
from django.utils.translation import gettext as _

from accounts import permissions
from core.formats import MONTH_NAMES
from reports.catalog import REPORTS


@dataclass(frozen=True)
class MenuItem:
    name: str  # the report's URL name in the reports app
    title: str
    url: str
    current: bool


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None  # None: the current page, or a heading without a page of its own


def may_open_reports(user: Any) -> bool:
    """The gate of reports/views.py's report_view (data_access_required without a capability)."""
    return bool(user.is_authenticated) and permissions.access_problem(user) is None


def report_menu(user: Any, current: str | None = None) -> list[MenuItem]:
    """The reports the user may open, in the catalog's order; ``current`` is the resolved view name."""
    if not may_open_reports(user):
        return []
    return [
        MenuItem(name, str(spec.title), reverse(f"reports:{name}"), current == f"reports:{name}")
        for name, spec in REPORTS.items()
    ]


def _satker_trail(kwargs: dict[str, Any]) -> list[Crumb]:
    code, year = kwargs["code"], kwargs["year"]
    return [
        Crumb(_("Satker"), reverse("budgets:satker-list")),
        Crumb(f"{code} · {year}", reverse("budgets:satker-year", args=[code, year])),
    ]


def _month(kwargs: dict[str, Any]) -> str:
    return str(MONTH_NAMES.get(kwargs.get("month"), kwargs.get("month", "")))


def _satker_url(name: str, kwargs: dict[str, Any], *extra: Any) -> str:
    return reverse(name, args=[kwargs["code"], kwargs["year"], *extra])


def _quarter(kwargs: dict[str, Any]) -> str:
    q = kwargs["q"]
    return _("Akhir tahun") if q == "year-end" else _("TW %(roman)s") % {"roman": ("I", "II", "III", "IV")[int(q) - 1]}


# URL name -> the crumbs between "Beranda" and the page (the last one is the page itself).
Trail = Callable[[dict[str, Any]], list[Crumb]]
SATKER_PAGES: dict[str, Trail] = {
    "budgets:satker-year": lambda kw: [],
    "budgets:realization-entry": lambda kw: [Crumb(_("Realisasi %(month)s") % {"month": _month(kw)}, None)],
    "budgets:rpd-entry": lambda kw: [Crumb(_("RPD"), None)],
    "budgets:pagu": lambda kw: [Crumb(_("Pagu dan revisi"), None)],
    "budgets:pagu-revise": lambda kw: [
        Crumb(_("Pagu dan revisi"), _satker_url("budgets:pagu", kw)),
        Crumb(_("Revisi DIPA"), None),
    ],
    "budgets:quarterly-detail": lambda kw: [Crumb(_quarter(kw), None)],
    "programs:records": lambda kw: [Crumb(_("Catatan program %(month)s") % {"month": _month(kw)}, None)],
    "programs:record-add": lambda kw: [
        Crumb(_("Catatan program %(month)s") % {"month": _month(kw)}, _satker_url("programs:records", kw, kw["month"])),
        Crumb(_("Tambah"), None),
    ],
    "programs:record-edit": lambda kw: [
        Crumb(_("Catatan program %(month)s") % {"month": _month(kw)}, _satker_url("programs:records", kw, kw["month"])),
        Crumb(_("Ubah"), None),
    ],
    "programs:targets": lambda kw: [Crumb(_("Target output"), None)],
    "programs:ovop": lambda kw: [Crumb(_("Sentra OVOP"), None)],
    "programs:ovop-edit": lambda kw: [
        Crumb(_("Sentra OVOP"), _satker_url("programs:ovop", kw)),
        Crumb(_("Ubah"), None),
    ],
    "programs:ovop-coaching": lambda kw: [
        Crumb(_("Sentra OVOP"), _satker_url("programs:ovop", kw)),
        Crumb(_("Pembinaan"), None),
    ],
    "programs:ovop-awards": lambda kw: [Crumb(_("Penghargaan OVOP"), None)],
    "programs:ovop-candidate": lambda kw: [
        Crumb(_("Penghargaan OVOP"), _satker_url("programs:ovop-awards", kw)),
        Crumb(_("Kandidat"), None),
    ],
}
PAGES: dict[str, Callable[[], list[Crumb]]] = {
    "budgets:satker-list": lambda: [Crumb(_("Satker"), None)],
    "budgets:report-list": lambda: [Crumb(_("Laporan bulanan"), None)],
    "budgets:obstacles": lambda: [Crumb(_("Papan kendala"), None)],
    "budgets:ledger": lambda: [Crumb(_("Keterlambatan laporan"), None)],
    "budgets:sanction-detail": lambda: [
        Crumb(_("Keterlambatan laporan"), reverse("budgets:ledger")),
        Crumb(_("Sanksi"), None),
    ],
    "core:notifications": lambda: [Crumb(_("Notifikasi"), None)],
    "accounts:delegations": lambda: [Crumb(_("Pelimpahan (Plh/Plt)"), None)],
    "accounts:password-change": lambda: [Crumb(_("Ganti kata sandi"), None)],
    "accounts:password-change-done": lambda: [Crumb(_("Ganti kata sandi"), None)],
}


def trail(match: ResolverMatch | None) -> list[Crumb]:
    """Beranda > ... > the page, or [] for the home page and pages without a known place."""
    if match is None or match.view_name == "dashboard:home":
        return []
    name, kwargs = match.view_name, match.kwargs
    try:
        if name.startswith("reports:") and kwargs.get("name") in REPORTS:
            middle = [Crumb(_("Laporan"), None), Crumb(str(REPORTS[kwargs["name"]].title), None)]
        elif name in SATKER_PAGES:
            middle = _satker_trail(kwargs) + SATKER_PAGES[name](kwargs)
            if name == "budgets:satker-year":
                middle[-1] = Crumb(middle[-1].label, None)
        elif name in PAGES:
            middle = PAGES[name]()
        else:
            return []
    except (KeyError, ValueError, IndexError, NoReverseMatch):
        return []  # an URL whose arguments do not make a trail: no breadcrumbs rather than a 500
    return [Crumb(_("Beranda"), reverse("dashboard:home")), *middle]
