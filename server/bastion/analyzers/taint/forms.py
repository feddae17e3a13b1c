"""Forms that validate request data field by field (the models' `[[form]]`: a Django form, a
DRF serializer, a pydantic model, a marshmallow schema, a WTForms form) among the module's
classes, and what an instance built from request data (or a Flask-WTF form built without data,
reading the submitted form: the model's `reads`) holds: `AgeForm(request.POST).cleaned_data
["age"]`, of `age = forms.IntegerField()`, is an int, as `Query.model_validate(request.json)
.limit` of `limit: int` is; a field declared with an anchored pattern (`name: str =
Field(pattern=r"^[a-z]+$")`, `Annotated[str, Field(pattern=...)]`, `constr(pattern=...)`) is
safe for the classes its characters cannot break (annotations.pattern_cleans), one with a
choice validator (`validate=OneOf([...])`) for every class; a field that validates into one of
the constants it is declared with (WTForms' `SelectField(choices=["asc", "desc"])`, or a
module's or the class's own constant list, or a comprehension over one) holds the request's
data until the form validated (form_choices.py); every other field, and the form
itself, is the request's data."""

from __future__ import annotations

import ast
from collections.abc import Callable

import attrs

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.annotations import pattern_cleans, validated
from bastion.analyzers.taint.classes import ClassShape
from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, SAFE, Value
from bastion.analyzers.taint.factories import resolve
from bastion.analyzers.taint.patterns import cleaned_by
from bastion.analyzers.taint.specs import FormModel, Models


@attrs_classes.frozen
class Form:
    """What a form class of the module validates, and how (`validated_forms`)."""

    data: frozenset[str]  # its data attributes (Django's `cleaned_data`); none: fields are attributes
    clean: frozenset[str]  # its fields that validate into clean data
    constructors: frozenset[str]  # the class methods that build a validated instance
    files: frozenset[str]  # its fields that hold an uploaded file object
    # its fields that match a pattern, with the classes each is then safe for, sorted
    matching: frozenset[tuple[str, tuple[str, ...]]]
    reads: frozenset[str]  # the sources an instance built without data reads
    choices: frozenset[str]  # its fields that hold one of their constant choices once it validated

    def sorted_fields(self) -> tuple[list, ...]:
        """Each field sorted, in their order: what the digests holding a form are made of."""
        return tuple(map(sorted, attrs.astuple(self, recurse=False)))


Forms = dict[str, Form]  # by the form class's name
# the kind of an uploaded file a form's file field holds: its content is read, not a path
UPLOADED = "django.core.files.uploadedfile.UploadedFile"
# Methods that fill the data attributes from the fields, as `form_instance` holds them already
# (Django's `is_valid`, WTForms' `validate`, Flask-WTF's `validate_on_submit`)
VALIDATING = frozenset({"is_valid", "full_clean", "validate", "validate_on_submit"})
_CHOICE_TYPES = (str, int, float, bool)  # a choice's value and label, as a display's constants


def validated_forms(shapes: dict[ast.ClassDef, ClassShape], env: Env, kinds: dict[str, str],
                    models: Models, constant: Callable[[str], Value | None] = lambda name: None) -> Forms:
    """The module's form classes: a field a subclass declares again replaces its base's.
    `constant`: what a module-level name holds where nothing changes it (module_level.fixed), a
    choice field's `choices=TOOLS`."""
    if not models.forms or not models.form_bases().meets(_all_bases(shapes)):
        return {}  # no class is a form: its fields are not resolved (most modules, each keystroke)
    declared: dict[str, dict[str, str | None]] = {}  # class -> field -> "clean", "file", "choice" or None
    patterned: dict[str, dict[str, tuple[str, ...]]] = {}  # class -> field -> the classes it is safe for
    found: Forms = {}
    named = {node.name: shape for node, shape in shapes.items()}  # an Enum of the module is closed
    for node, shape in shapes.items():
        form = next((f for f in models.forms
                     if any(base is not None and base in f.bases for base in shape.bases)), None)
        choices = form is not None and (form.choice_fields.exact or form.choice_fields.globs)
        own = _class_constants(node) if choices else {}
        fields = declared[node.name] = {
            item.targets[0].id: "clean" if form is not None and _chosen(form, item.value, env, kinds)
            else _declared(form, resolve(item.value, env, kinds), item.value,
                           _class_scope(own, at, constant)) for at, item in enumerate(node.body)
            if isinstance(item, ast.Assign) and len(item.targets) == 1
            and isinstance(item.targets[0], ast.Name) and isinstance(item.value, ast.Call)}
        fields.update({  # `age: int`, `age: int = 0`, `order: Literal["asc", "desc"]`, `conint(ge=1)`
            item.target.id: "clean" if form is not None and validated(
                item.annotation, form.clean_fields, env, kinds, named)
            else _declared(form, resolve(item.annotation, env, kinds)) for item in node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)})
        matched = patterned[node.name] = {
            item.target.id: tuple(sorted(cleans)) for item in node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
            and (cleans := pattern_cleans(item.annotation, item.value, env, kinds))}
        matched.update({  # `slug = forms.SlugField()`: the pattern its class searches
            item.targets[0].id: cleans for item in node.body
            if form is not None and form.pattern_fields and isinstance(item, ast.Assign)
            and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name)
            and isinstance(item.value, ast.Call)
            and (cleans := _searched(form, item.value, resolve(item.value, env, kinds)))})
        if form is None:
            continue
        merged: dict[str, str | None] = {}
        matching: dict[str, tuple[str, ...]] = {}
        for ancestor in reversed(shape.ancestors):
            merged.update(declared.get(ancestor, {}))
            matching = {name: cleans for name, cleans in matching.items()
                        if name not in declared.get(ancestor, {})}  # declared again: replaced
            matching.update(patterned.get(ancestor, {}))
        merged.update(fields)
        matching = {name: cleans for name, cleans in matching.items() if name not in fields}
        matching.update(matched)
        found[node.name] = Form(form.data, frozenset(name for name, is_ in merged.items() if is_ == "clean"),
                                form.constructors,
                                frozenset(name for name, is_ in merged.items() if is_ == "file"),
                                frozenset(matching.items()), form.reads,
                                frozenset(name for name, is_ in merged.items() if is_ == "choice"))
    return found


def _declared(form: FormModel | None, field: str | None, call: ast.expr | None = None,
              constant: Callable[[str], Value | None] | None = None) -> str | None:
    """What a field declared with the class `field` holds: "clean" data, a "file" uploaded, a
    "choice" among constants (`call` builds it; `constant`: a module name's constant)."""
    if form is None or field is None:
        return None
    if field in form.choice_fields and isinstance(call, ast.Call) \
            and _constant_choices(call, constant):
        return "choice"
    return "clean" if field in form.clean_fields else "file" if field in form.file_fields else None


def _constant_choices(call: ast.Call, constant: Callable[[str], Value | None] | None) -> bool:
    """`SelectField("Sort", choices=[("asc", "Ascending"), "desc"])` (or the fourth argument,
    or a module constant nothing changes: `choices=SORTS`): constant choices, checked (no
    `validate_choice=False`)."""
    given = {k.arg: k.value for k in call.keywords}
    choices = given.get("choices", call.args[3] if len(call.args) > 3 else None)
    checked = given.get("validate_choice", call.args[4] if len(call.args) > 4 else None)
    if checked is not None and not (isinstance(checked, ast.Constant) and checked.value is True) \
            or None in given:  # `**options` may turn the check off
        return False
    if type(choices) is ast.Name and constant is not None:
        return _constant_list(constant(choices.id))  # WTForms copies the list when it builds the form
    if type(choices) is ast.ListComp and constant is not None:
        return _comprehended(choices, constant)
    items = choices.elts if isinstance(choices, (ast.List, ast.Tuple)) else None
    return bool(items) and all(isinstance(item, ast.Constant) or isinstance(item, ast.Tuple)
                               and all(isinstance(part, ast.Constant) for part in item.elts)
                               for item in items)


def _constant_list(named: Value | None) -> bool:
    """Whether `named` holds a list or tuple of choices, each a constant or a tuple of them."""
    held = named.const if named is not None else None
    return isinstance(held, (list, tuple)) and bool(held) and all(
        isinstance(item, _CHOICE_TYPES) or isinstance(item, tuple) and all(
            isinstance(part, _CHOICE_TYPES) for part in item) for item in held)


def _comprehended(choices: ast.ListComp, constant: Callable[[str], Value | None]) -> bool:
    """`[(tool, tool.title()) for tool in TOOLS]`: each choice's value (the element, or its
    first part; the label is not validated) an item of a constant list (a name's, or a
    display's), or a constant."""
    if len(choices.generators) != 1:
        return False
    loop = choices.generators[0]
    over = constant(loop.iter.id) if type(loop.iter) is ast.Name else _literal(loop.iter)
    if loop.is_async or not _constant_list(over):
        return False
    element = choices.elt
    value = element.elts[0] if isinstance(element, ast.Tuple) and element.elts else element
    return isinstance(value, ast.Constant) or isinstance(value, ast.Name) and value.id in {
        n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}


def _class_constants(node: ast.ClassDef) -> dict[str, tuple[int, Value]]:
    """The lists and tuples of constants the class body binds a name to (`TOOLS = [...]`,
    `choices=TOOLS` below it), by name, with the statement's place: only a name bound once in
    the body, whose list nothing in the class may change (`TOOLS.append(...)`,
    `self.TOOLS.append(...)`, `self.TOOLS[0] = ...`, `cls.TOOLS = ...`)."""
    bound: dict[str, list[tuple[int, ast.expr | None]]] = {}
    for at, item in enumerate(node.body):
        targets = item.targets if isinstance(item, ast.Assign) else [item.target] \
            if isinstance(item, (ast.AugAssign, ast.AnnAssign)) else []
        single = item.value if len(targets) == 1 and isinstance(targets[0], ast.Name) \
            and not isinstance(item, ast.AugAssign) else None
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    bound.setdefault(name.id, []).append((at, single))
    changed = set()
    for n in ast.walk(node):
        held = n.value if isinstance(n, (ast.Attribute, ast.Subscript)) else None
        if isinstance(n, ast.Attribute) and not isinstance(n.ctx, ast.Load):
            changed.add(n.attr)
        if held is None or isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load):
            continue  # an item read changes nothing; a method called, an item stored to may
        if isinstance(held, ast.Attribute):
            changed.add(held.attr)  # `self.TOOLS.append`, `self.TOOLS[0] = ...`
        elif isinstance(held, ast.Name):
            changed.add(held.id)  # `TOOLS.append`, `TOOLS[0] = ...`
    own = {}
    for name, bindings in bound.items():
        at, value = bindings[0]
        if len(bindings) == 1 and value is not None and name not in changed:
            held = _literal(value)
            if held is not None:
                own[name] = (at, held)
    return own


def _literal(display: ast.expr) -> Value | None:
    """What a list or tuple display of constants holds (None: another expression)."""
    if not isinstance(display, (ast.List, ast.Tuple)):
        return None
    try:
        return Value(const=ast.literal_eval(display))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None  # not made of constants


def _class_scope(own: dict[str, tuple[int, Value]], at: int,
                 constant: Callable[[str], Value | None]) -> Callable[[str], Value | None]:
    """What a name holds for the class body's statement `at`: the class's own constant bound
    above it, else the module's."""
    def held(name: str) -> Value | None:
        found = own.get(name)
        return found[1] if found is not None and found[0] < at else constant(name)
    return held if own else constant


def _searched(form: FormModel, call: ast.Call, field: str | None) -> tuple[str, ...]:
    """The classes a field built by `call`, of the class `field`, is safe for, by the pattern
    it searches: its class's, or (an empty one) the constant it is given first or as `regex`,
    `forms.RegexField(r"^[a-z]+$")`."""
    pattern = next((p for name, p in form.pattern_fields if name == field), None)
    if pattern == "":
        given = call.args[0] if call.args \
            else next((k.value for k in call.keywords if k.arg == "regex"), None)
        pattern = given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) \
            else None
    return tuple(sorted(cleaned_by(pattern, 0, "search"))) if pattern else ()


def _chosen(form: FormModel, field: ast.Call, env: Env, kinds: dict[str, str]) -> bool:
    """`fields.Str(validate=OneOf(["name", "date"]))`: the field validates into one of the
    constants a choice validator lists (given alone, or among a list of validators)."""
    given = next((k.value for k in field.keywords if k.arg in ("validate", "validators")), None)
    checks = given.elts if isinstance(given, (ast.List, ast.Tuple)) else [given]
    return any(isinstance(check, ast.Call) and check.args
               and isinstance(check.args[0], (ast.List, ast.Tuple, ast.Set))
               and all(isinstance(choice, ast.Constant) for choice in check.args[0].elts)
               and resolve(check.func, env, kinds) in form.choice_validators for check in checks)


def _all_bases(shapes: dict[ast.ClassDef, ClassShape]) -> set[str]:
    """Each base of a class once: classes share most (`Exception`, a module's own base)."""
    return {base for shape in shapes.values() for base in shape.bases if base is not None}


def may_define_forms(text: str, models: Models) -> bool:
    """False when `validated_forms` finds no form class in the module of `text`, whatever its
    tree: a class's base resolves to a form model's base only through a name the text spells,
    that base's last part (`BaseModel`, in its import or after a dot), or through a global's
    kind (always written with parentheses). A base that is a pattern, or spelled with
    parentheses, may match anything; identifiers that are not ASCII are normalised (NFKC) by the
    parser, so such a text is not searched. The summary store parses no imported module for
    its forms that cannot define one (most modules: no form class at all)."""
    if not models.forms:
        return False
    words = _form_words(models)
    return words is None or not text.isascii() or any(word in text for word in words)


_FORM_WORDS: dict[str, tuple[str, ...] | None] = {}  # the models' digest -> `_form_words`


def _form_words(models: Models) -> tuple[str, ...] | None:
    if models.digest not in _FORM_WORDS:
        bases = [f.bases for f in models.forms]
        exact = sorted({name for names in bases for name in names.exact})
        _FORM_WORDS[models.digest] = None if any(names.globs for names in bases) or any(
            "(" in name for name in exact) else tuple({name.rpartition(".")[2] for name in exact})
    return _FORM_WORDS[models.digest]


def form_called(forms: Forms, node: ast.Call, local: dict) -> str | None:
    """The form class `node` builds an instance of: `AgeForm(...)`, or one of the class's
    constructors (`Query.model_validate(...)`), also on a new instance of it given no data
    (marshmallow's `PageSchema().load(...)`, `PageSchema(many=True).load(...)`); not a name the
    function binds (`local`)."""
    func = node.func
    if isinstance(func, ast.Name):
        return func.id if func.id in forms and func.id not in local else None
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value
    if type(owner) is ast.Call and not owner.args and isinstance(owner.func, ast.Name):
        owner = owner.func
    if isinstance(owner, ast.Name) and owner.id in forms and owner.id not in local \
            and func.attr in forms[owner.id].constructors:
        return owner.id
    return None


def instance_form(forms: Forms, receiver: Value | None, method: str | None) -> str | None:
    """The form class whose constructor `method` is called on `receiver`, an instance of it
    (`schema = PageSchema()`, then `schema.load(...)`)."""
    if method is None or receiver is None or receiver.kind is None or receiver.taint:
        return None
    form = forms.get(receiver.kind[:-2]) if receiver.kind.endswith("()") else None
    return receiver.kind[:-2] if form is not None and method in form.constructors else None


def built_as_record(external: Callable[[str, bool], object] | None, name: str | None) -> bool:
    """Whether the class `name` of another workspace module is a record class there, its
    generated `__init__` summarised field by field (workspace_records.py): a pydantic model built
    `Cmd(cmd=..., retries=1)` holds what each field was given, not the request's data whole."""
    return external is not None and name is not None and external(f"{name}.__init__", True) is not None


def form_instance(form: Form, given: Value, kind: str) -> Value:
    """A form built from `given` (request data): its data attributes (or, without any, the
    instance itself) hold its clean fields as safe, its file fields as `given`'s uploaded files
    (of the kind `UPLOADED`), its pattern-matched fields as `given` safe for their classes,
    everything else as `given`."""
    given = given.flat()
    # a choice field's own slot, which a validation narrows (a join reads no `ANY` for a slot
    # the other branch lacks)
    validated = Value(clean=EVERY_CLASS, items={**dict.fromkeys(form.choices, given),
                                                **dict.fromkeys(form.files, given.evolve(kind=UPLOADED)),
                                                **{name: given.evolve(clean=given.clean | frozenset(cleans))
                                                   for name, cleans in form.matching},
                                                **dict.fromkeys(form.clean, SAFE), ANY: given})
    if not form.data:
        return validated.evolve(kind=kind)
    return Value(clean=EVERY_CLASS, items={**dict.fromkeys(form.data, validated), ANY: given}, kind=kind)


def validates(forms: Forms, receiver: Value | None, method: str) -> bool:
    """`form.is_valid()` on a form `form_instance` built: it changes nothing the value does not
    hold already (escapes.py)."""
    return method in VALIDATING and receiver is not None and receiver.kind is not None \
        and receiver.kind[:-2] in forms
