"""The seven steps of the conference workspace, one module each."""

from chair_app.gui.workspace.steps.before import BeforePage
from chair_app.gui.workspace.steps.close import ClosePage
from chair_app.gui.workspace.steps.decision import DecisionPage
from chair_app.gui.workspace.steps.mapping import MappingPage
from chair_app.gui.workspace.steps.plan import PlanPage
from chair_app.gui.workspace.steps.voice import VoicePage
from chair_app.gui.workspace.steps.welcome import WelcomePage

__all__ = ["BeforePage", "ClosePage", "DecisionPage", "MappingPage", "PlanPage", "VoicePage", "WelcomePage"]
