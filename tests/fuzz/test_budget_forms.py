"""Hostile input to the budget execution forms: the monthly realization grid, the RPD grid, the
admins' pagu revision and the review steps with their comments. Never a server error; a refused
post writes nothing; what is stored comes back escaped on the pages that show it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from budgets.models import (
    BudgetComponent,
    BudgetLine,
    BudgetRevision,
    MonthlyReport,
    Realization,
    ReportTransition,
    RpdPlan,
)
from budgets.services import realization_set, report_approve, report_submit
from core.formats import parse_rupiah
from tests.fuzz.forms import must_refuse_amount, mutations, post_data
from tests.fuzz.strategies import hostile, indonesian
from tests.fuzz.support import (
    assert_handled,
    assert_pages_escaped,
    assert_rows_fit_postgresql,
    is_refused,
    post_form,
    rolled_back,
)
from tests.personas import head_verifies

pytestmark = pytest.mark.django_db


# --- The realization grid --------------------------------------------------------------------


def grid_lines(dipa) -> list[BudgetLine]:
    return [dipa.ovop, dipa.travel, dipa.machine]


@given(changed=st.data(), action=st.sampled_from(["", "submit"]))
def test_realization_grid_refuses_hostile_amounts_whole(as_officer, satker, dipa, changed, action) -> None:
    lines = grid_lines(dipa)
    fields = [f"line_{line.pk}" for line in lines]
    good = {"version": "0", fields[0]: "1.250.000", fields[1]: "300000", fields[2]: ""}
    data = post_data(good, changed.draw(mutations([*fields, "version"])))
    if action:
        data["action"] = action
    url = reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1])
    with rolled_back():
        response = post_form(as_officer, url, data)
        if any(must_refuse_amount(data[field]) for field in fields if field in data):
            assert is_refused(response), data
        if not is_refused(response):
            stored = dict(Realization.objects.filter(line__in=lines, report__month=1).values_list("line", "amount"))
            typed = {line.pk: parse_rupiah(data.get(field, "")) for line, field in zip(lines, fields, strict=True)}
            assert {pk: stored.get(pk, 0) for pk in typed} == typed
            assert_pages_escaped(as_officer, url)


# --- The RPD grid ----------------------------------------------------------------------------


def even(total: int) -> list[int]:
    share = total // 12
    return [share] * 11 + [total - share * 11]


@given(changed=st.data())
def test_rpd_grid_refuses_hostile_amounts_whole(as_officer, satker, dipa, changed) -> None:
    # A plan that adds up to each spending type's effective pagu (goods 90 + 50 million, capital 30).
    good = {}
    for spending_type, total in ((dipa.goods, 140_000_000), (dipa.capital, 30_000_000)):
        for month, amount in enumerate(even(total), start=1):
            good[f"rpd_{spending_type.pk}_{month}"] = indonesian(amount)
    data = post_data(good, changed.draw(mutations(list(good))))
    url = reverse("budgets:rpd-entry", args=[satker.code, dipa.fiscal_year.year])
    with rolled_back():
        response = post_form(as_officer, url, data)
        if any(must_refuse_amount(value) for value in data.values()):
            assert is_refused(response), data
        if not is_refused(response):
            assert sum(RpdPlan.objects.filter(satker=satker).values_list("amount", flat=True)) == 170_000_000
            assert_pages_escaped(as_officer, url)


# --- The pagu revision (admins) --------------------------------------------------------------


@pytest.fixture
def poverty_component(db) -> BudgetComponent:
    return BudgetComponent.objects.create(code="052", name="Penanganan kemiskinan ekstrem", name_en="Poverty")


def pagu_revision_post(dipa, component: BudgetComponent) -> dict[str, str]:
    data = {"kind": "PAGU", "date": "2026-03-02", "reason": "Revisi anggaran triwulan I"}
    for line in grid_lines(dipa):
        data[f"line-{line.pk}-pagu"] = indonesian(line.pagu + 1_000_000)
        data[f"line-{line.pk}-blokir"] = indonesian(line.blokir)
    data.update({"new-TOTAL_FORMS": "3", "new-INITIAL_FORMS": "0", "new-MIN_NUM_FORMS": "0",
                 "new-MAX_NUM_FORMS": "1000", "new-0-component": str(component.pk),
                 "new-0-account": str(dipa.other_line.account_id), "new-0-pagu": "25.000.000",
                 "new-0-blokir": ""})  # fmt: skip
    return data


@given(changed=st.data())
def test_pagu_revision_refuses_hostile_input_whole(as_admin, satker, dipa, poverty_component, changed) -> None:
    good = pagu_revision_post(dipa, poverty_component)
    fields = [*good, "new-1-component", "new-1-account", "new-1-pagu", "new-2-blokir"]
    data = post_data(good, changed.draw(mutations(fields)))
    url = reverse("budgets:pagu-revise", args=[satker.code, dipa.fiscal_year.year])
    with rolled_back():
        response = post_form(as_admin, url, data)
        if any(must_refuse_amount(data[key]) for key in data if key.endswith(("-pagu", "-blokir"))):
            assert is_refused(response), data
        if not is_refused(response):
            assert BudgetRevision.objects.get(satker=satker).reason == data["reason"].strip()
            assert_rows_fit_postgresql(BudgetRevision, BudgetLine)
            for line in BudgetLine.objects.filter(satker=satker):
                assert 0 <= line.blokir <= line.pagu < 10**15
            assert_pages_escaped(as_admin, reverse("budgets:pagu", args=[satker.code, dipa.fiscal_year.year]))


# --- The review steps ------------------------------------------------------------------------


@pytest.fixture
def submitted(officer, satker, dipa) -> MonthlyReport:
    report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                             amounts={dipa.ovop.pk: 1_000_000}, expected_version=0, by=officer)  # fmt: skip
    return head_verifies(report_submit(report=report, by=officer))


STEPS = {
    # step: (client, field, status before, status after)
    "return": ("as_reviewer", "comment", MonthlyReport.Status.VERIFIED, MonthlyReport.Status.RETURNED),
    "approve": ("as_reviewer", "note", MonthlyReport.Status.VERIFIED, MonthlyReport.Status.APPROVED),
    "reopen": ("as_admin", "reason", MonthlyReport.Status.APPROVED, MonthlyReport.Status.RETURNED),
}


@pytest.mark.parametrize("step", list(STEPS))
@given(text=hostile(), extra=st.dictionaries(st.sampled_from(["action", "version", "pk", "status"]), hostile()))
def test_review_comments_are_stored_as_typed_and_shown_escaped(
    request, step, submitted, reviewer, as_officer, satker, dipa, text, extra
) -> None:
    persona, field, status_before, status_after = STEPS[step]
    client = request.getfixturevalue(persona)
    with rolled_back():
        if status_before == MonthlyReport.Status.APPROVED:
            report_approve(report=submitted, by=reviewer)
        response = post_form(client, reverse(f"budgets:report-{step}", args=[submitted.pk]), {**extra, field: text})
        report = MonthlyReport.objects.get(pk=submitted.pk)
        if is_refused(response):
            assert report.status == status_before
            # Only an empty, over-long or NUL-carrying text is refused.
            assert not text.strip() or len(text.strip()) > 4000 or "\x00" in text, text
            return
        assert report.status == status_after
        assert_rows_fit_postgresql(ReportTransition)
        assert report.transitions.order_by("-pk").first().comment.endswith(text.strip())
        # The comment on the report's page (the reviewer's and the officer's) and above the grid.
        detail = reverse("budgets:report-detail", args=[submitted.pk])
        assert_pages_escaped(client, detail)
        assert_pages_escaped(
            as_officer, detail, reverse("budgets:realization-entry", args=[satker.code, dipa.fiscal_year.year, 1])
        )


# Field names under 1.000 characters: a longer name makes the multipart part's header exceed
# Django's limit, and Django itself refuses the whole request with a 400 before the view runs.
@given(extra=st.dictionaries(hostile().filter(lambda name: len(name) < 1_000), hostile(), max_size=4))
def test_submitting_ignores_hostile_fields(as_officer, officer, satker, dipa, extra) -> None:
    with rolled_back():
        report = realization_set(satker=satker, fiscal_year=dipa.fiscal_year, month=1,
                                 amounts={dipa.ovop.pk: 1_000_000}, expected_version=0, by=officer)  # fmt: skip
        response = as_officer.post(reverse("budgets:report-submit", args=[report.pk]), extra)
        assert_handled(response, (302,))
        assert MonthlyReport.objects.get(pk=report.pk).status == MonthlyReport.Status.SUBMITTED
