"""Taint analysis on a realistic app written from Django's documentation, round seven: a notes app of
generic class-based views (ListView.get_queryset, DetailView.get_object / get_context_data, FormView
and UpdateView.form_valid, TemplateView), forms and a ModelForm (cleaned_data of a CharField, an
EmailField (a quote and a pipe are valid in an address), an IntegerField, a ChoiceField), getlist,
request.FILES, raw / extra / cursor queries, mark_safe and format_html, guarded and open redirects,
sessions, FileResponse, a QueryDict's urlencode(), and a management command's options (cli.toml:
a shell, not a path); a reports module (cleaned_data.get, a CreateView's form.save(commit=False),
GET.dict(), FILES.getlist, a bound form's raw data).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'reports/__init__.py': r'''''',
    'reports/views.py': r'''import os
import subprocess

from django import forms
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.generic import FormView, View
from django.views.generic.edit import CreateView


class ReportForm(forms.Form):
    title = forms.CharField()
    year = forms.IntegerField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])


class ReportView(FormView):
    form_class = ReportForm

    def form_valid(self, form):
        title = form.cleaned_data.get("title")
        year = form.cleaned_data.get("year")
        with connection.cursor() as cur:
            cur.execute("SELECT * FROM r WHERE year = %d" % year)
            cur.execute("SELECT * FROM r WHERE title = '%s'" % title)  # BST204
        data = form.cleaned_data
        subprocess.run("make report-" + data["kind"], shell=True)
        subprocess.run("make report-" + data["title"], shell=True)  # BST202
        return HttpResponse("<h1>%s</h1>" % form.data["title"])  # BST203


class NoteCreate(CreateView):
    fields = ["title"]

    def form_valid(self, form):
        obj = form.save(commit=False)
        os.makedirs("/srv/notes/" + obj.title)  # BST201
        return super().form_valid(form)


class Filter(View):
    def get(self, request):
        params = request.GET.dict()
        where = " AND ".join("%s = '%s'" % (k, v) for k, v in params.items())
        with connection.cursor() as cur:
            cur.execute("SELECT * FROM t WHERE " + where)  # BST204
        q = request.GET.copy()
        q["page"] = "2"
        return HttpResponse("<a href='?%s'>next</a>" % q.urlencode())


def upload(request):
    for f in request.FILES.getlist("docs"):
        with open(os.path.join("/srv/docs", f.name), "wb") as out:  # BST201
            out.write(f.read())
    return JsonResponse({"ok": True})


def search(request):
    form = ReportForm(request.POST or None)
    if form.is_valid():
        return JsonResponse({"y": form.cleaned_data["year"]})
    return HttpResponse("<p>bad: %s</p>" % form.errors.as_text() + request.POST.get("title", ""))  # BST203
''',
    'notes/__init__.py': r'''''',
    'notes/forms.py': r'''from django import forms

from .models import Note


class NoteSearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False)
    limit = forms.IntegerField(min_value=1, max_value=100)
    order = forms.ChoiceField(choices=[("title", "Title"), ("created", "Created")])
    owner = forms.EmailField(required=False)
    tag = forms.SlugField(required=False)


class ShareForm(forms.Form):
    recipient = forms.EmailField()
    message = forms.CharField(widget=forms.Textarea)
    back = forms.CharField()


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["title", "body", "folder"]


class ImportForm(forms.Form):
    archive = forms.FileField()
    target = forms.CharField()
''',
    'notes/management/__init__.py': r'''''',
    'notes/management/commands/__init__.py': r'''''',
    'notes/management/commands/purge_notes.py': r'''import shutil
import subprocess

from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = "Purge notes of a folder"

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--after", default="")

    def handle(self, *args, **options):
        folder = options["folder"]
        with connection.cursor() as cur:
            cur.execute("DELETE FROM notes_note WHERE folder = '%s'" % folder)  # BST204
            cur.execute("DELETE FROM notes_note WHERE created < now() - interval '%d days'" % options["days"])
        shutil.rmtree("/srv/notes/" + folder)
        if options["after"]:
            subprocess.call(options["after"], shell=True)  # BST202
''',
    'notes/models.py': r'''from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()
    folder = models.CharField(max_length=100)
''',
    'notes/views.py': r'''import logging
import os
import subprocess
import tarfile

from django.conf import settings
from django.db import connection
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView

from .forms import ImportForm, NoteForm, NoteSearchForm, ShareForm
from .models import Note

logger = logging.getLogger("notes")
EXPORTS = os.path.join(settings.BASE_DIR, "exports")


class NoteList(ListView):
    model = Note
    paginate_by = 20

    def get_queryset(self):
        form = NoteSearchForm(self.request.GET)
        if not form.is_valid():
            return Note.objects.none()
        data = form.cleaned_data
        sql = "SELECT * FROM notes_note WHERE title LIKE %s ORDER BY " + data["order"]
        sql += " LIMIT %d" % data["limit"]
        rows = Note.objects.raw(sql, ["%" + data["q"] + "%"])
        rows2 = Note.objects.raw("SELECT * FROM notes_note WHERE title = '%s'" % data["q"])  # BST204
        return list(rows) + list(rows2)


class NoteByFolder(ListView):
    def get_queryset(self):
        folder = self.kwargs["folder"]
        tags = self.request.GET.getlist("tag")
        where = " OR ".join("folder = '%s'" % t for t in tags)
        qs = Note.objects.extra(where=[where])  # BST204
        qs2 = Note.objects.filter(folder__in=tags)
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM notes_note WHERE folder = '" + folder + "'")  # BST204
            cur.execute("SELECT COUNT(*) FROM notes_note WHERE folder = %s", [folder])
        return list(qs) + list(qs2)


class NoteDetail(DetailView):
    model = Note

    def get_object(self, queryset=None):
        pk = self.request.GET.get("id", "0")
        return Note.objects.raw(f"SELECT * FROM notes_note WHERE id = {pk}")[0]  # BST204

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        hl = self.request.GET.get("hl", "")
        ctx["banner"] = mark_safe("<mark>%s</mark>" % hl)  # BST203
        ctx["banner2"] = format_html("<mark>{}</mark>", hl)
        return ctx


class ShareView(FormView):
    form_class = ShareForm
    template_name = "notes/share.html"

    def form_valid(self, form):
        msg = form.cleaned_data["message"]
        to = form.cleaned_data["recipient"]
        logger.info("share to %s: " + msg, to)  # BST207
        subprocess.run("mail -s shared " + to, shell=True)  # BST202
        back = form.cleaned_data["back"]
        if url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()}):
            return HttpResponseRedirect(back)
        return HttpResponseRedirect(back)  # BST210


class ImportView(FormView):
    form_class = ImportForm

    def form_valid(self, form):
        upload = self.request.FILES["archive"]
        target = form.cleaned_data["target"]
        with tarfile.open(fileobj=upload) as tar:
            tar.extractall(os.path.join(EXPORTS, target))  # BST201
        with tarfile.open(fileobj=upload) as tar:
            tar.extractall(EXPORTS, filter="data")
        name = upload.name
        with open(os.path.join(EXPORTS, name), "wb") as out:  # BST201
            out.write(upload.read())
        with open(os.path.join(EXPORTS, os.path.basename(name)), "wb") as out:
            out.write(upload.read())
        return super().form_valid(form)


class NoteEdit(UpdateView):
    model = Note
    form_class = NoteForm

    def form_valid(self, form):
        title = form.cleaned_data["title"]
        folder = form.cleaned_data["folder"]
        os.makedirs(os.path.join(EXPORTS, folder), exist_ok=True)  # BST201
        self.request.session["last_title"] = title  # BST208
        self.request.session["edited"] = True
        return super().form_valid(form)


class Preview(TemplateView):
    template_name = "notes/preview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["body"] = self.request.GET.get("body", "")
        return ctx


def export(request, name):
    return FileResponse(open(os.path.join(EXPORTS, name), "rb"))  # BST201


def export_safe(request, name):
    full = os.path.realpath(os.path.join(EXPORTS, name))
    if not full.startswith(EXPORTS + os.sep):
        return HttpResponse(status=404)
    return FileResponse(open(full, "rb"))


def greet(request):
    who = request.GET.get("who", "")
    rows = format_html_join("\n", "<li>{}</li>", ((t,) for t in request.GET.getlist("t")))
    return HttpResponse(f"<h1>Hello {who}</h1>" + rows)  # BST203


def greet_text(request):
    who = request.GET.get("who", "")
    return HttpResponse(f"Hello {who}", content_type="text/plain")


def back(request):
    return redirect(request.GET["next"])  # BST210


def back_safe(request):
    nxt = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=True):
        nxt = "/"
    return redirect(nxt)


def stats(request):
    cols = request.GET.getlist("col")
    with connection.cursor() as cur:
        cur.execute("SELECT %s FROM notes_note" % ", ".join(cols))  # BST204
        data = cur.fetchall()
    return JsonResponse({"rows": data})


def upload_avatar(request):
    f = request.FILES["avatar"]
    dest = os.path.join(settings.MEDIA_ROOT, "avatars", f.name)
    with open(dest, "wb") as out:  # BST201
        for chunk in f.chunks():
            out.write(chunk)
    return JsonResponse({"ok": True})


def remember(request):
    request.session["role"] = request.POST.get("role", "user")  # BST208
    request.session["theme"] = "dark" if request.POST.get("dark") else "light"
    return JsonResponse({"ok": True})


def cookie_view(request):
    pref = request.COOKIES.get("pref", "")
    resp = HttpResponse("<div class='%s'>ok</div>" % pref)  # BST203
    return resp


def page_links(request):
    q = request.GET.copy()
    q["page"] = str(int(q.get("page", "1")) + 1)
    return HttpResponse("<a href='?%s'>next</a>" % q.urlencode())


def page_title(request):
    q = request.GET.copy()
    return HttpResponse("<a href='?%s'>%s</a>" % (request.GET.urlencode(), q.get("title", "")))  # BST203
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)
