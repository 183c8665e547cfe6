from __future__ import annotations

from programs.records import views as records
from programs.registry import views as registry
from programs.views import outputs

app_name = "programs"

# Each view module owns its URLs: the registry, the monthly programme records (WUB, poverty,
# facilitations, OVOP) and the output reports.
urlpatterns = [*registry.urlpatterns, *records.urlpatterns, *outputs.urlpatterns]
