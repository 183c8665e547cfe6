"""The demo accounts' shared password (CONTRACT "Demo accounts"). It is published in the README,
so nobody may choose it (accounts/validators.py), and in production a sign-in with it reaches
only the password change page (accounts/middleware.py). The demo app creates the accounts."""

DEMO_PASSWORD = "demo-ikma-2026"  # noqa: S105 (the published demo password, refused for real use)
