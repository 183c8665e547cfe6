"""The official documents of the budget reports (core/documents prints them)."""
