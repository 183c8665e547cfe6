"""FiscalYear.deviation_penalty (a linear slope) becomes the points of IkpaDeviationPoint, then
goes. A migration of its own (data, then the column): PostgreSQL refuses to alter or drop tables
tied to rows changed in the same transaction while their deferred trigger events are pending
(core/data_version.py), which the reverse path would do in 0025."""

from django.db import migrations

from decimal import Decimal

HUNDRED = Decimal(100)
MAX_DEVIATION = Decimal("999999.99")  # the largest IkpaDeviationPoint.deviation


def penalty_to_curve(apps, schema_editor):
    """FiscalYear.deviation_penalty (points off per 1 % above the tolerance) -> the curve
    (tolerance, 100), (tolerance + 100 / slope, 0); a slope of 0 (no penalty) -> only
    (tolerance, 100), flat at 100 beyond it."""
    FiscalYear = apps.get_model("budgets", "FiscalYear")
    Point = apps.get_model("budgets", "IkpaDeviationPoint")
    points = []
    for year in FiscalYear.objects.all():
        tolerance = year.deviation_tolerance
        points.append(Point(fiscal_year=year, deviation=tolerance, score=HUNDRED))
        if year.deviation_penalty > 0:
            zero_at = min(MAX_DEVIATION, (tolerance + HUNDRED / year.deviation_penalty).quantize(Decimal("0.01")))
            if zero_at > tolerance:
                points.append(Point(fiscal_year=year, deviation=zero_at, score=Decimal(0)))
    Point.objects.bulk_create(points)


def curve_to_penalty(apps, schema_editor):
    """Back: the slope from the tolerance to the first point scoring less (1 when none)."""
    FiscalYear = apps.get_model("budgets", "FiscalYear")
    for year in FiscalYear.objects.all():
        tolerance = year.deviation_tolerance
        below = year.ikpa_deviation_points.filter(deviation__gt=tolerance).order_by("deviation").first()
        slope = Decimal(1) if below is None else (HUNDRED - below.score) / (below.deviation - tolerance)
        year.deviation_penalty = min(HUNDRED, slope.quantize(Decimal("0.01")))
        year.save(update_fields=["deviation_penalty"])


class Migration(migrations.Migration):

    dependencies = [
        ("budgets", "0025_ikpa_rules"),
    ]

    operations = [
        # The old linear rule becomes the curve's points before its slope goes.
        migrations.RunPython(penalty_to_curve, curve_to_penalty),
        migrations.RemoveField(
            model_name='fiscalyear',
            name='deviation_penalty',
        ),
        migrations.RemoveField(
            model_name='historicalfiscalyear',
            name='deviation_penalty',
        ),
    ]
