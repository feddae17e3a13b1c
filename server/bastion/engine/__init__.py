"""The analysis engine: pure, synchronous, and free of LSP types."""
