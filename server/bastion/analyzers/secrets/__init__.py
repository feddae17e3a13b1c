"""Leaked credentials in any file Bastion reads: provider key formats, then keyword context and
entropy for generic secrets. The value found never leaves this package in clear."""
