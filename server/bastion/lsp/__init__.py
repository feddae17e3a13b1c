"""The language server: LSP plumbing around the pure engine."""
