"""The demo accounts' shared password (CONTRACT "Demo accounts"). It is published in the README,
so nobody may choose it (accounts/validators.py), and in production a sign-in with it reaches
only the password change page (accounts/middleware.py). The demo app creates the accounts."""

DEMO_PASSWORD = "demo-ikma-2026"  # noqa: S105 (the published demo password, refused for real use)

# The demo's API tokens (README "API"): published, so refused in production (accounts/api_tokens.py).
# The demo app creates them with their system accounts.
DEMO_API_KEYS = {
    # Pusdatin (the ministry's data centre) reads every province, as the leadership does.
    "viewer": "ikma_demoview_pusdatin-baca-saja-demo-2026",
    # Bengkulu's finance system reads and writes its province, as its officer does.
    "officer-17": "ikma_demo0017_keuangan-bengkulu-demo-2026",
}
