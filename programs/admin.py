"""Django admin for the programme data; one module per subject registers its models."""

from programs.records import admin as admin_records  # noqa: F401
from programs.registry import admin as admin_registry  # noqa: F401
