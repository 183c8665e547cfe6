"""How an IKPA category (rules.category) is named and coloured wherever it is shown: the report's
columns (budgets/reports/specs.py) and the satker page (templatetags/ikpa.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from budgets.ikpa import rules

CATEGORY_LABELS = {
    rules.SANGAT_BAIK: _("Sangat baik"),
    rules.BAIK: _("Baik"),
    rules.CUKUP: _("Cukup"),
    rules.KURANG: _("Kurang"),
}
CATEGORY_BADGES = {rules.SANGAT_BAIK: "success", rules.BAIK: "primary", rules.CUKUP: "warning", rules.KURANG: "danger"}
