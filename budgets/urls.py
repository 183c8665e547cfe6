from __future__ import annotations

from django.urls import path

from budgets.views import SatkerListView

app_name = "budgets"

urlpatterns = [
    path("satkers/", SatkerListView.as_view(), name="satker-list"),
]
