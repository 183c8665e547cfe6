from __future__ import annotations

from programs.records import ovop_views as ovop
from programs.records import views as records
from programs.registry import views as registry

app_name = "programs"

# Each view module owns its URLs: the registry, and the monthly programme records (WUB, poverty,
# facilitations, targets), and OVOP (sentra, coaching, award cycles). The programme reports are
# the reports app's.
urlpatterns = [*registry.urlpatterns, *records.urlpatterns, *ovop.urlpatterns]
