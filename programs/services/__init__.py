"""Writes that matter in ``programs``: keyword-only, atomic, named ``<noun>_<verb>``; one module
per subject (registry, records, targets). Import from the modules."""
