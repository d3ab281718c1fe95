"""Contrats et pactes locaux des solidarités (2024-2027) between the State and a département or a métropole.

A `Contract` row is one version of the convention: the initial contract (`amendment_number` 0) or an
avenant (`amendment_number` n, `amends` the signed version it changes). Every version of a convention
shares the same `root` (the initial contract); State credits, execution reports and the mid-term
evaluation belong to the root, so that an avenant does not split the yearly follow-up. A signed version
is immutable: its actions, indicators and budget lines refuse to be saved or deleted.
"""

from pacte.contracts.models.actions import Action, ActionIndicator, BudgetLine, IndicatorYearTarget
from pacte.contracts.models.allocations import NotifiedAllocation
from pacte.contracts.models.common import AMOUNT, YEAR_VALIDATORS, ContractLockedError
from pacte.contracts.models.contracts import Comment, Contract, ContractChild
from pacte.contracts.models.evaluation import (
    ActionEvaluation,
    EvaluatedIndicator,
    EvaluationPart,
    MidTermEvaluation,
)
from pacte.contracts.models.execution import (
    Credit,
    CreditReallocation,
    ExecutionReport,
    ReportCampaign,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.contracts.models.pacts import (
    LocalPact,
    PactAction,
    PactAllocation,
    PactEnvelope,
    PactPriority,
    PactSignatory,
)

__all__ = [
    "AMOUNT",
    "YEAR_VALIDATORS",
    "Action",
    "ActionEvaluation",
    "ActionIndicator",
    "BudgetLine",
    "Comment",
    "Contract",
    "ContractChild",
    "ContractLockedError",
    "Credit",
    "CreditReallocation",
    "EvaluatedIndicator",
    "EvaluationPart",
    "ExecutionReport",
    "IndicatorYearTarget",
    "LocalPact",
    "MidTermEvaluation",
    "NotifiedAllocation",
    "PactAction",
    "PactAllocation",
    "PactEnvelope",
    "PactPriority",
    "PactSignatory",
    "ReportCampaign",
    "ReportIndicatorValue",
    "ReportSpending",
]
