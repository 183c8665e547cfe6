"""Helpers shared by budgets' views: loading a satker-year in scope, and mapping service
errors onto forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.scoping import get_scoped_or_404, scoped
from budgets.models import FiscalYear, Satker


def satker_code_or_404(code: str) -> str:
    """A satker code from a URL or a query string; one no satker can have is a 404 before any
    query (PostgreSQL refuses a NUL character in a lookup with a server error)."""
    if "\x00" in code or len(code) > Satker._meta.get_field("code").max_length:
        raise Http404
    return code


def satker_year_or_404(request: HttpRequest, code: str, year: int) -> tuple[Satker, FiscalYear, bool]:
    """The satker (in the user's read scope), the fiscal year, and whether the user may change
    this satker's data."""
    code = satker_code_or_404(code)
    satker = get_scoped_or_404(Satker.objects.select_related("province"), request.user, code=code)
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    can_edit = scoped(Satker.objects.filter(pk=satker.pk), request.user, for_edit=True).exists()
    return satker, fiscal_year, can_edit


def month_or_404(month: int) -> int:
    if not 1 <= month <= 12:
        raise Http404
    return month


def add_service_errors(form: forms.Form, error: ValidationError, field_for_key: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: keys it knows go to their field, the rest
    to the form as a whole."""
    field_for_key = field_for_key or {}
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            field = field_for_key.get(key, key if key in form.fields else None)
            for message in messages:
                form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
