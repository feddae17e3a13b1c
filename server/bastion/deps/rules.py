"""The dependency rules' ids and check names, apart from the matching code (deps/match.py) so
that the engine learns them without importing `packaging`."""

RULES = {"BST401": "vulnerable_dependency_version", "BST402": "dependency_range_admits_vulnerable",
         "BST403": "dependency_typosquat"}
