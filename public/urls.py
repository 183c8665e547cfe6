"""The public page (CONTRACT: ``/public/``) and its open data files."""

from __future__ import annotations

from django.urls import path

from public.views import public_csv, public_json, public_page

app_name = "public"

urlpatterns = [
    path("public/", public_page, name="page"),
    path("public/data.json", public_json, name="json"),
    path("public/<slug:slug>.csv", public_csv, name="csv"),
]
