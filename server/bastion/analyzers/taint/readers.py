"""The calls and methods that only read what they are handed (`len(ALLOWED)`, `" ".join(parts)`):
kept apart from escapes.py, which reads them for escapes, so that container_changes.py (and a
warm scan's keys, foreign_changes.py) reads them without loading the taint models.
"""

from __future__ import annotations

# Calls that read their arguments and keep nothing of them.
READERS = frozenset({
    "print", "len", "str", "repr", "bool", "int", "float", "sorted", "list", "tuple", "set",
    "frozenset", "dict", "isinstance", "issubclass", "enumerate", "zip", "iter", "any", "all",
    "min", "max", "sum", "hash", "id", "type", "reversed", "format", "json.dumps", "copy.copy",
    "copy.deepcopy", "builtins.print", "builtins.len", "builtins.str", "builtins.sorted",
    # Django's redirect check reads its `allowed_hosts` allow-list, which a view's own
    # `urlparse(nxt).netloc in ALLOWED` then still tests against constants
    "url_has_allowed_host_and_scheme", "http.url_has_allowed_host_and_scheme",
    "django.utils.http.url_has_allowed_host_and_scheme", "django.utils.http.is_safe_url",
    # WTForms' choice fields, as a form class declares them (`SelectField("Tool", choices=TOOLS)`),
    # change no choices they are handed: a form built from the class copies them, so a module's
    # `TOOLS` stays its constant (forms.py)
    "SelectField", "RadioField", "SelectMultipleField", "wtforms.SelectField", "wtforms.RadioField",
    "wtforms.SelectMultipleField", "wtforms.fields.SelectField", "wtforms.fields.RadioField",
    "wtforms.fields.SelectMultipleField", "fields.SelectField", "fields.RadioField",
    "fields.SelectMultipleField",
})
# Methods that read their arguments and keep nothing of them (`" ".join(parts)`). argparse's
# and optparse's parses copy the list they are given (`parser.parse_args(ARGS)` leaves a
# module's constant `ARGS` one, argparse_choices.py).
READING_METHODS = frozenset({
    "get", "keys", "values", "items", "copy", "count", "index", "getlist", "getall", "getone",
    "join", "format", "format_map", "startswith", "endswith", "split", "rsplit", "strip",
    "lstrip", "rstrip", "lower", "upper", "encode", "decode", "replace", "find", "rfind",
    "partition", "rpartition", "removeprefix", "removesuffix", "execute", "executemany",
    "fetchone", "fetchall", "fetchmany", "read", "readline", "readlines", "getvalue",
    "parse_args", "parse_known_args", "parse_intermixed_args", "parse_known_intermixed_args",
})
