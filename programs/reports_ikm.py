"""The IKM registry report (/reports/ikm/): registry counts, workers and investment."""

from __future__ import annotations
