"""The state a function's walk starts from (statements.py): each parameter's value."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.annotations import optional_type
from bastion.analyzers.taint.argparse_handlers import REGISTRAR
from bastion.analyzers.taint.body_fields import nested_items
from bastion.analyzers.taint.declared_classes import declared_class, declared_instance
from bastion.analyzers.taint.domain import ANY, CLEAN, EVERY_CLASS, SAFE, Origin, Value
from bastion.analyzers.taint.forms import form_instance
from bastion.analyzers.taint.injected_keywords import injected, parsed
from bastion.analyzers.taint.signatures import every
from bastion.analyzers.taint.summaries import shaped

if TYPE_CHECKING:
    from bastion.analyzers.taint.context_record import ModuleContext
    from bastion.analyzers.taint.entries import Function
    from bastion.analyzers.taint.expressions import Evaluator


def parameters(ev: Evaluator, function: Function) -> dict[str, Value]:
    """By what calls the function: an entry's request and untrusted parameters, a method's
    `self`, and the parameters callers fill (a summary's `param` origins)."""
    args = function.node.args
    # in their order (summaries number them so: analysis.py)
    params = every(args)
    env: dict[str, Value] = {}
    entry = function.entry
    offset = function.implicit_params
    handed = dict(function.request_kinds)  # parameters handed the request object (helpers.py)
    dependencies = dict(function.dependencies)
    responses = dict(function.response_params)
    # what a decorator of the module stores in the keywords it calls the function with
    stored = injected(function, ev.module) if function.node.decorator_list else {}
    # what a request parsing decorator (webargs' `use_args`) calls it with: not the framework's
    filled = {*function.request_params, *responses, *function.validated_params, *dependencies,
              *function.tainted_params} if entry is not None else set()
    parsed_data = parsed(ev, function, [p.arg for p in params[offset:] if p.arg not in filled]) \
        if function.node.decorator_list else frozenset()
    for index, param in enumerate(params):
        name = param.arg
        if index < offset:
            env[name] = Value(clean=EVERY_CLASS, kind=function.self_kind)
        elif entry is not None and name in function.request_params:
            env[name] = Value(clean=EVERY_CLASS, kind=entry.request_kind)
        elif entry is not None and name in responses:
            env[name] = Value(clean=EVERY_CLASS, kind=responses[name])
        elif entry is not None and name in function.validated_params:
            env[name] = SAFE
        elif entry is not None and name in dependencies:
            env[name] = _returned(ev, dependencies[name], param)
        elif name in parsed_data:
            env[name] = Value(frozenset({_origin(param, "remote", "Request data")}), known=True,
                              steps=(ev.step(param, f"Request data `{name}`"),))
        elif entry is not None and name in function.tainted_params:
            label = f"{entry.label} `{name}`"
            origin = _origin(param, entry.kind, entry.label)
            fields = dict(function.validated_fields).get(name) \
                or (_form_fields(ev, param) if entry.validated_models.exact
                    or entry.validated_models.globs else None) \
                or (ev.module.argparse_clean if REGISTRAR in entry.registrars else None)
            steps = (ev.step(param, label),)
            body = Value(frozenset({origin}), steps=steps, known=True)
            items: dict = nested_items(fields or (), body)  # a nested model's clean fields too
            # a body's fields that matched their pattern (entries.py keeps them as "name.field")
            items.update((key.partition(".")[2], Value(frozenset({origin}), cleans, steps=steps,
                                                       known=True))
                         for key, cleans in function.pattern_params if key.startswith(name + "."))
            routed = ev.module.routes.get(function.class_name or function.name, {})  # urls.py's
            env[name] = Value(frozenset({origin}), dict(function.pattern_params).get(name, frozenset())
                              | routed.get(name, frozenset()), steps=steps, known=True, items=items or None,
                              kind=entry.param_kind)
            element = dict(function.validated_fields).get(name + "[]")
            if element:  # `items: list[Item]`: each element holds the body's validated fields
                each = env[name].evolve(items=nested_items(element, body))
                env[name] = env[name].evolve(items={ANY: each})
            form = _hook_form(ev, function) if index == offset else None
            if form is not None:
                env[name] = form_instance(ev.module.forms[form], env[name], f"{form}()")
        elif name in handed:
            env[name] = Value(clean=EVERY_CLASS, kind=handed[name])
        elif name in stored and (value := _stored(ev, stored[name])).tainted:
            env[name] = value
        else:  # the callers': a helper's, and what the framework does not fill (a Flask
            # view's `extra=None` not in its route, which another view calls with request data)
            origin = Origin("param", f"parameter `{name}`", param.lineno - 1, param.col_offset,
                            param.lineno - 1, param.end_col_offset or 0, index - offset)
            # `svc: UserService`: what the caller passes, an instance of that class (declared_classes.py)
            kind = _declared(ev, param.annotation) if param.annotation is not None else None
            env[name] = Value(frozenset({origin}), steps=(ev.step(param, f"parameter `{name}`"),),
                              known=True, kind=kind)
    return env


def _declared(ev: Evaluator, annotation: ast.expr) -> str | None:
    module = ev.module
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        annotation = _written(annotation.value)  # `lg: "logging.Logger | None"`, a forward reference
    # `Optional[logging.Logger]`, `Service | None`: an instance of that class when one is given
    annotation = optional_type(annotation, module.env, module.kinds)
    held = declared_class(annotation, module.env, module.parents.keys(),
                          {*module.records, *module.forms})
    found = declared_instance(module, held) if held is not None else None
    if found is None and held is not None and ev.models.holds_sinks(held + "()"):
        return held + "()"  # `lg: logging.Logger`: a library's class whose methods are sinks
    return found.kind if found is not None else None


def _written(text: str) -> ast.expr | None:
    """The expression a string annotation holds, None when it is not one."""
    try:
        return ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return None


def _origin(param: ast.arg, kind: str, label: str) -> Origin:
    """The origin of the data the framework (or a library parsing the request) passes `param`."""
    return Origin(kind, f"{label} (`{param.arg}`", param.lineno - 1, param.col_offset,
                  (param.end_lineno or param.lineno) - 1, param.end_col_offset or 0)


def _stored(ev: Evaluator, expression: ast.expr) -> Value:
    """What a decorator's stored keyword holds, read in the module (the wrapper's locals are
    not followed: `request.args["n"]`, a module-level source, is what this finds)."""
    with ev.evaluating_in({}):
        return ev.eval(expression)


def _form_fields(ev: Evaluator, param: ast.arg) -> frozenset[str] | None:
    """The validated fields of a body typed with a model another workspace module declares
    (`item: ItemIn` of `from .schemas import ItemIn`), a form holding them as its own
    attributes (forms.py, `external_forms` of analysis.py); one of this module is the entry's
    `validated_models` already."""
    annotation = param.annotation
    form = ev.module.forms.get(annotation.id) if isinstance(annotation, ast.Name) else None
    return form.clean if form is not None and not form.data else None


def hook_form(function: Function, module: ModuleContext) -> str | None:
    """The class a generic view's hook is handed a bound, validated instance of, as the view's
    body names it (`form_valid(self, form)` of a view declaring `form_class = AgeForm`,
    `perform_create(self, serializer)` of one declaring `serializer_class`), or the nearest of
    its ancestors of the module that declares one (`class Base(FormView): form_class = AgeForm`,
    `class AgeView(Base)`); part of the hook's cache key (function_keys.py), which its own
    text does not hold."""
    if function.class_node is None or function.node.name not in _FORM_HOOKS:
        return None
    own = class_form(function.class_node)
    if own is not None:
        return own or None
    inherited = next((module.class_forms[c] for c in module.parents.get(function.class_name, ())
                      if c in module.class_forms), None)
    return inherited or None


def class_form(node: ast.ClassDef) -> str | None:
    """The form class the class body names (`form_class = AgeForm`); "" when it assigns one
    otherwise (`form_class = make_form()`: an ancestor's is no longer the view's), None when
    it assigns none."""
    # each member told by its class (no call: asked of every class at each keystroke)
    assigned = [item.value for item in node.body if item.__class__ is ast.Assign and len(item.targets) == 1
                and item.targets[0].__class__ is ast.Name and item.targets[0].id in _FORM_ATTRIBUTES]
    if not assigned:
        return None
    return assigned[0].id if isinstance(assigned[0], ast.Name) else ""


def _hook_form(ev: Evaluator, function: Function) -> str | None:
    """`hook_form` if it is a form of the module (forms.py): its fields hold what they validate
    into, as `AgeForm(request.POST)`'s do."""
    form = hook_form(function, ev.module) if ev.module.forms else None
    return form if form in ev.module.forms else None


# The hooks Django's and DRF's generic views call with the request's validated form or
# serializer, and the class attributes that name its class
_FORM_HOOKS = frozenset({"form_valid", "perform_create", "perform_update"})
_FORM_ATTRIBUTES = frozenset({"form_class", "serializer_class"})


def _returned(ev: Evaluator, dependency: str, param: ast.arg) -> Value:
    """What the framework passes a parameter declared `Depends(dependency)`: the dependency's
    return value, as its summary says (it is an entry: its parameters are the request's too)."""
    summary = ev.summaries.get(dependency)
    if summary is None and dependency not in ev.env and ev.module.external is not None:
        name = ev.qualname(ast.Name(dependency))  # a function of another workspace module
        summary = ev.module.external(name, True) if name is not None else None
    origins = summary.returns.deep_taint() if summary is not None else frozenset()
    if summary is None or origins and all(o.kind == "param" for o in origins):
        return CLEAN  # not a function analysed as an entry
    # without what its parameters the framework fills by no model hold (`db = Depends(deps.get_db)`)
    returns = shaped(summary.returns, {}, None) if any(o.kind == "param" for o in origins) \
        else summary.returns
    return returns.with_step(ev.step(param, f"`{param.arg}` from `{dependency}`"))
