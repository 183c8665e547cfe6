"""Deconcentration money is for non-physical activities (PP 7/2008 art. 20(3)): goods and services
(52), never personnel (51) or capital (53); co-administration (TP) may also buy what is handed to
the public or the region. One rule, on codes only, for the pagu form and revision, the pagu import
and the admin's satker authority (budgets/models imports it, so it imports no model)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DK = "DK"
NOT_FOR_DK = {"51": gettext_lazy("belanja pegawai"), "53": gettext_lazy("belanja modal")}


def dk_account_problem(authority: str | None, account_code: str) -> str | None:
    """Why an account may not be on a DIPA of ``authority`` (None: it may)."""
    spending_type = account_code[:2]
    if authority != DK or spending_type not in NOT_FOR_DK:
        return None
    return _(
        "Dana dekonsentrasi hanya untuk kegiatan nonfisik (PP 7/2008 pasal 20 ayat 3): akun %(account)s "
        "(%(type)s) tidak boleh ada di DIPA dekonsentrasi."
    ) % {"account": account_code, "type": NOT_FOR_DK[spending_type]}
