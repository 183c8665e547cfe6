"""Django admin for the IKM registry."""
