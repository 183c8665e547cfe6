"""The import tests reuse the budget execution fixtures (a DIPA for Bengkulu and Aceh)."""

from tests.budgets.conftest import dipa, today  # noqa: F401
