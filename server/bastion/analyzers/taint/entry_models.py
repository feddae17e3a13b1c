"""The model of an entry (`[[entry]]` of `rules/taint/*.toml`): which functions a framework
calls with untrusted data, and what each of their parameters holds. Moved as is out of specs.py,
which indexes the models."""

from __future__ import annotations

from bastion import attrs_classes
from bastion.analyzers.matchers import NameSet


@attrs_classes.frozen
class EntryModel:
    label: str
    decorators: NameSet
    function_names: frozenset[str]
    class_bases: NameSet
    methods: frozenset[str]
    params: str | tuple[str, ...]
    request_kind: str | None
    request_annotations: NameSet
    not_when_default: NameSet
    return_sink: str | None
    imported: tuple[str, ...]
    kind: str = "remote"
    first_param: frozenset[str] = frozenset()  # a function entry also needs this first parameter
    # annotations the framework validates into data no injection fits in (`user_id: int`)
    clean_annotations: NameSet = NameSet([])
    # the return value is a sink only when the decorator's keyword names one of these
    # (`response_class=HTMLResponse`)
    return_sink_when: tuple[str, NameSet] | None = None
    # base classes of request bodies the framework validates field by field (pydantic's
    # BaseModel): a field annotated with one of clean_annotations holds no injection
    validated_models: NameSet = NameSet([])
    # the kind of `self` in every method of a class with one of `class_bases` (a Tornado
    # handler reads the request through `self.get_argument`)
    self_kind: str | None = None
    # a class is the entry's (with `methods`) when it or one of its methods has one of these
    # decorators (Pyramid's `@view_defaults` / `@view_config` on a class-based view)
    class_decorators: NameSet = NameSet([])
    # parameters that hold the framework's request object, by name (`__init__(self, request)`)
    request_params: frozenset[str] = frozenset()
    # calls that register a function as the entry's, standing for its decorator
    # (`app.add_url_rule(rule, endpoint, view)`: see factories.py)
    registrars: NameSet = NameSet([])
    # a module-level function whose positional parameters are named so is an entry whatever
    # its name (a Lambda handler `def get_item(event, context)`): one set of names a parameter
    signature: tuple[frozenset[str], ...] = ()
    # a function with a parameter declared with one of these (as its default or in
    # `Annotated`) is called by the framework, as a route is: FastAPI's `q: str = Query()` in a
    # dependency of another module
    parameter_markers: NameSet = NameSet([])
    # with `class_bases`: methods named with one of these prefixes are the entry's too
    # (`methods = ["resolve_*"]`: Graphene's resolvers)
    method_prefixes: tuple[str, ...] = ()
    # with `self_kind`: methods of `methods` the framework calls on each instance, in this
    # order, before the others (Django's `setup`, then `dispatch`): the fields they set are
    # what the methods after them start with
    setup_methods: tuple[str, ...] = ()
    # those of `setup_methods` inside which the handler runs (Django's `dispatch`, at its
    # `super().dispatch(...)`): the handler starts with the fields as they are there
    handler_callers: frozenset[str] = frozenset()
    # parameters typed with one of these hold the framework's response object, of the kind of
    # an instance (`response: Response`, FastAPI's): its header stores are a `Response()`'s
    response_annotations: NameSet = NameSet([])
    # the kind of the object the framework passes second, after the request (Sanic's websocket
    # handler `feed(request, ws)`: the connection, whose `recv()` is the client's)
    second_kind: str | None = None
    # a class of the module whose `__init__` takes a parameter so named makes the entry apply
    # though the module imports none of `imported` (Django's middleware `get_response`)
    init_params: frozenset[str] = frozenset()
    # parameters that hold the framework's response object, by name, of `response_kind`
    # (Falcon's responders `on_get(self, req, resp)`)
    response_params: frozenset[str] = frozenset()
    response_kind: str | None = None
    # a function nested in a module-level function taking a parameter so named, which returns
    # it, is the entry's, though the module imports none of `imported` (Django's function
    # middleware: `def simple_middleware(get_response): def middleware(request): ...`)
    factory_params: frozenset[str] = frozenset()
    # with `class_bases`: class decorators whose first argument is the URL rule of all the
    # class's methods (Flask-RESTX's `@ns.route("/<int:item_id>")`): a parameter each such rule
    # naming it declares with a typed converter holds a number (entry_params.py)
    class_routes: NameSet = NameSet([])
    # the return value is no sink in a function with one of these decorators too (CherryPy's
    # `@cherrypy.tools.json_out()`: what it returns is encoded as JSON)
    return_sink_unless: NameSet = NameSet([])
    # the kind of what the untrusted parameters hold, objects of their own beside the request
    # data (a WSGI environ: the session Beaker's middleware keeps under "beaker.session")
    param_kind: str | None = None
