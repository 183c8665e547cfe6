"""The programme output reports (/reports/outputs/ and OVOP)."""

from __future__ import annotations
