"""shopfront: a demo web shop backend with planted security issues (see ../../README.md)."""

__version__ = "0.1.0"
