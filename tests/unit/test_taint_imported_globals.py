"""Globals a module of the app binds at top level from a source, imported by another module
(top_level_sources.py's `global_readers`, through the workspace summaries): a settings module
binding `TARGET = sys.argv[1]` and `URL = os.environ["SERVICE_URL"]` (an environment variable
keeps its medium confidence), read by `from settings import TARGET` (or `settings.TARGET`) in
a function that runs a command. Safe twins: a global converted to a number
(`int(os.environ.get(...))`), a constant, and a global the module binds again to a constant.
Through `bastion check` and the editor's store, which agree.
"""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, checked

SETTINGS = '''import os
import sys

TARGET = sys.argv[1]
URL = os.environ["SERVICE_URL"]
RETRIES = int(os.environ.get("RETRIES", "3"))
NAME = "backup"
HOST = sys.argv[2]
HOST = "localhost"
'''

CLIENT = '''import os

from settings import HOST, NAME, RETRIES, TARGET, URL


def ping():
    os.system("ping -c 1 " + TARGET)  # BST202


def download():
    os.system("curl -O " + URL)  # BST202


def plain():
    os.system("echo " + NAME)
    os.system("sleep %d" % RETRIES)
    os.system("ping -c 1 " + HOST)
'''


def test_a_global_another_module_binds_from_a_source_reaches_the_importers_sink(tmp_path):
    assert_checked_and_stored({"settings.py": SETTINGS, "client.py": CLIENT}, tmp_path, RULE_CWE)


# the module imported whole: `settings.TARGET`
CLIENT_MODULE = CLIENT.replace("from settings import HOST, NAME, RETRIES, TARGET, URL", "import settings")
for _name in ("HOST", "NAME", "RETRIES", "TARGET", "URL"):
    CLIENT_MODULE = CLIENT_MODULE.replace(f" {_name})", f" settings.{_name})").replace(
        f"+ {_name}", f"+ settings.{_name}").replace(f"% {_name}", f"% settings.{_name}")


def test_a_global_read_through_its_modules_name_reaches_the_sink(tmp_path):
    assert "settings.TARGET)  # BST202" in CLIENT_MODULE and "from settings" not in CLIENT_MODULE
    assert_checked_and_stored({"settings.py": SETTINGS, "client.py": CLIENT_MODULE}, tmp_path, RULE_CWE)


def test_the_path_starts_in_the_settings_module_and_the_environment_stays_medium(tmp_path):
    found = {r["line"]: r for r in checked({"settings.py": SETTINGS, "client.py": CLIENT}, tmp_path)}
    assert found[7]["confidence"] == "high" and found[11]["confidence"] == "medium"
    assert "settings.py line 4" in found[7]["message"]
