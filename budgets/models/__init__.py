"""budgets' models: master data (master.py), budget execution (execution.py), outputs (outputs.py),
the quarterly report with its obstacles (quarterly.py), late reports and sanctions (sanctions.py),
data-quality flags (quality.py), comments on one line and a return's targets (comments.py), evidence
(evidence.py) and its rules (evidence_rules.py), IKPA's year rules and treasury figures (ikpa.py) and the
treasury's own published IKPA values (ikpa_published.py), the
treasury's realization figures and reconciliation notes (treasury.py)."""

from budgets.models.comments import LineComment, ReturnTarget
from budgets.models.evidence import Evidence
from budgets.models.evidence_rules import EvidenceRule
from budgets.models.execution import (
    BudgetLine,
    BudgetRevision,
    BudgetRevisionLine,
    ComponentRealization,
    Holiday,
    MonthlyReport,
    Realization,
    ReportTransition,
    RpdPlan,
    RpdRevision,
    RpdWindow,
    SpendingTypeRealization,
    YearEndClosing,
)
from budgets.models.ikpa import IkpaAbsorptionTarget, IkpaDeviationPoint, IkpaTreasuryFigure, IkpaYearRule
from budgets.models.ikpa_published import IkpaTreasuryPublished
from budgets.models.master import (
    PERCENT_VALIDATORS,
    Account,
    Authority,
    BudgetComponent,
    FiscalYear,
    IkpaIndicator,
    IkpaWeight,
    Province,
    Regency,
    RegencyPeriod,
    Satker,
    SatkerAuthority,
    SpendingType,
    TimelinessStep,
    digits_check,
)
from budgets.models.outputs import (
    Activity,
    Output,
    OutputAchievement,
    OutputAdjustment,
    OutputClass,
    OutputVolumeTarget,
)
from budgets.models.quality import QualityFlag
from budgets.models.quarterly import Obstacle, QuarterlyReport, QuarterlyTransition
from budgets.models.sanctions import EscalationStage, LateReminder, SanctionProposal
from budgets.models.treasury import ReconciliationNote, TreasuryRealization

__all__ = [
    "PERCENT_VALIDATORS",
    "Account",
    "Activity",
    "Authority",
    "BudgetComponent",
    "BudgetLine",
    "BudgetRevision",
    "BudgetRevisionLine",
    "ComponentRealization",
    "EscalationStage",
    "Evidence",
    "EvidenceRule",
    "FiscalYear",
    "Holiday",
    "IkpaAbsorptionTarget",
    "IkpaDeviationPoint",
    "IkpaIndicator",
    "IkpaTreasuryFigure",
    "IkpaTreasuryPublished",
    "IkpaWeight",
    "IkpaYearRule",
    "LateReminder",
    "LineComment",
    "MonthlyReport",
    "Obstacle",
    "Output",
    "OutputAchievement",
    "OutputAdjustment",
    "OutputClass",
    "OutputVolumeTarget",
    "Province",
    "QualityFlag",
    "QuarterlyReport",
    "QuarterlyTransition",
    "Realization",
    "ReconciliationNote",
    "Regency",
    "RegencyPeriod",
    "ReportTransition",
    "ReturnTarget",
    "RpdPlan",
    "RpdRevision",
    "RpdWindow",
    "SanctionProposal",
    "Satker",
    "SatkerAuthority",
    "SpendingType",
    "SpendingTypeRealization",
    "TimelinessStep",
    "TreasuryRealization",
    "YearEndClosing",
    "digits_check",
]
