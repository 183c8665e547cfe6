"""Benchmarks run by hand against a throwaway PostgreSQL database (see bench/import_export.py)."""
