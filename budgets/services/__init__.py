"""Writes that matter in ``budgets``: keyword-only, atomic functions named ``<noun>_<verb>``.

One module per subject; import from here.
"""

from budgets.services.master_data import SyncCount, default_authority, master_data_load
from budgets.services.monthly_report import (
    report_approve,
    report_reopen,
    report_return,
    report_review_start,
    report_submit,
    report_verify,
    report_withdraw,
)
from budgets.services.pagu import PaguLine, pagu_revise
from budgets.services.realization import StaleVersion, realization_set, report_get_or_create
from budgets.services.rpd import (
    RpdEditability,
    rpd_editability,
    rpd_editability_many,
    rpd_frozen_months,
    rpd_frozen_note,
    rpd_frozen_refusal,
    rpd_set,
)

__all__ = [
    "PaguLine",
    "RpdEditability",
    "StaleVersion",
    "SyncCount",
    "default_authority",
    "master_data_load",
    "pagu_revise",
    "realization_set",
    "report_approve",
    "report_get_or_create",
    "report_reopen",
    "report_return",
    "report_review_start",
    "report_submit",
    "report_verify",
    "report_withdraw",
    "rpd_editability",
    "rpd_editability_many",
    "rpd_frozen_months",
    "rpd_frozen_note",
    "rpd_frozen_refusal",
    "rpd_set",
]
