"""Plain data the engine produces: no LSP types here."""

from bastion.model.finding import Finding, Level, NotAnalysed, Span, Suppression

__all__ = ["Finding", "Level", "NotAnalysed", "Span", "Suppression"]
