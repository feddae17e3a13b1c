"""Whether the signed-in user's key is a number in a module (folding.KNOWN_ATTRIBUTES: Django's
`request.user.pk` / `.id`, Flask-Login's `current_user.id`, read as the database's number for the
row the session names, which retracts bandit's B608 where one is written into a query).

It is not one where the module declares the user model with a key of text: a Django user model
(`AbstractUser` / `AbstractBaseUser`) whose primary key is a field other than an integer or a
UUID (`username = models.CharField(max_length=40, primary_key=True)`: the name the user chose at
sign-up), or a Flask-Login user class (`UserMixin`) that does not declare `id` an integer column
(`db.Column(db.Integer, primary_key=True)`, `id: Mapped[int]`, peewee's `AutoField()`; a peewee
or MongoEngine model keys rows so without declaring it): Flask-Login's own example keeps the
user's e-mail address there (`user.id = email`), and its `get_id()` returns text. Where the
module declares no user model, the key stays a number: Django's default user model is keyed by
an `AutoField`, unless the project's settings name a user model of its own (`AUTH_USER_MODEL`)
that user_models.py finds keyed by text in its app's `models.py` (`declared_text_key`).

Stateless: computed with the module's context (context.py), from its class shapes."""

from __future__ import annotations

import ast

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.classes import ClassShape
from bastion.analyzers.taint.factories import resolve
from bastion.analyzers.taint.folding import DJANGO_USER_KEYS, FLASK_LOGIN_USER_KEYS

_DJANGO_USERS = frozenset({"django.contrib.auth.models.AbstractUser",
                           "django.contrib.auth.models.AbstractBaseUser",
                           "django.contrib.auth.base_user.AbstractBaseUser"})
_FLASK_USERS = frozenset({"flask_login.UserMixin", "flask_login.mixins.UserMixin"})
_NUMBER_FIELDS = frozenset({"AutoField", "BigAutoField", "SmallAutoField", "IntegerField",
                            "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                            "PositiveBigIntegerField", "PositiveSmallIntegerField", "UUIDField"})
# ORM models that key every row by a number or an ObjectId (hex digits) without declaring it:
# peewee's implicit `id = AutoField()`, MongoEngine's `id` (SQLAlchemy needs one declared)
_IMPLICIT_IDS = frozenset({"peewee.Model", "mongoengine.Document",
                           "flask_mongoengine.MongoEngine().Document"})
# SQLAlchemy's column types (`db.Integer`, `sa.BigInteger`, `Uuid`) and annotations (`Mapped[int]`)
_NUMBER_COLUMNS = frozenset({"Integer", "BigInteger", "SmallInteger", "Uuid", "UUID", "int",
                             "uuid.UUID"})


def text_user_keys(shapes: dict[ast.ClassDef, ClassShape], env: Env,
                   kinds: dict[str, str]) -> frozenset[str]:
    """The signed-in user's keys (KNOWN_ATTRIBUTES' names) that hold text in this module."""
    if not env.imported(("django", "flask_login")):
        return frozenset()
    found: frozenset[str] = frozenset()
    nodes = {node.name: node for node in shapes}
    for node, shape in shapes.items():
        if not _DJANGO_USERS.isdisjoint(shape.bases):
            if _text_primary_key(node, shape, nodes, env, kinds):
                found |= DJANGO_USER_KEYS
        elif not _FLASK_USERS.isdisjoint(shape.bases):
            if not _number_id(node, shape, nodes, env, kinds):
                found |= FLASK_LOGIN_USER_KEYS
    return found


def _body(node: ast.ClassDef, shape: ClassShape, nodes: dict[str, ast.ClassDef]) -> list[ast.stmt]:
    """The class's statements, then its ancestors' of this module."""
    return [*node.body, *(s for name in shape.ancestors if name in nodes for s in nodes[name].body)]


def declared_text_key(tree: ast.Module, name: str) -> bool:
    """Whether the class `name` of another module's `tree` (the user model the settings name)
    declares a primary key that is not a number, in its body or its ancestors' of that module."""
    env = Env({}, set())
    for statement in tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            env.add_import(statement)
    nodes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    body, waiting, seen = [], [name], set()
    while waiting and len(seen) < 8:  # the class, then the bases it names of that module
        current = nodes.get(waiting.pop(0))
        if current is None or current.name in seen:
            continue
        seen.add(current.name)
        body.extend(current.body)
        waiting.extend(base.id for base in current.bases if isinstance(base, ast.Name))
    return _text_key(body, env, {})


def _text_primary_key(node: ast.ClassDef, shape: ClassShape, nodes: dict[str, ast.ClassDef],
                      env: Env, kinds: dict[str, str]) -> bool:
    return _text_key(_body(node, shape, nodes), env, kinds)


def _text_key(body: list[ast.stmt], env: Env, kinds: dict[str, str]) -> bool:
    for statement in body:
        value = statement.value if isinstance(statement, (ast.Assign, ast.AnnAssign)) else None
        if isinstance(value, ast.Call) and any(k.arg == "primary_key" and isinstance(k.value, ast.Constant)
                                               and k.value.value is True for k in value.keywords):
            return (resolve(value.func, env, kinds) or "").rpartition(".")[2] not in _NUMBER_FIELDS
    return False


def _number_id(node: ast.ClassDef, shape: ClassShape, nodes: dict[str, ast.ClassDef], env: Env,
               kinds: dict[str, str]) -> bool:
    for statement in _body(node, shape, nodes):
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) \
                and statement.target.id == "id":  # `id: Mapped[int] = mapped_column(...)`, `id: int`
            annotation = statement.annotation
            held = annotation.slice if isinstance(annotation, ast.Subscript) else annotation
            return _names_number(held, env, kinds)
        if isinstance(statement, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "id"
                                                     for t in statement.targets):
            value = statement.value  # `id = db.Column(db.Integer, primary_key=True)`, peewee's `AutoField()`
            return isinstance(value, ast.Call) and (
                _names_number(value.args[0], env, kinds) if value.args
                else (resolve(value.func, env, kinds) or "").rpartition(".")[2] in _NUMBER_FIELDS)
    return not _IMPLICIT_IDS.isdisjoint(shape.bases)


def _names_number(node: ast.expr, env: Env, kinds: dict[str, str]) -> bool:
    name = resolve(node, env, kinds) or ""
    return name in _NUMBER_COLUMNS or name.rpartition(".")[2] in _NUMBER_COLUMNS
