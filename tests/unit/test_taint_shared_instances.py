"""An instance of a module's class made once at module level is shared by every request, a
global in disguise (issue 12): a method storing request data in `self.cmd`, called by one view,
and another method reading `self.cmd`, called by another view later, reads request data there
(medium confidence, as a `global` a view writes: the order of requests is not followed). The
twins store a number (`len`) or a constant in the shared instance, or the request data in an
instance each request makes (`Scratch()` in the view), and stay silent (a parameter stored,
`self.next = target`, is not followed, as for a global), nor is what `__init__` stores, run
where the module makes the instance (`self.log = input`, a parameter named as the builtin).
Through `bastion check` and the editor's store; in-process, an edit of the storing method alone
flips the reading one's."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_edit_reaches

MODULE = '''import os

from flask import Flask, redirect, request

app = Flask(__name__)


class Runner:
    def __init__(self, input="/dev/null"):
        self.cmd = "ls"
        self.size = 0
        self.next = "/"
        self.log = input

    def configure(self):
        self.cmd = {command}
        self.size = len(request.args["cmd"])

    def remember(self, target):
        self.next = target

    def go(self):
        os.system(self.cmd){mark202}
        os.system("head -c " + str(self.size))
        os.system("tail " + self.log)

    def back(self):
        return redirect(self.next)


class Scratch:
    def __init__(self):
        self.cmd = "ls"

    def configure(self):
        self.cmd = request.args["cmd"]

    def go(self):
        os.system(self.cmd)


RUNNER = Runner()


@app.route("/set")
def set_view():
    RUNNER.configure()
    RUNNER.remember(request.args.get("next", "/"))
    Scratch().configure()
    return "ok"


@app.route("/go")
def go_view():
    RUNNER.go()
    Scratch().go()
    return RUNNER.back()
'''


def test_a_field_of_a_shared_instance_a_view_stored_reaches_another_view(tmp_path):
    apps = {
        "shared.py": MODULE.format(command='request.args["cmd"]', mark202="  # BST202"),
        "shared_constant.py": MODULE.format(command='"uptime"', mark202=""),
    }
    assert_checked_and_stored(apps, tmp_path, RULE_CWE)


def test_an_edit_of_the_storing_method_flips_the_reading_method():
    tainted = MODULE.format(command='request.args["cmd"]', mark202="")
    constant = MODULE.format(command='"uptime"', mark202="")
    assert_edit_reaches(tainted, constant, "BST202")
