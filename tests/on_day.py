"""Run a test on a chosen day: which RPD months are frozen depends on today's month, and the
tests must mean the same on any day they run (in December every month of the year has begun)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from django.utils import timezone


def pretend_today(monkeypatch, day: date) -> date:
    """``timezone.localdate()`` (the views', services' and importer's today) returns ``day`` until
    the test ends; ``timezone.localdate(value)`` still converts ``value``."""
    real = timezone.localdate

    def localdate(value: datetime | None = None, timezone: tzinfo | None = None) -> date:
        return day if value is None else real(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return day


def mid_june(monkeypatch) -> date:
    """June 15 of the running year: a change may plan July-December; January-June have begun."""
    return pretend_today(monkeypatch, date(timezone.localdate().year, 6, 15))
