"""The summaries the reports read (each monthly report's realization total and sums per component,
its output figures, the registry's totals) are kept by one mechanism: the services that write the
base rows call the summary's refresh in their own transaction. No model signal does it besides
(a save in a shell is the rebuild commands' to repair)."""

from __future__ import annotations

import pytest
from django.db.models.signals import post_delete, post_save

from budgets.models import Realization
from programs.models import Enterprise, Facilitation, NewEntrepreneur, PovertyActivity

OUR_APPS = ("accounts", "core", "budgets", "programs", "imports", "reports", "dashboard", "demo")


@pytest.mark.parametrize("model", [Realization, NewEntrepreneur, Facilitation, PovertyActivity, Enterprise])
def test_no_signal_of_ours_writes_a_summary(model) -> None:
    for signal in (post_save, post_delete):
        sync, asynchronous = signal._live_receivers(model)
        ours = [receiver for receiver in [*sync, *asynchronous] if receiver.__module__.split(".")[0] in OUR_APPS]
        assert ours == [], f"{signal} of {model.__name__}: {ours}"
