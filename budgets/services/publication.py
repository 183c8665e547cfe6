"""A fiscal year on the public page (/public/): the directorate switches its publication on or
off (``permissions.may_publish``); nothing of a year is public before. What the page then shows is
the public app's; this is only the switch, with who and when, kept in the year's history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import permissions
from budgets.models import FiscalYear
from core.audit_log import audit_on_commit


@transaction.atomic
def publication_set(*, fiscal_year: FiscalYear, published: bool, by: Any) -> bool:
    """Publish the year (or withdraw it); False when it already was as asked (nothing written)."""
    if not permissions.may_publish(by):
        raise PermissionDenied
    year = FiscalYear.objects.select_for_update().get(pk=fiscal_year.pk)
    if (year.published_at is not None) == published:
        return False
    year.published_at = timezone.now() if published else None
    year.published_by = by if published else None
    year._change_reason = "publish" if published else "unpublish"
    year.save(update_fields=["published_at", "published_by"])
    fiscal_year.published_at, fiscal_year.published_by = year.published_at, year.published_by
    audit_on_commit("year_published" if published else "year_unpublished", year=year.year, user=by.get_username())
    return True
