"""A WTForms choice field (`SelectField`, `RadioField`, `SelectMultipleField`) declared with
constant choices holds one of them once the form validated: its `pre_validate` refuses any other
submitted value (WTForms' fields/choices.py), so `form.field.data` is safe where
`form.validate_on_submit()` / `form.validate()` held, and the sender's text before it, where it
failed, or where the field was declared `validate_choice=False` or with choices the form does not
fix (form_choices.py). Choices a module-level constant holds (`choices=TOOLS`, a list or tuple
of pairs nothing changes) are constants too, and so are those the form class binds itself
(`TOOLS = [...]` in its body) and a list comprehension whose values are the items of such a
constant (`[(t, t.title()) for t in TOOLS]`); a list a function appends to, or a callable, is
not (forms.py, module_level.fixed)."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from pathlib import Path

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_checked_apps, assert_marked

from bastion.analyzers.taint.analyzer import TaintAnalyzer

FLASK_WTF = '''\
import subprocess

from flask import Flask, abort, request
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField

app = Flask(__name__)
TOOLS = [("uptime", "Uptime"), ("df -h", "Disk")]


class ToolForm(FlaskForm):
    tool = SelectField("Tool", choices=[("uptime", "Uptime"), ("df -h", "Disk")])
    mode = RadioField("Mode", choices=["fast", "slow"])
    flags = SelectMultipleField("Flags", choices=["-a", "-l"])
    loose = SelectField("Loose", choices=["a", "b"], validate_choice=False)
    named = SelectField("Named", choices=TOOLS)
    note = StringField("Note")


@app.route("/run", methods=["POST"])
def run():
    form = ToolForm()
    if form.validate_on_submit():
        subprocess.run(form.tool.data, shell=True)
        subprocess.run("uptime --" + form.mode.data, shell=True)
        subprocess.run("ls " + " ".join(form.flags.data), shell=True)
        subprocess.run(form.loose.data, shell=True)  # BST202
        subprocess.run(form.named.data, shell=True)
        subprocess.run(form.note.data, shell=True)  # BST202
    return "ok"


@app.route("/early", methods=["POST"])
def early():
    form = ToolForm()
    if not form.validate_on_submit():
        abort(400)
    subprocess.run(form.tool.data, shell=True)
    return "ok"


@app.route("/before", methods=["POST"])
def before():
    form = ToolForm()
    subprocess.run(form.tool.data, shell=True)  # BST202
    if form.validate_on_submit():
        return "ok"
    subprocess.run(form.mode.data, shell=True)  # BST202
    return "no"
'''

WTFORMS = '''\
import subprocess

from flask import Flask, request
from wtforms import Form, SelectField

app = Flask(__name__)


class SortForm(Form):
    order = SelectField("Order", None, str, [("asc", "Up"), ("desc", "Down")])


@app.route("/list", methods=["POST"])
def listing():
    form = SortForm(request.form)
    if request.method == "POST" and form.validate():
        subprocess.run("sort --" + form.order.data, shell=True)
    subprocess.run("sort --" + form.order.data, shell=True)  # BST202
    return "ok"
'''


def test_a_validated_choice_field_holds_one_of_its_constants() -> None:
    assert_marked(FLASK_WTF)


def test_a_plain_form_validated_holds_its_choice_given_by_position() -> None:
    assert_marked(WTFORMS)


GLOBAL_CHOICES = '''\
import subprocess

from flask import Flask, request
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField

app = Flask(__name__)
TOOLS = [("uptime", "Uptime"), ("df -h", "Disk")]
MODES = ("fast", "slow")


def hosts():
    return [(h, h) for h in open("/etc/hosts.allow").read().split()]


class ToolForm(FlaskForm):
    tool = SelectField("Tool", choices=TOOLS)
    mode = RadioField("Mode", choices=MODES)
    host = SelectField("Host", choices=hosts)


@app.route("/run", methods=["POST"])
def run():
    form = ToolForm()
    subprocess.run(form.tool.data, shell=True)  # BST202
    if form.validate_on_submit():
        subprocess.run(form.tool.data, shell=True)
        subprocess.run("tool --" + form.mode.data, shell=True)
        subprocess.run("ping " + form.host.data, shell=True)  # BST202
    return "ok"
'''
# a view adding to the list: the choices are no longer the module's constants
ADDED = GLOBAL_CHOICES + '''

@app.route("/add", methods=["POST"])
def add():
    TOOLS.append((request.form["tool"], "Custom"))
    return "ok"
'''


def test_a_choice_field_given_a_module_constant_holds_one_of_its_choices(tmp_path: Path) -> None:
    assert_marked(GLOBAL_CHOICES)
    assert_checked_apps({"app.py": GLOBAL_CHOICES}, tmp_path)


def test_choices_a_function_changes_are_not_constant() -> None:
    changed = ADDED.replace(
        "        subprocess.run(form.tool.data, shell=True)\n        subprocess.run(\"tool",
        "        subprocess.run(form.tool.data, shell=True)  # BST202\n        subprocess.run(\"tool")
    assert_marked(changed)
    # typed in the editor: the same analyzer sees the list changed, then constant again
    analyzer = TaintAnalyzer()
    for _ in range(2):
        assert len(analyzer.analyse_file(ADDED, "app.py")) == 3
        assert len(analyzer.analyse_file(GLOBAL_CHOICES, "app.py")) == 2


OWN_CHOICES = '''\
import subprocess

from flask import Flask
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField

app = Flask(__name__)
HOSTS = ["example.com", "example.org"]
LEVELS = {"low": 1}


class ToolForm(FlaskForm):
    TOOLS = [("uptime", "Uptime"), ("df -h", "Disk")]
    EXTRA = ["who"]

    tool = SelectField("Tool", choices=TOOLS)
    host = SelectField("Host", choices=[(host, host.upper()) for host in HOSTS])
    mode = RadioField("Mode", choices=[(mode, mode) for mode in ("fast", "slow")])
    extra = SelectField("Extra", choices=EXTRA)
    echo = SelectField("Echo", choices=[(h + "; id", h) for h in HOSTS])

    def add(self, name):
        self.EXTRA.append(name)


@app.post("/tools")
def tools():
    form = ToolForm()
    if not form.validate_on_submit():
        subprocess.run("logger " + form.tool.data, shell=True)  # BST202
        return "bad", 400
    commands = [form.tool.data, "ping " + form.host.data, "tool --" + form.mode.data]
    for command in commands:
        subprocess.run(command, shell=True)
    subprocess.run(form.extra.data, shell=True)  # BST202
    subprocess.run("ping " + form.echo.data, shell=True)  # BST202
    return "ok"
'''


def test_choices_the_form_class_binds_or_a_comprehension_builds_from_constants(tmp_path: Path) -> None:
    assert_marked(OWN_CHOICES)
    assert_checked_and_stored({"app.py": OWN_CHOICES}, tmp_path, RULE_CWE)
