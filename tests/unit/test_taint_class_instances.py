"""A class attribute holding an instance of a class of the module, built with constant arguments
(Django's manager: `objects = ProductManager()` in a model, read as `Product.objects`; a service a
class-based view keeps: `finder = ProductFinder()`, read as `self.finder`, also in a view derived
from it): a method called on it is that class's (class_instances.py), as on `ProductFinder()`
itself. Before, the read was of no known class and the method's sink was reached by nothing.
Twins: the parametrised methods, an attribute a method stores again (its instance unknown). A
line that must report ends with its rule (a sink of the module reports where it is)."""

import pytest
from tests.unit.taint_marked import assert_marked

MANAGER = '''from django.db import models
from django.http import JsonResponse


class ProductManager(models.Manager):
    def search(self, term):
        return self.raw(f"SELECT * FROM catalog_product WHERE name LIKE '%%{term}%%'")  # BST204

    def by_sku(self, sku):
        return self.raw("SELECT * FROM catalog_product WHERE sku = %s", [sku])


class Product(models.Model):
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=40)

    objects = ProductManager()


def find_products(term):
    return list(Product.objects.search(term))


def search(request):
    return JsonResponse({"p": find_products(request.GET.get("q", ""))})


def by_sku(request):
    return JsonResponse({"p": list(Product.objects.by_sku(request.GET["sku"]))})
'''

FINDER_CLASS = '''from django.db import connection
from django.http import JsonResponse
from django.views import View


class ProductFinder:
    def find(self, term):
        with connection.cursor() as cursor:
            cursor.execute("SELECT sku FROM product WHERE name = '" + term + "'")  # BST204
            return cursor.fetchall()

    def find_bound(self, term):
        with connection.cursor() as cursor:
            cursor.execute("SELECT sku FROM product WHERE name = %s", [term])
            return cursor.fetchall()
'''

FINDER = FINDER_CLASS + '''

class SearchView(View):
    finder = ProductFinder()

    def get(self, request):
        return JsonResponse({"products": self.finder.find(request.GET["q"])})

    def post(self, request):
        return JsonResponse({"products": self.finder.find_bound(request.POST["q"])})
'''

# the attribute of a base view, read in a derived one
DERIVED = FINDER_CLASS + '''

class BaseSearch(View):
    finder = ProductFinder()
    template_name = "search.html"


class SearchView(BaseSearch):
    def get(self, request):
        products = self.finder.find(request.GET["q"])
        return JsonResponse({"products": products, "template": self.template_name})
'''


@pytest.mark.parametrize("case", [MANAGER, FINDER, DERIVED], ids=["manager", "view", "derived"])
def test_a_class_attribute_instance_runs_its_class_methods(case):
    assert_marked(case)


def test_an_attribute_stored_again_is_no_known_instance():
    stored = FINDER.replace("    def post(self, request):\n",
                            "    def put(self, request):\n        self.finder = request.finder\n\n"
                            "    def post(self, request):\n").replace("  # BST204", "")
    assert "self.finder = request.finder" in stored
    from tests.unit.taint_marked import marked_and_found
    assert marked_and_found(stored)[1] == set()
