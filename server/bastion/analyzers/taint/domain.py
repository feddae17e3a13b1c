"""The abstract values the taint interpreter computes for each local, and how they join.

A `Value` says where untrusted data in it came from (`taint`: a set of `Origin`s), which sink
classes it has been made safe for (`clean`), its constant when known (`const`), the slots of a
container (`items`, keyed by constant key, `ANY` for the rest), a type tag used to match methods
(`kind`), whether untrusted data may start the string (`prefix`: a URL whose host is fixed by a
constant prefix cannot be redirected elsewhere), the shortest chain of steps that explains it, and
whether every part of it is known (`known`: constants, modelled sources, parameters and what
sanitizers and modelled operations make of them; not the result of an unknown call or global), and
the sink classes whose finding every part of it already has (`reported`: (sink class, 0-based line
of that finding) pairs, see upstream.py; not "clean": the flaw is there, only reported once).
`known` is what lets a pattern finding be retracted: "no taint seen" alone is not "safe".
Values are immutable; the interpreter owns the environments that map names to them.
"""

from __future__ import annotations

# Sink classes: what a sanitizer or guard makes a value safe for.
SINK_CLASSES = frozenset({
    "path", "shell", "html", "sql", "ldap", "code", "log", "trust", "deserialize", "redirect",
    "xxe", "xpath", "ssrf", "template", "regex", "nosql", "argument", "ldap_dn",
})
# Not a sink class: a value clean for "path" may still be absolute (`".." in name` tested):
# joined after a base directory (`os.path.join(BASE, name)`) it would replace it. A value that
# cannot be absolute (a `basename`, digits, a constant) is also clean for "component".
COMPONENT = "component"
# Not a sink class either: a value without `..` (`".." in name` tested false) is safe for a path
# only appended to a base (`BASE + name`, `f"{BASE}/{name}"`; concat adds "path"), not used whole
# (`/etc/passwd`), nor joined unless it cannot be absolute too (`whole_path`).
APPENDED = "appended"
SCRIPT_LITERAL = "script_literal"  # nor this: JSON with `</` escaped, markup-safe in a <script> (concat)
EVERY_CLASS = SINK_CLASSES | {COMPONENT, APPENDED, SCRIPT_LITERAL}
SOURCE_KINDS = ("remote", "argv", "stdin", "env", "file", "param")
UNKNOWN = object()  # `const` of a value whose constant is not known
ANY = "*"  # the key standing for every slot of a container that has no constant key
MAX_STEPS = 8
# What the application's own URL builders return: a path of this site ("/orders/7"), which fixes
# the host of anything appended to it; so does any text the request did not write whose host is
# decided (`settings.API_URL + "/users/"`).
APP_PATH = "an application path"
APP_PATH_BUILDERS = frozenset({"flask.url_for", "flask.helpers.url_for", "django.urls.reverse",
                               "django.urls.reverse_lazy", "django.core.urlresolvers.reverse"})
# What opens a file by its name and returns the file object (`kind` "open()"): what is read
# from it is the file's data (calls.py), what is written to it lands at that name
# (archive_members.py: an upload saved where an archive is then opened)
FILE_OPENERS = frozenset({"open", "builtins.open", "io.open", "codecs.open"})


class Origin:
    """Where untrusted data enters: `kind` (remote, argv, stdin, env, file, or param for a
    function's own parameter while its summary is computed), what it is and where. Immutable,
    equal and hashed by its fields, a plain class for the reason `Step` is (~55 a long view)."""

    __slots__ = ("kind", "label", "line", "col", "end_line", "end_col", "param", "path", "key")

    def __init__(self, kind: str, label: str, line: int, col: int = 0, end_line: int = 0,
                 end_col: int = 0, param: int = -1, path: str | None = None, key: object = None) -> None:
        self.kind = kind
        self.label = label  # "Request data (`request.args`)"
        self.line = line  # 0-based
        self.col, self.end_line, self.end_col = col, end_line, end_col
        self.param = param  # for kind "param": the parameter's index
        self.path = path  # another file's (then `col` counts characters): see workspace.py
        # for kind "param": the constant key (or attribute) of the argument this part was read
        # from, `params["q"]`, `params.get("q")`, `user.name` (None: the whole argument); a call
        # binds that element of its argument, so a dict holding request data under another key
        # is not it
        self.key = key

    def _fields(self) -> tuple:
        return (self.kind, self.label, self.line, self.col, self.end_line, self.end_col, self.param,
                self.path, self.key)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Origin:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:  # its fields written out: no frame of `_fields` a hash
        return hash((self.kind, self.label, self.line, self.col, self.end_line, self.end_col, self.param,
                     self.path, self.key))

    def __repr__(self) -> str:
        return "Origin(" + ", ".join(f"{name}={value!r}" for name, value in zip(
            Origin.__slots__, self._fields(), strict=True)) + ")"

    def evolve(self, **changes) -> Origin:
        """The same origin but for `changes` (field name -> value)."""
        return Origin(**{**dict(zip(Origin.__slots__, self._fields(), strict=True)), **changes})


def ordered(origins: frozenset[Origin]) -> list[Origin]:
    """The origins in a fixed order: a set's own order follows string hashes, which change from
    one process to the next, and which path a join keeps depends on the order."""
    return sorted(origins, key=lambda o: (o.param, o.line, o.col, o.kind, o.label, o.path or "",
                                          repr(o.key)))


class Step:
    """One step of a path: a 0-based position and what happens there. Immutable as values are
    (nothing assigns to a step once made), equal and hashed by its fields. Not a frozen attrs
    class: one is built per explained read or call, and attrs' frozen `__init__` (a
    `object.__setattr__` a field) cost 7,400 instructions a step against 2,250 for these stores."""

    __slots__ = ("line", "col", "end_line", "end_col", "note", "path")

    def __init__(self, line: int, col: int, end_line: int, end_col: int, note: str,
                 path: str | None = None) -> None:
        self.line = line
        self.col = col
        self.end_line = end_line
        self.end_col = end_col
        self.note = note
        self.path = path  # a step in another file (then columns count characters)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Step:
            return NotImplemented
        # field by field: the last step of a path and a new one mostly differ in their line
        return (self.line == other.line and self.col == other.col and self.end_line == other.end_line
                and self.end_col == other.end_col and self.note == other.note and self.path == other.path)

    def __hash__(self) -> int:
        return hash((self.line, self.col, self.end_line, self.end_col, self.note, self.path))

    def __repr__(self) -> str:
        return (f"Step(line={self.line!r}, col={self.col!r}, end_line={self.end_line!r}, "
                f"end_col={self.end_col!r}, note={self.note!r}, path={self.path!r})")


class Value:
    __slots__ = ("taint", "clean", "const", "items", "kind", "prefix", "steps", "modelled", "known",
                 "reported")

    def __init__(self, taint: frozenset = frozenset(), clean: frozenset = frozenset(),
                 const: object = UNKNOWN, items: dict | None = None, kind: str | None = None,
                 prefix: bool = True, steps: tuple = (), modelled: bool = True,
                 known: bool = False, reported: frozenset = frozenset()) -> None:
        self.taint = taint
        self.clean = clean
        self.const = const
        self.items = items
        self.kind = kind
        self.prefix = prefix
        self.steps = steps
        self.modelled = modelled  # False once a default (unmodelled) call carried the taint
        self.known = known
        self.reported = reported

    def __repr__(self) -> str:
        return (f"Value(taint={sorted(o.label for o in self.taint)}, clean={sorted(self.clean)}, "
                f"const={'?' if self.const is UNKNOWN else repr(self.const)}, kind={self.kind})")

    @property
    def tainted(self) -> bool:
        if self.taint:
            return True
        if self.items:
            for item in self.items.values():  # a loop: no generator's frame a container
                if item.tainted:
                    return True
        return False

    def deep_taint(self) -> frozenset:
        if not self.items:
            return self.taint
        found = set(self.taint)
        for item in self.items.values():
            found |= item.deep_taint()
        return frozenset(found)

    def flat(self) -> Value:
        """The value as one string-like whole: container slots folded into it."""
        if not self.items:
            return self
        out = Value(self.taint, self.clean, UNKNOWN, None, None, self.prefix, self.steps,
                    self.modelled, self.known, self.reported)
        for item in self.items.values():
            out = join(out, item.flat())
        return out

    def iterated(self) -> Value:
        """What iterating the container gives (`for`, a comprehension, `", ".join`): a dict
        display's constant keys (`{"owner": name}` gives "owner", whatever its values), else any
        element."""
        slots = self.items
        if not slots or self.taint or self.kind is not None or ANY in slots \
                or not all(type(key) is str for key in slots):
            return self.item(ANY)
        out = None
        for key in slots:
            out = constant(key) if out is None else join(out, constant(key))
        return out

    def with_step(self, step: Step | None) -> Value:
        if step is None or not self.taint or len(self.steps) >= MAX_STEPS:
            return self
        if self.steps and self.steps[-1] == step:
            return self
        return self.evolve(steps=self.steps + (step,))

    def evolve(self, **changes) -> Value:
        out = _new_value(Value)
        out.taint, out.clean, out.const, out.items, out.kind = (self.taint, self.clean, self.const,
                                                                self.items, self.kind)
        out.prefix, out.steps, out.modelled, out.known, out.reported = (
            self.prefix, self.steps, self.modelled, self.known, self.reported)
        for name, value in changes.items():
            setattr(out, name, value)  # an unknown name raises AttributeError (__slots__)
        return out

    def item(self, key: object) -> Value:
        """The slot read by a constant key (ANY: an unknown key reads every slot)."""
        if not self.items:
            if self.taint:
                kind = JSON_ELEMENT if is_json(self.kind) else None
                return Value(keyed(self.taint, key), self.clean, UNKNOWN, None, kind, True,
                             self.steps, self.modelled, self.known, self.reported)
            return SAFE if self.known else CLEAN  # an element of "?" * len(ids) is known
        if key is not ANY and key in self.items:
            return self.items[key]
        if type(key) is int and key < 0:
            # `values[-1]`: counted from the end of a list whose slots are all known, else
            # any slot
            size = len(self.items)
            key = key + size if ANY not in self.items and size + key in self.items else ANY
            if key is not ANY:
                return self.items[key]
        if key is ANY:
            # One of the elements: a container without an ANY slot has every element in its
            # slots (one built from an unknown container keeps that as its ANY slot), so
            # `{"name": "name", "date": "created_at"}.get(col)` is known.
            values = iter(self.items.values())
            out = next(values)
            for item in values:
                out = join(out, item)
        else:
            out = self.items.get(ANY)
        if self.taint:
            # a key of no slot reads the container's own data, known as it is (`args.host`)
            whole = Value(self.taint, self.clean, steps=self.steps, modelled=self.modelled,
                          known=self.known, reported=self.reported)
            return whole if out is None else join(out, whole)
        return CLEAN if out is None else out


_new_value = object.__new__


def constants_known(values: list[Value]) -> bool:
    """Whether every value's constant is known (a comparison's, a display's): a loop, no
    generator's frame."""
    for value in values:
        if value.const is UNKNOWN:
            return False
    return True


def params_only(taint: frozenset) -> bool:
    """Whether every origin of `taint` is a parameter's (a summary in the making): a loop, no
    generator's frame (~75 tests a long view)."""
    for origin in taint:
        if origin.kind != "param":
            return False
    return True


def keyed(taint: frozenset, key: object) -> frozenset:
    """`taint` read at a constant key: a whole parameter's origin becomes that element's."""
    if key is ANY:
        return taint
    for origin in taint:  # a loop: no generator's frame a read
        if origin.kind == "param" and origin.key is None:
            break
    else:
        return taint
    return frozenset(o.evolve(key=key) if o.kind == "param" and o.key is None else o
                     for o in taint)


# A request's parsed JSON body, and what is read from it (`body["name"]`, `body.get("name")`): an
# element may be an object or a list as well as a string (`{"password": {"$ne": ""}}`).
JSON_DOCUMENTS = (".json", ".get_json", ".media", "json.loads()", "json.load()")
JSON_ELEMENT = "json element"


def is_json(kind: str | None) -> bool:
    return kind is not None and (kind == JSON_ELEMENT or kind.endswith(JSON_DOCUMENTS))


# Results of these calls are normalized paths: a prefix test on them is a containment check.
NORMALIZERS = ("path.realpath()", "path.abspath()", "path.normpath()", "posixpath.realpath()",
               "posixpath.normpath()", "posixpath.abspath()", ".resolve()")


# A Markup string escapes for HTML what `%`, `.format` and `.join` insert into it.
MARKUP_KINDS = frozenset({"markupsafe.Markup()", "jinja2.Markup()", "flask.Markup()"})
CLEAN = Value(clean=EVERY_CLASS)  # an untainted value of unknown content
SAFE = Value(clean=EVERY_CLASS, known=True)  # a known safe value: a comparison, an `int(...)`
NONE = Value(clean=EVERY_CLASS, const=None, known=True)
# What a call of a recursive cycle's member returns before its summary is known (recursion.py):
# nothing yet, so a join gives the other side (`f(n - 1) if n else "x"` is "x" in the first round).
UNREACHED = Value(clean=EVERY_CLASS)


def constant(value: object) -> Value:
    # `Value(clean=EVERY_CLASS, const=value, known=True)`, its slots set here: every literal
    # evaluated makes one (~270 a long view), and the keyword call cost twice this
    out = _new_value(Value)
    out.taint, out.clean, out.const, out.items, out.kind = _NOTHING, EVERY_CLASS, value, None, None
    out.prefix, out.steps, out.modelled, out.known, out.reported = True, (), True, True, _NOTHING
    return out


_NOTHING: frozenset = frozenset()


def source(origin: Origin, step: Step, kind: str | None = None, clean: frozenset = _NOTHING,
           modelled: bool = True) -> Value:
    # its slots set here, as `constant`'s: every source read of a walk makes one
    out = _new_value(Value)
    out.taint, out.clean, out.const, out.items, out.kind = frozenset({origin}), clean, UNKNOWN, None, kind
    out.prefix, out.steps, out.modelled, out.known, out.reported = True, (step,), modelled, True, _NOTHING
    return out


def elements(container: Value) -> dict:
    """A copy of the container's slots to add to; a container whose elements are not followed
    (a parameter, a file's content) starts with what any of them may be, in its ANY slot."""
    if container.items is not None:
        return dict(container.items)
    return {ANY: container.item(ANY)}


def all_known(values) -> bool:
    """Whether every one of the values is known (a container's slots): a loop, not `all()` over
    a generator, whose frame each container display made."""
    for value in values:
        if not value.known:
            return False
    return True


def join_all(values) -> Value:
    """The values' data together (each flattened: a container gives its elements' data), known
    when each of them is (`case "a" | "b":`'s constants; CLEAN, its start, is no part of it)."""
    out, known = CLEAN, None
    for value in values:
        flat = value.flat() if value.items else value  # most are no container: no call
        out, known = join(out, flat), flat.known and known is not False
    return out.evolve(known=True) if known and not out.known else out


def join(a: Value, b: Value) -> Value:
    if a is b or b is UNREACHED:
        return a
    if a is UNREACHED:
        return b
    if a is CLEAN and not b.taint and not b.items:
        return CLEAN if b.kind is None else Value(clean=b.clean & a.clean)
    const = a.const if (a.const is not UNKNOWN and type(a.const) is type(b.const)
                        and a.const == b.const) else UNKNOWN
    items = None
    if a.items is not None or b.items is not None:
        items = dict(a.items or {})
        for key, value in (b.items or {}).items():
            items[key] = join(items[key], value) if key in items else value
    steps = a.steps if (a.taint and (not b.taint or len(a.steps) <= len(b.steps))) else b.steps
    # Branched once on which side has taint (not in two helpers: ~400 calls a long view). A value
    # with no taint is safe for every class whatever its `clean` says; reported only where every
    # tainted part was: data from elsewhere has no finding yet.
    if not b.taint:
        taint, clean, reported = a.taint, a.clean if a.taint else EVERY_CLASS, a.reported
    elif not a.taint:
        taint, clean, reported = a.taint | b.taint, b.clean, b.reported
    else:
        taint, clean = a.taint | b.taint, a.clean & b.clean
        reported = a.reported & b.reported if a.reported and b.reported else frozenset()
    # its slots set here, as `constant`'s: no `__init__` frame a join (~200 a long view)
    out = _new_value(Value)
    out.taint, out.clean, out.const, out.items, out.kind = (taint, clean, const, items,
                                                            a.kind if a.kind == b.kind else None)
    out.prefix = (a.prefix and bool(a.taint)) or (b.prefix and bool(b.taint))
    out.steps, out.modelled, out.known, out.reported = (steps, a.modelled and b.modelled,
                                                        a.known and b.known, reported)
    return out


def whole_path(clean: frozenset) -> frozenset:
    """`clean` with "path" when it proves both no `..` and not absolute: a relative name that stays
    under whatever directory it is used in or joined to."""
    return clean | {"path"} if APPENDED in clean and COMPONENT in clean else clean


def as_component(value: Value) -> Value:
    """`value` joined after a directory: not safe for a path unless it cannot be absolute."""
    if value.taint and "path" in value.clean and COMPONENT not in value.clean:
        return value.evolve(clean=value.clean - {"path"})
    return value
