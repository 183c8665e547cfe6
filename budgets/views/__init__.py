"""budgets' views, one module per subject; urls.py imports from the modules."""
