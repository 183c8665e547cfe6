"""The obstacle board's figures: counts per category, recurring problems (a category in a
province reported in more than one quarterly report) and which follow-ups worked (closed
obstacles resolved or not, per category). Each from one GROUP BY over the board's filtered rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from budgets.models import Obstacle

CATEGORY_LABELS = dict(Obstacle.Category.choices)


def obstacle_summary(obstacles: QuerySet[Obstacle]) -> dict[str, Any]:
    # The filtered rows by key: a filter through the reports (the year) joins them more than once.
    rows = Obstacle.objects.filter(pk__in=obstacles.order_by().values("pk"))
    per_category = {
        category: {"category": category, "label": CATEGORY_LABELS[category], "total": total, "open": open_,
                   "resolved": resolved, "unresolved": unresolved}
        for category, total, open_, resolved, unresolved in rows.values("category").annotate(
            n_total=Count("pk"), n_open=Count("pk", filter=~Q(status=Obstacle.State.CLOSED)),
            n_resolved=Count("pk", filter=Q(status=Obstacle.State.CLOSED, resolved=True)),
            n_unresolved=Count("pk", filter=Q(status=Obstacle.State.CLOSED, resolved=False)),
        ).values_list("category", "n_total", "n_open", "n_resolved", "n_unresolved")
    }  # fmt: skip
    recurring = [
        {"category": category, "label": CATEGORY_LABELS[category], "province": province, "province_name": name,
         "reports": reports, "obstacles": count}
        for category, province, name, reports, count in rows.values(
            "category", "satker__province__bps_code", "satker__province__name"
        ).annotate(n_reports=Count("reported_in", distinct=True), n_obstacles=Count("pk", distinct=True))
        .filter(n_reports__gt=1)
        .values_list("category", "satker__province__bps_code", "satker__province__name", "n_reports", "n_obstacles")
    ]  # fmt: skip
    recurring.sort(key=lambda row: (-row["reports"], row["province"], row["category"]))
    categories = [per_category[value] for value in Obstacle.Category.values if value in per_category]
    return {"categories": categories, "recurring": recurring, "total": sum(row["total"] for row in categories)}
