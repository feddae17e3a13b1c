"""A Django form's `FileField` / `ImageField` value (`form.cleaned_data["data"]`, a form of the
module or of another) is an uploaded file object, as `request.FILES["data"]` is: handed to a
pandas reader its content is read, no path traversal. The twins report: a text field of the
same form read as a path, and the upload's `.name` opened. Through `bastion check`; a line
that must report ends with its rule."""

from tests.unit.taint_marked import assert_checked_apps

FORMS = '''from django import forms


class SheetForm(forms.Form):
    title = forms.CharField()
    sheet = forms.FileField()
'''

VIEWS = r'''import pandas as pd
from django import forms
from django.http import JsonResponse

from .forms import SheetForm


class PictureForm(forms.Form):
    caption = forms.CharField()
    picture = forms.ImageField()
    table = forms.FileField()


def direct(request):
    frame = pd.read_csv(request.FILES["sheet"])
    return JsonResponse({"rows": len(frame)})


def local_form(request):
    form = PictureForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": "invalid"}, status=400)
    frame = pd.read_csv(form.cleaned_data["table"])
    upload = form.cleaned_data["table"]
    rows = pd.read_json(upload)
    return JsonResponse({"rows": len(frame) + len(rows)})


def imported_form(request):
    form = SheetForm(request.POST, request.FILES)
    if form.is_valid():
        frame = pd.read_excel(form.cleaned_data["sheet"])
        return JsonResponse({"rows": len(frame)})
    return JsonResponse({"error": "invalid"}, status=400)


def text_field(request):
    form = PictureForm(request.POST, request.FILES)
    if form.is_valid():
        frame = pd.read_csv(form.cleaned_data["caption"])  # BST201
        return JsonResponse({"rows": len(frame)})
    return JsonResponse({"error": "invalid"}, status=400)


def upload_name(request):
    form = SheetForm(request.POST, request.FILES)
    if form.is_valid():
        with open(form.cleaned_data["sheet"].name) as fh:  # BST201
            return JsonResponse({"size": len(fh.read())})
    return JsonResponse({"error": "invalid"}, status=400)
'''


def test_a_form_file_field_is_an_upload_not_a_path(tmp_path):
    assert_checked_apps({"app/__init__.py": "", "app/forms.py": FORMS, "app/views.py": VIEWS},
                        tmp_path)
