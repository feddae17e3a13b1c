"""Module state one view writes request data into and another reads (issue 12, TAINT.md 11): a
global a view declares `global LAST` and assigns from the request, and an attribute assigned on
one of the module's classes (`Config.target = q`), read by another view that reaches a sink, is
request data there (medium confidence). The twin's writes store constants only, so its reads
stay silent, as a global the request's number is converted into does in both. Through `bastion
check` and the editor's store; an edit of the writing view alone changes what the reading view
reports."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_edit_reaches

MODULE = '''import os

from flask import Flask, redirect, request

app = Flask(__name__)
LAST = "ls"
COUNT = 1


class Config:
    target = "/"


@app.route("/remember")
def remember():
    global LAST, COUNT
    command = request.args["command"]
    LAST = {command}
    COUNT = int(request.args["count"])
    Config.target = {target}
    return "ok"


@app.route("/again")
def again():
    os.system(LAST){mark202}
    os.system("sleep " + str(COUNT))


@app.route("/back")
def back():
    return redirect(Config.target){mark210}
'''


def test_a_global_and_a_class_attribute_a_view_wrote_reach_another_view_and_constants_stay_silent(
        tmp_path):
    apps = {
        "state.py": MODULE.format(command="command", target='request.args["next"]',
                                  mark202="  # BST202", mark210="  # BST210"),
        "constant_state.py": MODULE.format(command='"uptime"', target='"/home"', mark202="", mark210=""),
    }
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


EDITED = '''import os

from flask import Flask, request

app = Flask(__name__)
LAST = "ls"


@app.route("/remember")
def remember():
    global LAST
    LAST = {value}
    return "ok"


@app.route("/again")
def again():
    os.system(LAST)
'''


def test_an_edit_of_the_writing_view_alone_changes_what_the_reading_view_reports():
    """The functions are cached (as in the editor): an edit of the write alone changes what the
    reading view reports, both ways."""
    assert_edit_reaches(EDITED.format(value='request.args["command"]'), EDITED.format(value='"uptime"'),
                        "BST202")


# Flask's upload idiom (`request.files`, `request.data`): a view keeps the size of the last body
# or query in a global, another prints it through a shell. A length, and its text (`str(len(q))`,
# an f-string of it, a sum), is a number: only the stored text itself reports.
SIZES = '''import os

from flask import Flask, request

app = Flask(__name__)
LAST_SIZE = 0
SIZE_TEXT = "0"
LABEL = ""
TOTAL = 0
LAST_NAME = ""


@app.route("/upload", methods=["POST"])
def upload():
    global LAST_SIZE, SIZE_TEXT, LABEL, TOTAL, LAST_NAME
    name = request.args.get("name", "")
    LAST_SIZE = len(request.data)
    SIZE_TEXT = str(len(name))
    LABEL = f"{len(request.data)} bytes"
    TOTAL = len(name) + 1
    LAST_NAME = str(name)
    return "ok"


@app.route("/stats")
def stats():
    os.system("echo %s" % LAST_SIZE)
    os.system("echo " + SIZE_TEXT)
    os.system("echo " + LABEL)
    os.system("echo %d" % TOTAL)
    os.system("echo " + LAST_NAME)  # BST202
    return "ok"
'''


def test_a_length_a_view_stores_in_a_global_is_no_request_text(tmp_path):
    assert_checked_and_stored({"sizes.py": SIZES}, tmp_path, RULE_CWE)
