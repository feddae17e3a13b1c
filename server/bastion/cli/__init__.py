"""The `bastion` command line: `lsp`, `check`, `explain`, `rules`."""
