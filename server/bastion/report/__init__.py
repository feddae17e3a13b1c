"""Rendering check results: text for people, JSON and SARIF for machines."""
