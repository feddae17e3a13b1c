"""One module per LSP area; each exposes `register(server)`."""
