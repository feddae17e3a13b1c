"""Analyzers: each turns one parsed unit of a document into findings."""
