"""The programme reports of CONTRACT (/reports/outputs/, /reports/ikm/, OVOP): each module
registers its specs in budgets' report registry when imported (from ProgramsConfig.ready), so
that one view renders every report in every format."""

from __future__ import annotations

from programs import reports_ikm, reports_outputs  # noqa: F401
