"""Taint analysis: a Django management command's `handle(*args, **options)` (and a LabelCommand's
`handle_label(label, **options)`) is called with the words of its command line, parsed as its
`add_arguments` declares: command-line arguments, which reach code, shell and queries but not
files or URLs (whoever runs the command may already read them). Each line that must report ends
with its rule (taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked, marked_and_found

COMMANDS = '''import sqlite3
import subprocess

import requests
from django.core.management.base import BaseCommand, LabelCommand


class Command(BaseCommand):
    help = "Import a supplier feed"

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--post-hook", default="")
        parser.add_argument("--supplier", default="acme")

    def handle(self, *args, **options):
        data = requests.get(options["url"], timeout=30).content
        with open(options["url"].rsplit("/", 1)[-1], "wb") as fh:
            fh.write(data)
        if options["post_hook"]:
            subprocess.run(options["post_hook"], shell=True)  # BST202
            subprocess.run(["sh", "/srv/hooks/post.sh", options["supplier"]])
        conn = sqlite3.connect("feeds.db")
        conn.execute("DELETE FROM feeds WHERE supplier = '%s'" % options["supplier"])  # BST204
        conn.execute("DELETE FROM feeds WHERE supplier = ?", (options["supplier"],))
        self.stdout.write("imported %d bytes" % len(data))


class Labels(LabelCommand):
    def handle_label(self, label, **options):
        subprocess.run("tar czf /backups/%s.tgz /srv/%s" % (label, label), shell=True)  # BST202
        subprocess.run(["tar", "czf", "/backups/latest.tgz", "/srv/data"])
'''


def test_a_commands_options_are_its_command_line():
    assert_marked(COMMANDS)


def test_a_handle_method_of_another_class_is_no_command():
    plain = COMMANDS.replace("(BaseCommand)", "").replace("(LabelCommand)", "")
    assert marked_and_found(plain)[1] == set()
