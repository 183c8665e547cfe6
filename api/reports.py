"""GET /api/v1/reports/<name>/ for every report of the catalogue: the page's own JSON answer
(reports.views.report_json), so the parameters, their checking, the scope, the figures and the
cache are the page's; this module only describes each report in the OpenAPI document (its
parameters and its columns)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import create_model

from api.errors import ErrorOut, ErrorsOut
from budgets.models import Authority
from budgets.quarterly_rules import YEAR_END
from budgets.reports.ro import LEVELS
from core.reporting.spec import APPROVED_BASIS, ReportSpec
from reports.catalog import REPORTS
from reports.views import report_json

router = Router(tags=["reports"])

# The OpenAPI description of each filter a report may take (reports/params.py checks them).
PARAMETERS: dict[str, dict[str, Any]] = {
    "year": {"schema": {"type": "integer", "minimum": 1, "maximum": 9999},
             "description": "Fiscal year (the IKM report: data-collection year). Default: the current fiscal year."},
    "month": {"schema": {"type": "integer", "minimum": 1, "maximum": 12},
              "description": "Figures as of this month. Default: the year's last completed month."},
    "province": {"schema": {"type": "string", "pattern": "^[0-9]{2}$"},
                 "description": "A province's BPS code, e.g. 17. Below province level, out of the token's scope: 404."},
    "component": {"schema": {"type": "string"}, "description": "A budget component's code, e.g. 051."},
    "authority": {"schema": {"type": "string", "enum": list(Authority.values)},
                  "description": "KP (central units), DK (deconcentration), TP (co-administration)."},
    "basis": {"schema": {"type": "string", "enum": [APPROVED_BASIS, "submitted"]},
              "description": "approved (the official figures, default) or submitted (approved + awaiting review)."},
    "below": {"schema": {"type": "number", "minimum": 0, "maximum": 100},
              "description": "Only satkers below this percentage; empty: the fiscal year's threshold."},
    "ro": {"schema": {"type": "string"}, "description": "A full RO code kegiatan.KRO.RO, e.g. 6503.RBS.001."},
    "level": {"schema": {"type": "string", "enum": list(LEVELS)}, "description": "Rows down to this level."},
    "quarter": {"schema": {"type": "string", "enum": ["1", "2", "3", "4", YEAR_END]},
                "description": "The quarter (or year-end). Default: the last completed quarter."},
}  # fmt: skip

# A column's JSON type by its kind (core.exports.cells): money as integers, percentages as numbers;
# a "text" column is shown as text but may carry a code as a number (the quarterly report's quarter).
KIND_TYPES: dict[str, Any] = {
    "text": str | int | None, "money": float | None, "int": float | None, "number": float | None,
    "percent": float | None, "bool": bool | None, "month": int | None, "date": str | None, "datetime": str | None,
}  # fmt: skip


def body_schema(spec: ReportSpec) -> type[Schema]:
    """CONTRACT's JSON shape with this report's columns as the rows' keys."""
    row = create_model(
        f"{spec.name.title()}Row", __base__=Schema,
        **{column.key: (KIND_TYPES.get(column.kind, Any), None) for column in spec.columns},
    )  # fmt: skip
    return create_model(
        f"{spec.name.title()}Report", __base__=Schema,
        report=(str, ...), params=(dict[str, Any], ...), columns=(list[str], ...), rows=(list[row], ...),
        totals=(dict[str, Any], ...),
    )  # fmt: skip


def _endpoint(name: str):
    def report(request: HttpRequest) -> HttpResponse:
        return report_json(request, name)

    report.__name__ = f"report_{name}"
    return report


for _name, _spec in REPORTS.items():
    router.get(
        f"/{_name}/",
        response={200: body_schema(_spec), 400: ErrorsOut, 401: ErrorOut, 404: ErrorOut, 429: ErrorOut},
        url_name=f"report-{_name}",
        operation_id=f"report_{_name}",
        summary=str(_spec.title),
        description=(
            f"The `{_name}` report as the page's `?format=json` gives it to the token's account (CONTRACT "
            f'"Report URLs"). Columns: {", ".join(column.key for column in _spec.columns)}. '
            "A parameter not listed here, malformed or repeated: 400 with the errors by parameter."
        ),
        openapi_extra={
            "parameters": [
                {"in": "query", "name": param, "required": False, **PARAMETERS[param]} for param in sorted(_spec.params)
            ]
        },
    )(_endpoint(_name))
