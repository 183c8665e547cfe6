"""The demo's data-quality flags: found by the same rules as the review (flags_refresh), on the
running year's last months, some open and some explained, so the reviewer has something to act on."""

from __future__ import annotations

import pytest
from django.utils import timezone

from budgets.models import QualityFlag
from budgets.services.quality import flags_refresh

pytestmark = pytest.mark.django_db


def test_the_running_year_has_open_and_explained_flags(demo_data) -> None:
    flags = QualityFlag.objects.filter(report__fiscal_year__year=timezone.localdate().year)
    if len(flags) < 2:
        pytest.skip("the demo's last months of the running year raise fewer than two findings today")
    statuses = set(flags.values_list("status", flat=True))
    assert {QualityFlag.Status.OPEN, QualityFlag.Status.EXPLAINED} <= statuses
    # Nothing typed: recomputing a report's flags finds the same ones.
    report = flags.first().report
    before = set(QualityFlag.objects.filter(report=report).values_list("code", "target_key"))
    flags_refresh(report=report)
    assert set(QualityFlag.objects.filter(report=report).values_list("code", "target_key")) == before
