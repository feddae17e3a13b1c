"""The signed-in user's key is a number (bandit's B608 retracted where it is written into a
query) unless the module's own user model keys users by text (user_keys.py): a Django custom
user model with a `CharField` primary key (a UUIDField is no text), a Flask-Login user class
that keeps the e-mail address as its `id`, as Flask-Login's documented example does (an
`Integer` column is a number)."""

from __future__ import annotations

from tests.unit.test_taint_safe_idioms import reported

DJANGO = '''\
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, models
from django.http import JsonResponse


class Member(AbstractBaseUser):
    {key}
    email = models.EmailField(unique=True)
    USERNAME_FIELD = "email"


def mine(request):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM blog_post WHERE author_id = '{{request.user.pk}}'")
        return JsonResponse({{"rows": cursor.fetchall()}})
'''


def test_a_django_user_model_keyed_by_text():
    text = "handle = models.CharField(max_length=40, primary_key=True)"
    assert reported(DJANGO.format(key=text)) == {("B608", 16)}
    uuid = "id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)"
    assert reported(DJANGO.format(key=uuid)) == set()
    assert reported(DJANGO.format(key="nickname = models.CharField(max_length=40)")) == set()


# the view both user classes are read for: line 27 of FLASK_LOGIN, 22 of PEEWEE
MINE = '''

@app.route("/mine")
@login_required
def mine():
    rows = sqlite3.connect("app.db").execute(f"SELECT * FROM posts WHERE author = '{{current_user.id}}'")
    return jsonify(rows.fetchall())
'''
FLASK_LOGIN = '''\
import sqlite3

import flask_login
from flask import Flask, jsonify
from flask_login import current_user, login_required
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)
login_manager = flask_login.LoginManager(app)


class User(flask_login.UserMixin{base}):
    {body}


@login_manager.user_loader
def user_loader(user_id):
    user = User()
    user.id = user_id
    return user
''' + MINE


def test_a_flask_login_user_keyed_by_text():
    assert reported(FLASK_LOGIN.format(base="", body="pass")) == {("B608", 27)}
    assert reported(FLASK_LOGIN.format(base="", body="id: str")) == {("B608", 27)}
    integer = "id = db.Column(db.Integer, primary_key=True)"
    assert reported(FLASK_LOGIN.format(base=", db.Model", body=integer)) == set()
    assert reported(FLASK_LOGIN.format(base="", body="id: int")) == set()


PEEWEE = '''\
import sqlite3

from flask import Flask, jsonify
from flask_login import UserMixin, current_user, login_required
from peewee import AutoField, CharField, Model, SqliteDatabase

app = Flask(__name__)
database = SqliteDatabase("app.db")


class User(UserMixin, Model):
    {body}
    email = CharField(unique=True)

    class Meta:
        database = database
''' + MINE


def test_a_peewee_user_is_keyed_by_its_implicit_number():
    """peewee gives a model without a primary key `id = AutoField()` (its documentation)."""
    assert reported(PEEWEE.format(body="pass")) == set()
    assert reported(PEEWEE.format(body="id = AutoField()")) == set()
    assert reported(PEEWEE.format(body="id = CharField(primary_key=True)")) == {("B608", 22)}
