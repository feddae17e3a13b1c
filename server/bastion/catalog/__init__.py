"""The rule catalog: metadata and lessons for every rule id Bastion can report."""
