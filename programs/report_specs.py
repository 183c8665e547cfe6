"""The programme reports of CONTRACT (/reports/outputs/, /reports/ikm/, OVOP): each module
registers its specs in budgets' report registry when imported (from ProgramsConfig.ready), so
that one view renders every report in every format."""

from __future__ import annotations

from programs.records import report as reports_outputs  # noqa: F401
from programs.registry import report as reports_ikm  # noqa: F401
