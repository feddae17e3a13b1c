"""click's declared parameter types (issue 12): a click command's parameter whose `@click.option`
/ `@click.argument` declares a type the entry lists in `clean_annotations` (`type=int`,
`click.INT`, `click.IntRange(1, 9)`, `click.UUID`), a `click.Choice` of constants, a boolean
flag (`is_flag=True`, `--flag/--no-flag`) or a counter (`count=True`) holds a number, a UUID or
one of those constants: click converts the value (its default too, since click 8) and exits on
one that does not fit. A `callback=` may return anything else, so it keeps the parameter
untrusted; so does a flag whose `flag_value` is not a constant."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.annotations import validated
from bastion.analyzers.taint.factories import resolve

if TYPE_CHECKING:
    from bastion.analyzers.matchers import Env
    from bastion.analyzers.taint.classes import ClassShape
    from bastion.analyzers.taint.entry_models import EntryModel

_OPTIONS = frozenset({"click.option", "click.decorators.option"})
_ARGUMENTS = frozenset({"click.argument", "click.decorators.argument"})
_CHOICE = frozenset({"click.Choice", "click.types.Choice"})


def declared_clean(node: ast.FunctionDef | ast.AsyncFunctionDef, entry: EntryModel, env: Env,
                   kinds: dict[str, str], classes: dict[str, ClassShape]) -> frozenset[str]:
    """The parameters of a click command whose decorator declares a validated type."""
    clean = set()
    for decorator in node.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        made = resolve(decorator.func, env, kinds)
        if made not in _OPTIONS and made not in _ARGUMENTS:
            continue
        declarations = [a.value for a in decorator.args
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if len(declarations) != len(decorator.args) or not declarations:
            continue  # a name not written out: which parameter it fills is unknown
        name = _parameter(declarations, made in _OPTIONS)
        if _converted(decorator, declarations, entry, env, kinds, classes):
            clean.add(name)
    return frozenset(clean)


def _parameter(declarations: list[str], option: bool) -> str:
    """The parameter click fills, named as click names it: an identifier among an option's
    declarations, else its first longest-prefixed name (`--dry-run`: dry_run, `--x/--no-x`: x);
    an argument's first declaration."""
    if not option:
        return declarations[0].replace("-", "_").lower()
    named = next((d for d in declarations if d.isidentifier()), None)
    if named is not None:
        return named
    flags = [d.split("/")[0].strip() for d in declarations]
    longest = max(flags, key=lambda d: len(d) - len(d.lstrip("-")))
    return longest.lstrip("-").replace("-", "_").lower()


def _converted(decorator: ast.Call, declarations: list[str], entry: EntryModel, env: Env,
               kinds: dict[str, str], classes: dict[str, ClassShape]) -> bool:
    keywords = {k.arg: k.value for k in decorator.keywords}
    if None in keywords or "callback" in keywords:  # `**attrs`, or a callback's own result
        return False
    flag_value = keywords.get("flag_value")
    if flag_value is not None and not isinstance(flag_value, ast.Constant):
        return False
    if _true(keywords.get("is_flag")) or flag_value is not None or any("/" in d for d in declarations):
        default = keywords.get("default")  # a flag's default is not converted to its kind
        return default is None or isinstance(default, ast.Constant)
    if _true(keywords.get("count")):
        return True
    kind = keywords.get("type")
    if kind is None:
        return False
    if isinstance(kind, ast.Call) and resolve(kind.func, env, kinds) in _CHOICE:
        choices = kind.args[0] if kind.args else None
        return isinstance(choices, (ast.List, ast.Tuple, ast.Set)) \
            and all(isinstance(e, ast.Constant) for e in choices.elts)
    return validated(kind, entry.clean_annotations, env, kinds, classes)


def _true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True
