"""A plain class (no framework's view) whose method runs another of its methods picked by a name
from the request, as `cmd.Cmd` and hand-written dispatchers do: `getattr(self, "cmd_" +
name)(arg)`, or the name bound to the pick and called (`handler = getattr(self, "do_" + action,
None)`; `handler(request)`). Every method the constant text starts may run: their sinks report
through the view's call of the dispatcher (self_dispatch.py). A method the prefix cannot name, a
constant argument, and picks of safe methods only stay silent. Through `bastion check` and the
editor's store; a line that must report ends with its rule."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_edit_reaches

VIEWS = r'''import shlex
import subprocess

from django.http import HttpResponse


class Commands:
    def run(self, name, arg):
        return getattr(self, "cmd_" + name)(arg)

    def probe(self, name):
        return getattr(self, f"cmd_{name}")("localhost")

    def cmd_ping(self, host):
        return subprocess.check_output("ping -c 1 " + host, shell=True)  # BST202

    def cmd_echo(self, text):
        return text.upper()

    def shell(self, line):
        return subprocess.check_output(line, shell=True)


class Pages:
    def show(self, name, value):
        return getattr(self, "page_" + name)(value)

    def page_quoted(self, value):
        return subprocess.check_output("echo " + shlex.quote(value), shell=True)

    def page_count(self, value):
        return str(len(value))

    def raw(self, value):
        return subprocess.check_output("echo " + value, shell=True)


class Api:
    def handle(self, request):
        action = request.GET.get("action", "index")
        handler = getattr(self, "do_" + action, None)
        if handler is None:
            return HttpResponse("no", status=404)
        return handler(request)

    def do_index(self, request):
        return HttpResponse("ok")

    def do_lookup(self, request):
        name = request.GET.get("name", "")
        out = subprocess.check_output("host " + name, shell=True)  # BST202
        return HttpResponse(out, content_type="text/plain")


api = Api()


def command(request):
    out = Commands().run(request.GET["cmd"], request.GET["arg"])
    Commands().probe(request.GET["cmd"])
    return HttpResponse(out, content_type="text/plain")


def page(request):
    out = Pages().show(request.GET["page"], request.GET["value"])
    return HttpResponse(out, content_type="text/plain")


def api_view(request):
    return api.handle(request)
'''


def test_methods_picked_by_name_from_the_request_run(tmp_path):
    assert_checked_and_stored({"views.py": VIEWS}, tmp_path, RULE_CWE)


EDITED = '''import subprocess

from django.http import HttpResponse


class Commands:
    def run(self, name, arg):
        return getattr(self, "cmd_" + name)(arg)

    def cmd_ping(self, host):
        return subprocess.check_output({command}, shell=True)


def command(request):
    return HttpResponse(Commands().run(request.GET["cmd"], request.GET["arg"]), content_type="text/plain")
'''


def test_an_edit_of_a_picked_method_alone_reaches_the_view_analysed_before():
    assert_edit_reaches(EDITED.format(command='"ping -c 1 " + host'),
                        EDITED.format(command='"ping -c 1 localhost"'), "BST202")
