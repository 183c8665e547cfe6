"""A programme record's name (its kind's label and whom it concerns), as the report page, the
comments and the return form list a month's records: the kind's label in the reader's language,
the stored value itself when it is not a choice (get_FOO_display's fallback)."""

from __future__ import annotations

from django.utils import translation

from programs.models import Facilitation, PovertyActivity
from programs.models.records import FacilitationKind, choice_label


def test_the_kinds_label_in_the_readers_language() -> None:
    record = Facilitation(kind=FacilitationKind.HALAL, enterprise_name="Keripik Bu Sri")
    with translation.override("id"):
        indonesian = str(record)
        assert indonesian == f"{record.get_kind_display()}: Keripik Bu Sri"
    with translation.override("en"):
        english = str(record)
        assert english == f"{record.get_kind_display()}: Keripik Bu Sri"
    assert english != indonesian
    with translation.override("en"):
        assert record.kind_label == record.get_kind_display() and english.startswith(record.kind_label)
    with translation.override("en"):
        assert choice_label(PovertyActivity.Kind, "PELATIHAN") == "Training"
    with translation.override("id"):
        assert choice_label(PovertyActivity.Kind, "PELATIHAN") == "Pelatihan"


def test_a_value_that_is_not_a_choice_is_shown_as_stored() -> None:
    record = Facilitation(kind="LAMA", enterprise_name="Tenun Ikat")
    assert str(record) == "LAMA: Tenun Ikat" == f"{record.get_kind_display()}: Tenun Ikat"
    assert choice_label(PovertyActivity.Kind, "LAMA") == "LAMA"
