"""The evidence of load_demo_data (demo/evidence.py): most records subject to a rule carry it,
with gaps (some satker-months and provinces incomplete), one file attached in two provinces and
flagged, and the completeness figures come from the data."""

from __future__ import annotations

import pytest
from django.db.models import Count, F

from budgets.evidence_rules import evidence_completeness
from budgets.evidence_selectors import duplicates_elsewhere
from budgets.models import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data: str) -> str:
    return demo_data


def test_most_records_have_evidence_with_gaps(demo) -> None:
    assert "Bukti dukung TA 2022:" in demo
    for year in (2022, 2023):
        found = evidence_completeness(years=[year])
        records = sum(entry.records for entry in found.values())
        met = sum(entry.records_with_evidence for entry in found.values())
        assert records > 0
        assert 0.5 < met / records < 0.95  # most, not all
        incomplete = [
            entry for entry in found.values() if entry.records and entry.records_with_evidence < entry.records
        ]
        assert len(incomplete) >= 3
        # Counted from the rows: every evidence of the year belongs to a satker-month of the figures.
        months = {(satker, month) for satker, _year, month in found}
        assert set(Evidence.objects.filter(fiscal_year__year=year).values_list("satker_id", "month")) <= months


def test_one_file_in_two_provinces_is_flagged_and_files_are_stored(demo) -> None:
    shared = (Evidence.objects.values("sha256").annotate(n=Count("satker__province", distinct=True))
              .filter(n__gt=1).values_list("sha256", flat=True))  # fmt: skip
    flagged = list(Evidence.objects.filter(sha256__in=list(shared)).select_related("satker"))
    assert all(duplicates_elsewhere(e).exists() for e in flagged)
    assert len(flagged) == 2
    assert len({e.satker.province_id for e in flagged}) == 2
    assert sum(entry.flags_open for entry in evidence_completeness(years=[2022, 2023]).values()) == 2
    # The files went to the storage of the test that loaded the demo (a temporary directory each
    # test): their sizes and types are checked here, their bytes by tests/budgets/test_evidence.py.
    kinds = set(Evidence.objects.values_list("content_type", flat=True))
    assert kinds <= {"application/pdf", "image/png"}
    assert not Evidence.objects.filter(size__gt=2000).exists()


def test_every_demo_evidence_has_its_history_row(demo) -> None:
    """Loaded with bulk_create_with_history: each row's "+" entry, by its uploader, with the demo's
    change reason (the history the admin and the audit read)."""
    evidence = Evidence.objects.all()
    assert evidence.count() > 100
    history = Evidence.history.filter(history_type="+")
    assert history.count() == evidence.count()
    assert set(history.values_list("id", flat=True)) == set(evidence.values_list("pk", flat=True))
    assert set(history.values_list("history_change_reason", flat=True)) == {"load_demo_data"}
    assert not history.exclude(history_user_id=F("uploaded_by_id")).exists()
