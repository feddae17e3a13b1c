"""Dependency manifests and known advisories: parsing, the OSV index, matching, bump fixes.

Engine-side only (nothing here knows LSP). The analysis never touches the network: the index is
the one shipped in the wheel (`data/`) or the one `bastion db import/update` stored.
"""
