"""A WTForms choice field (`SelectField`, `RadioField`, `SelectMultipleField`) declared with
constant choices holds one of them once the form validated: its `pre_validate` refuses any other
submitted value (WTForms' fields/choices.py), so `form.field.data` is safe where
`form.validate_on_submit()` / `form.validate()` held, and the sender's text before it, where it
failed, or where the field was declared `validate_choice=False` or with choices the form does not
fix (form_choices.py)."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_marked

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
        subprocess.run(form.named.data, shell=True)  # BST202
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
