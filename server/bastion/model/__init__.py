"""Plain data the engine produces: no LSP types here."""

from bastion.model.finding import Finding, Level, Span, Suppression

__all__ = ["Finding", "Level", "Span", "Suppression"]
