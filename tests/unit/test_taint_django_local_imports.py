"""A Django view module that imports the framework inside its functions only (`from
django.http import HttpResponse` in the view, as small apps and tutorials do) has views all the
same; a module that never imports Django has none (its `def run(request)` is any function)."""

from __future__ import annotations

from tests.unit.taint_marked import ANALYZER, marked_and_found

LOCAL_IMPORTS = '''\
import subprocess


def run_view(request):
    from django.http import HttpResponse
    subprocess.run(request.GET["c"], shell=True)  # BST202
    return HttpResponse("ok")


def ping(request, host):
    from django.http import JsonResponse
    subprocess.run(["ping", "-c1", host])  # BST217
    return JsonResponse({"out": subprocess.check_output("ping -c1 " + host, shell=True).decode()})  # BST202
'''

NO_DJANGO = LOCAL_IMPORTS.replace("    from django.http import HttpResponse\n", "") \
    .replace("    from django.http import JsonResponse\n", "")


def test_views_that_import_django_inside_are_views():
    expected, found = marked_and_found(LOCAL_IMPORTS)
    assert expected and found == expected


def test_a_module_that_never_imports_django_has_no_views():
    assert [f for f in ANALYZER.analyse_file(NO_DJANGO, "case.py") if f.rule_id.startswith("BST2")] == []


def test_an_import_typed_into_one_view_makes_the_unchanged_one_a_view_too():
    # `run_view` is the same node in both texts (the block parser keeps it), its classification
    # kept by node and the module's digest: the digest says what the functions import
    one_import = NO_DJANGO.replace("    subprocess.run([", "    from django.http import JsonResponse\n"
                                   "    subprocess.run([")
    assert not [f for f in ANALYZER.analyse_file(NO_DJANGO, "typed.py") if f.rule_id.startswith("BST2")]
    found = {(f.line, f.rule_id) for f in ANALYZER.analyse_file(one_import, "typed.py")}
    assert (4, "BST202") in found  # run_view: lines count from 0
