"""Django admin for the programme data; one module per subject registers its models."""

from programs import admin_records, admin_registry  # noqa: F401
