"""Every table of the plans service, imported once so Alembic and the drift test see them all."""

from services.plans.agendas.models import Agenda
from services.plans.agreements.models import Agreement, Amendment, Signatory
from services.plans.evidence.models import EvidenceFile
from services.plans.forums.models import Action, Forum, Resolution
from services.plans.imports.models import ImportFile, ImportJob
from services.plans.indicators.models import Indicator, Target
from services.plans.partners.models import Partner
from services.plans.payments.models import ProjectPayment
from services.plans.projects.models import Activity, Milestone, Project
from services.plans.reporting.models import ProvincePeriod, TambonPeriod, Update, Value
from services.plans.strategies.models import Goal, Plan, Strategy

__all__ = [
    "Action",
    "Activity",
    "Agenda",
    "Agreement",
    "Amendment",
    "EvidenceFile",
    "Forum",
    "Goal",
    "ImportFile",
    "ImportJob",
    "Indicator",
    "Milestone",
    "Partner",
    "Plan",
    "Project",
    "ProjectPayment",
    "ProvincePeriod",
    "Resolution",
    "Signatory",
    "Strategy",
    "TambonPeriod",
    "Target",
    "Update",
    "Value",
]
