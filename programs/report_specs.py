"""The programme reports of CONTRACT (/reports/outputs/, /reports/ikm/, OVOP), registered in
budgets' report registry so that one view renders every report in every format."""

from __future__ import annotations
