"""A WTForms form that validated holds, in each field declared with constant choices
(`SelectField(choices=[...])`, `RadioField`, `SelectMultipleField`: the models' `choice_fields`),
one of those constants: the field's `pre_validate` refuses any other submitted value, so
`form.sort.data` is safe in the branch where `form.validate_on_submit()` (or `form.validate()`)
held, and the request's text before it or where it failed (forms.py builds the form so).
Asked by guards.py for a call tested true; no state."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import SAFE
from bastion.analyzers.taint.item_guards import Env, narrow

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# WTForms' `Form.validate` and Flask-WTF's `FlaskForm.validate_on_submit`: true only when every
# field's `pre_validate` passed
VALIDATING = frozenset({"validate", "validate_on_submit"})


def validated_choices(ev: Evaluator, test: ast.Call, env: Env) -> Env:
    """`env` where `form.validate()` (the test `test`) held: each of the form's choice fields
    holds one of its constants."""
    receiver = test.func.value if isinstance(test.func, ast.Attribute) else None
    value = env.get(receiver.id) if isinstance(receiver, ast.Name) else None
    if value is None or value.kind is None or not value.kind.endswith("()"):
        return env
    form = ev.module.forms.get(value.kind[:-2])
    if form is None or form.data or not form.choices:  # fields read through a `data` attribute: not WTForms
        return env
    return narrow(env, receiver,
                  value=value.evolve(items={**value.items, **dict.fromkeys(form.choices, SAFE)}))
