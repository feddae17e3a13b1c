"""Plain data the engine produces: no LSP types here."""

from bastion.model.finding import Finding, FlowStep, Level, NotAnalysed, Span, Suppression

__all__ = ["Finding", "FlowStep", "Level", "NotAnalysed", "Span", "Suppression"]
