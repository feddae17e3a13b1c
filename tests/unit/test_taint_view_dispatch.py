"""What a class-based view's handler starts with (issue 12): Django's `dispatch` calls the
handler, so a field guarded in `dispatch` before its `super().dispatch(...)` is guarded in
`get`, whether `dispatch` or `setup` set it; a mixin's `dispatch` runs when the method
resolution order finds it first, and DRF calls `initial` after `dispatch`, before the handler.
A `dispatch` may run the handler itself as Django's does, looked up by the request's method
(`handler = getattr(self, request.method.lower(), ...)`, or called at once).
The twins report: a guard that does not return, a guard after the handler ran, a handler that
stores the field again, a mixin or an `initial` that sets the field unguarded. Through `bastion
check` and the editor's store; a line that must report ends with its rule."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

VIEWS = r'''import os
import subprocess

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotFound
from django.views import View
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

BASE = "/srv/files"


class GuardedView(View):
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET["n"]
        if not self.name.isalnum():
            return HttpResponseBadRequest()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return HttpResponse(open(os.path.join(BASE, self.name)).read())


class SetUpThenGuardedView(View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.slug = kwargs["slug"]

    def dispatch(self, request, *args, **kwargs):
        if self.slug.isdigit():
            return super().dispatch(request, *args, **kwargs)
        return HttpResponseNotFound()

    def post(self, request, *args, **kwargs):
        subprocess.run("ls " + self.slug, shell=True)
        return HttpResponse(status=204)


class NestedFieldView(View):
    def dispatch(self, request, *args, **kwargs):
        self.options.term = request.POST.get("term", "")
        if not self.options.term.isalnum():
            return HttpResponseBadRequest("term")
        response = super().dispatch(request, *args, **kwargs)
        return response

    def post(self, request):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM t WHERE name = '{self.options.term}'")
            return HttpResponse(str(cursor.fetchall()))


class LoggedOnlyView(View):
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET["n"]
        if not self.name.isalnum():
            print("odd name")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return HttpResponse(open(BASE + "/" + self.name).read())  # BST201


class CheckedTooLateView(View):
    def dispatch(self, request, *args, **kwargs):
        self.cmd = request.headers.get("X-Job", "")
        response = super().dispatch(request, *args, **kwargs)
        return response if self.cmd.isalnum() else HttpResponseBadRequest()

    def get(self, request):
        os.system("run-job " + self.cmd)  # BST202
        return HttpResponse("started")


class RebindingView(View):
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET["n"]
        if self.name.isalnum():
            return super().dispatch(request, *args, **kwargs)
        raise PermissionDenied("name")

    def delete(self, request):
        self.name = request.GET.get("other", "")
        os.remove(os.path.join(BASE, self.name))  # BST201
        return HttpResponse(status=204)


class CheckedNameMixin:
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET["n"]
        if not self.name.isalnum():
            raise PermissionDenied("name")
        return super().dispatch(request, *args, **kwargs)


class NameMixin:
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET["n"]
        return super().dispatch(request, *args, **kwargs)


class CheckedMixedView(CheckedNameMixin, View):
    def get(self, request):
        return HttpResponse(open(os.path.join(BASE, self.name)).read())


class MixedView(NameMixin, View):
    def put(self, request):
        with open(os.path.join(BASE, self.name), "wb") as fh:  # BST201
            fh.write(request.body)
        return HttpResponse(status=201)


class NamedApi(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.name = request.query_params["n"]

    def get(self, request):
        return Response(open(os.path.join(BASE, self.name)).read())  # BST201


class CheckedApi(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.host = request.query_params.get("host", "")
        if not self.host.isalnum():
            raise ValidationError("host")

    def get(self, request):
        return Response(subprocess.check_output("ping -c 1 " + self.host, shell=True))
'''


def test_the_handler_starts_with_the_fields_as_dispatch_hands_them(tmp_path):
    assert_checked_and_stored({"views.py": VIEWS}, tmp_path, RULE_CWE)

LOOKED_UP = r'''import subprocess

from django.http import HttpResponse, HttpResponseBadRequest
from django.views import View


class BoundHandlerView(View):
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET.get("name", "")
        if not self.name.isalnum():
            return HttpResponseBadRequest()
        handler = getattr(self, request.method.lower(), self.http_method_not_allowed)
        return handler(request, *args, **kwargs)

    def get(self, request):
        subprocess.call("ls " + self.name, shell=True)
        return HttpResponse("listed")


class CalledAtOnceView(View):
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET.get("name", "")
        if not self.name.isalnum():
            return HttpResponseBadRequest()
        return getattr(self, request.method.lower())(request, *args, **kwargs)

    def get(self, request):
        subprocess.call("ls " + self.name, shell=True)
        return HttpResponse("listed")


class GuardedAfterView(View):
    def dispatch(self, request, *args, **kwargs):
        self.name = request.GET.get("name", "")
        handler = getattr(self, request.method.lower(), self.http_method_not_allowed)
        response = handler(request, *args, **kwargs)
        if not self.name.isalnum():
            return HttpResponseBadRequest()
        return response

    def get(self, request):
        subprocess.call("ls " + self.name, shell=True)  # BST202
        return HttpResponse("listed")
'''


def test_a_handler_looked_up_by_the_method_starts_with_the_fields_at_its_call(tmp_path):
    assert_checked_and_stored({"views.py": LOOKED_UP}, tmp_path, RULE_CWE)
