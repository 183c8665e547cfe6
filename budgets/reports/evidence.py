"""/reports/evidence/ (CONTRACT): evidence completeness per satker and month, from January to the
report's month: the records subject to an active evidence rule, how many carry the evidence
their rules ask for, the percentage, and the duplicate files open (evidence whose file is also
attached in another province). Rows only for satker-months with a record subject to a rule or a
duplicate; the figures are budgets/evidence_rules.py's, in a fixed number of queries."""

from __future__ import annotations

from budgets.evidence_rules import evidence_completeness
from budgets.reports.queries import RealizationFilter, satkers_of
from core.reporting.spec import BuildContext, ReportResult, percent


def evidence_report(filters: RealizationFilter, context: BuildContext) -> ReportResult:
    month = filters.month or 12
    infos = satkers_of(filters)
    found = evidence_completeness(years=[filters.year], months=range(1, month + 1), satkers=sorted(infos))
    rows = []
    for (satker_id, _year, row_month), entry in found.items():
        info = infos.get(satker_id)
        if info is None:
            continue
        rows.append({
            "satker": info.code, "satker_name": info.name, "province": info.province,
            "province_name": info.province_name, "month": row_month, "records": entry.records,
            "records_with_evidence": entry.records_with_evidence, "completeness": entry.completeness,
            "flags_open": entry.flags_open,
        })  # fmt: skip
    rows.sort(key=lambda row: (row["satker"], row["month"]))
    records = sum(row["records"] for row in rows)
    met = sum(row["records_with_evidence"] for row in rows)
    totals = {
        "records": records, "records_with_evidence": met, "completeness": percent(met, records),
        "flags_open": sum(row["flags_open"] for row in rows),
    }  # fmt: skip
    return ReportResult("evidence", rows, totals)
