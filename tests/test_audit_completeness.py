"""Audit completeness: every model a user can change keeps its history (django-simple-history),
and what imports and the report workflow write is in that history with who and why.

A model without history must be listed below with the reason it needs none; the test fails for
a new model that is neither."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from budgets.models import MonthlyReport, Realization
from imports.importer import import_file
from tests.access_world import build_world
from tests.conftest import client_for
from tests.imports.test_upload_flow import xlsx
from tests.personas import head_of

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "core", "budgets", "programs", "imports")

# Models without history, and why none is needed. None of them can be changed by a user: they
# are written once as a record of something that has history, or derived from such data.
WITHOUT_HISTORY = {
    "budgets.BudgetRevisionLine": "a line of a DIPA revision, written once with it",
    "budgets.RpdRevision": "the record of an RPD change itself, written once",
    "budgets.ReportTransition": "the workflow's own log: one row per step, never edited",
    "budgets.QuarterlyTransition": "the quarterly workflow's own log: one row per step, never edited",
    "budgets.ReturnTarget": "the lines a return names: written once with the return's step, never edited",
    "budgets.ComponentRealization": "a summary derived from realization (budgets/realization_summary.py)",
    "budgets.SpendingTypeRealization": "a summary derived from realization (budgets/realization_summary.py)",
    "core.DataVersion": "the page cache's version counter",
    "core.OutgoingMail": "a delivery log of e-mails (who, when, error), itself the record; written by the system",
    "core.Notification": "a copy in the inbox of an e-mail sent by the system; only its read time changes",
    "budgets.LateReminder": "the log of reminders sent for a late report, written once by the system",
    "programs.RegistrySummary": "a summary derived from the registry",
    "programs.ReportOutput": "a summary derived from the programme records",
    "imports.Upload": "the import's own record (file, uploader, confirmer, counts); moved by the workflow only",
    "accounts.ApiTokenUse": "the API's log: one row per request made with a token, written by the system",
}


def our_models() -> list:
    return [model for model in apps.get_models()
            if model._meta.app_label in OUR_APPS and not model.__name__.startswith("Historical")]  # fmt: skip


def test_every_model_has_history_or_a_reason_not_to() -> None:
    for model in our_models():
        label = model._meta.label
        assert hasattr(model, "history") or label in WITHOUT_HISTORY, f"{label} has no history and no reason"
        assert not (hasattr(model, "history") and label in WITHOUT_HISTORY), f"{label}: remove it from the list"
    assert set(WITHOUT_HISTORY) <= {model._meta.label for model in our_models()}, "a listed model is gone"


def test_models_without_history_cannot_be_changed_in_the_admin(admin_user) -> None:
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    for label in WITHOUT_HISTORY:
        model_admin = admin.site._registry.get(apps.get_model(label))
        if model_admin is not None:
            assert not model_admin.has_change_permission(request), label
            assert not model_admin.has_add_permission(request), label


def test_an_import_is_in_the_history_with_its_user_and_file(tmp_path, satker, other_satker, officer,
                                                           other_officer) -> None:  # fmt: skip
    world = build_world(satker, other_satker, officer, other_officer)
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(xlsx([[satker.code, world.fiscal_year.year, 1, "051", "521211", "12.500.000"]]))
    reason = "Impor realisasi #7: realisasi-januari.xlsx"
    assert import_file(path, "realisasi", user=officer, dry_run=False, reason=reason).imported
    realization = Realization.objects.get(report=world.own.report)
    latest = realization.history.latest("history_id")
    assert (latest.amount, latest.history_type) == (12_500_000, "~")
    assert (latest.history_user, latest.history_change_reason) == (officer, reason)


def test_workflow_transitions_are_in_the_report_history(satker, other_satker, officer, other_officer, reviewer) -> None:
    world = build_world(satker, other_satker, officer, other_officer)
    report = world.own.report
    head = client_for(head_of(satker.province))
    client_for(officer).post(reverse("budgets:report-submit", args=[report.pk]))
    head.post(reverse("budgets:report-return", args=[report.pk]), {"comment": "Lampirkan SP2D"})
    client_for(officer).post(reverse("budgets:report-submit", args=[report.pk]))
    head.post(reverse("budgets:report-verify", args=[report.pk]), {"note": ""})
    client_for(reviewer).post(reverse("budgets:report-return", args=[report.pk]), {"comment": "Akun 521211 keliru"})
    client_for(officer).post(reverse("budgets:report-submit", args=[report.pk]))
    head.post(reverse("budgets:report-verify", args=[report.pk]), {"note": ""})
    client_for(reviewer).post(reverse("budgets:report-approve", args=[report.pk]), {"note": ""})
    assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.APPROVED
    steps = [(row.status, row.history_user.username) for row in report.history.order_by("history_id")
             if row.history_type == "~"]  # fmt: skip
    assert steps == [("SUBMITTED", "officer-17"), ("RETURNED", "head-17"), ("SUBMITTED", "officer-17"),
                     ("VERIFIED", "head-17"), ("RETURNED", "reviewer"), ("SUBMITTED", "officer-17"),
                     ("VERIFIED", "head-17"), ("APPROVED", "reviewer")]  # fmt: skip
