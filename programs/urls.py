from __future__ import annotations

from programs.views import outputs, records, registry

app_name = "programs"

# Each view module owns its URLs: the registry, the monthly programme records (WUB, poverty,
# facilitations, OVOP) and the output reports.
urlpatterns = [*registry.urlpatterns, *records.urlpatterns, *outputs.urlpatterns]
