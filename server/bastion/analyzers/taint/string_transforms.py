"""What the string transforms a call applies prove of the text they return: `str.replace` of a
quote or a line break, `"".join` of the characters a test keeps (charsets.py), an escaping codec
(`text.encode("unicode_escape")`). Kept apart from calls.py, which resolves what a call is and
returns: what a transform proves is judged from its receiver and arguments alone. And what
a transform keeps of the proofs its receiver came with (`transformed`, `replace`): a proof of
the first characters or of the text's shape (no option, not absolute, contained, a local URL)
falls when characters are removed or moved; one of every character (all digits) holds of any
piece of the text. A decoding or a normalisation that makes characters appear (`\\x2d` of
`unicode_escape`, fullwidth `／` of NFKC, `~` of `expanduser`) keeps none it can break (`remade`).
A translation's table is one value, whatever wrote it (`{10: None}`, `{ord("\\n"): " "}`,
`str.maketrans("", "", "\\r\\n")`, folded by `translation`), read by `_translated` alone.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.charsets import kept_cleans
from bastion.analyzers.taint.concatenation import concat
from bastion.analyzers.taint.domain import ANY, APPENDED, COMPONENT, EVERY_CLASS, UNKNOWN, Value, constant
from bastion.analyzers.taint.patterns import broken_by

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# Not sink classes: the text holds no `'` / no `"`. An XPath literal may be quoted with either
# (`//user[@name="{x}"]`) and where the value lands is not followed: only both ruled out
# (`.replace("'", "&apos;").replace('"', "&quot;")`, or tested) make it clean for "xpath".
WITHOUT = {"'": "without '", '"': 'without "'}


def quotes_clean(clean: frozenset[str]) -> frozenset[str]:
    """`clean` with "xpath" when it rules out both quotes."""
    return clean | {"xpath"} if set(WITHOUT.values()) <= clean else clean


ESCAPING_CODECS = frozenset({"unicode_escape", "unicode-escape"})
# Proofs of where characters stand: `not x.startswith("-")`, `not x.startswith("/")`, a
# `realpath` under the base, `url.startswith("/")`, a URL's host
POSITIONAL = frozenset({"argument", COMPONENT, "path", "redirect", "ssrf"})
# Proofs no quoting sanitizer gives at once (each quotes for one): a value clean for all three
# was shown so character by character (`isdigit`, `re.fullmatch("[a-z0-9]+")`), which every
# piece of it still is. "shell" alone says no whitespace (or `shlex.quote`'s, none at its ends).
_BY_CHARACTERS = frozenset({"shell", "sql", "html"})
_CASES = frozenset({"lower", "upper", "casefold", "title", "capitalize", "swapcase", "expandtabs"})
_STRIPS = frozenset({"strip", "lstrip", "rstrip"})
# Each returns pieces of the text: any of its characters may now come first
_PIECES = _STRIPS | {"removeprefix", "removesuffix", "split", "rsplit", "splitlines", "partition",
                     "rpartition"}
_PADS = frozenset({"zfill", "center", "ljust", "rjust"})
_BLANKS = frozenset(" \t\n\r\f\v")


def transformed(method: str, value: Value, args: list[Value], keywords: bool = False) -> Value:
    """`value.method(*args)`'s result (its data as `value` and `args` joined; `keywords`: some
    given by keyword): the proofs it keeps. A case change keeps them all (no case maps to `-`,
    `/` or `.`)."""
    if not value.taint or method in _CASES or (method not in _PIECES and method not in _PADS):
        return value
    kept = value.clean
    blanks = not args or isinstance(args[0].const, str) and set(args[0].const) <= _BLANKS
    if method in _PADS:
        fill = args[1].const if len(args) > 1 else " "
        if fill not in (" ", "0"):  # `name.rjust(8, "-")`
            return value.evolve(clean=frozenset())
        if not _BY_CHARACTERS <= kept:  # blanks first: a relative path (`" /srv/files/a"`)
            kept = kept - {"path"}
    elif method in _STRIPS and blanks and "shell" in kept:
        return value  # no blank in it, or none at the ends (`shlex.quote`): nothing removed
    elif method == "rstrip" and blanks:
        kept = kept - {"path"}  # the first characters stay (`"/srv/files/.. "`: its last part)
    elif not _BY_CHARACTERS <= kept:
        kept = kept - POSITIONAL  # `" -rf".strip()`, `"v-rf".removeprefix("v")`
    # a constant start removed: untrusted data may come first (`"/account//evil.example"`)
    if not keywords and (method == "splitlines" and not args or method in ("split", "rsplit")
                         and (not args or len(args) == 1 and args[0].const is None)):
        kept = kept | {"log"}  # pieces of a text cut at every line boundary, or every blank
    starts = method in _PADS or method in ("rstrip", "removesuffix") or value.prefix
    return value if kept == value.clean and starts else value.evolve(clean=kept, prefix=True)


def filtered_characters(ev: Evaluator, node: ast.expr) -> frozenset[str]:
    """`c for c in name if TEST`: what a string of the characters TEST keeps proves."""
    if not isinstance(node, (ast.GeneratorExp, ast.ListComp)) or len(node.generators) != 1:
        return frozenset()
    generator = node.generators[0]
    target = generator.target
    if not isinstance(target, ast.Name) or not isinstance(node.elt, ast.Name) \
            or node.elt.id != target.id or generator.is_async or not generator.ifs:
        return frozenset()
    cleans: frozenset[str] = frozenset()
    for test in generator.ifs:  # each holds of every character kept
        cleans |= kept_cleans(ev, test, target.id)
    return cleans


def replace(receiver: Value, args: list[Value]) -> Value:
    value = receiver.flat()
    if len(args) < 2:
        return value
    if args[1].taint:
        return _filled(value, args[0].const, args[1].flat())
    if not value.taint:
        return value
    old = args[0].const
    new = args[1].const
    put = new.decode("latin-1") if isinstance(new, bytes) else new  # `data.replace(b"\r", b"")`
    if old not in ("", b"") and not (put == "" and _BY_CHARACTERS <= value.clean):
        # characters removed join their neighbours (`"....//"` without `".."` is `"../"`)
        value = value.evolve(clean=value.clean - POSITIONAL - {APPENDED}, prefix=True)
    if not isinstance(put, str):  # a replacement not known may be any text
        value = value.evolve(clean=frozenset())
    elif put:
        value = value.evolve(clean=value.clean - broken_by(put))
    if isinstance(put, str):
        value = value.evolve(clean=value.clean - {WITHOUT[q] for q in WITHOUT if q in put})
    cleans: set[str] = set()
    if old in WITHOUT and isinstance(put, str) and old not in put:
        value = value.evolve(clean=quotes_clean(value.clean | {WITHOUT[old]}))
    # the line feed removed; not the pair "\r\n" alone, which leaves each lone "\n" in place, nor
    # a carriage return alone, which leaves every "\n"
    if old == "\n" and "\n" not in str(new):
        cleans.add("log")
    return value.evolve(clean=value.clean | cleans) if cleans else value


def _filled(text: Value, placeholder: object, data: Value) -> Value:
    """`text.replace(placeholder, data)` for untrusted `data`: the text with the data where the
    placeholder was, as a format puts it (`PAGE.replace("{{ title }}", title)`). A constant
    text is cut at its placeholders, so that data put first starts the result (a URL's host);
    another text is taken as coming first."""
    if isinstance(text.const, str) and isinstance(placeholder, str) and placeholder:
        if placeholder not in text.const:
            return text
        pieces = text.const.split(placeholder)
        parts = [constant(pieces[0])]
        for piece in pieces[1:]:
            parts += [data, constant(piece)]
        return concat(parts)
    return concat([text, data])


# Decodings that give each byte's own character (an ASCII byte is the character it spells):
# what was proved of the bytes holds of the text; with `errors="ignore"` a byte dropped joins its
# neighbours (`b"\xff-rf"` is `"-rf"`)
_PLAIN_CODECS = frozenset({"utf-8", "utf8", "utf_8", "ascii", "us-ascii", "latin-1", "latin1",
                           "latin_1", "iso-8859-1", "iso8859-1", "cp1252"})
_UTF8 = constant("utf-8")  # the codec `decode` takes when none is named
# The canonical forms make of a character no ASCII one but these (`;` of U+037E, `<` of U+226E
# by NFD): no `-`, `/`, `.` or `\`, unlike NFKC / NFKD (`／` is `/`, `．` and `․` are `.`, `－`
# and `﹣` are `-`, `＼` is `\`, `＇` is `'`). No case change makes any ASCII punctuation.
_CANONICAL = frozenset({"NFC", "NFD"})
_CANONICAL_MADE = broken_by(";`<>=")
EXPANDERS = frozenset({"os.path.expanduser", "posixpath.expanduser", "ntpath.expanduser",
                       "os.path.expandvars", "posixpath.expandvars", "ntpath.expandvars"})
# `~` first becomes an absolute directory: where characters stand changes, but for an option
_HOME_MADE = POSITIONAL - {"argument"}
REMAKERS = EXPANDERS | {"unicodedata.normalize", "codecs.decode"}


def remade(name: str | None, method: str | None, receiver: Value | None, args: list[Value],
           keywords: dict[str | None, Value]) -> tuple[Value, frozenset[str]] | None:
    """The text a decoding, a normalisation or an expansion remakes (`receiver`: a
    method's own, not a module's) and the proofs it keeps of it; None for any other call. Those
    of every character fall where characters may appear; those of where characters stand fall
    too where `~` becomes the home directory."""
    if name == "codecs.decode" and args:
        return args[0], _decoded(args[0], args[1] if len(args) > 1 else keywords.get("encoding", _UTF8),
                                 args[2] if len(args) > 2 else keywords.get("errors"))
    if name == "unicodedata.normalize" and len(args) == 2:
        return args[1], args[1].clean - _CANONICAL_MADE if args[0].const in _CANONICAL else frozenset()
    if name in EXPANDERS and args:  # `$VAR`: the environment's text, any character
        return args[0], args[0].clean - _HOME_MADE if name.endswith("user") else frozenset()
    if receiver is None:
        return None
    if method == "decode" and not (args and type(args[0].const) is not str):  # not `jwt.decode(token)`
        return receiver, _decoded(receiver, args[0] if args else keywords.get("encoding", _UTF8),
                                  args[1] if len(args) > 1 else keywords.get("errors"))
    return None


def _decoded(data: Value, codec: Value | None, errors: Value | None) -> frozenset[str]:
    """What `data` decoded by `codec` keeps of its proofs: all of a plain codec's, those of every
    character when a byte may be dropped; none of another (`unicode_escape` makes `-` of `\\x2d`,
    `utf-7` of `+AC0-`)."""
    if codec is None or not isinstance(codec.const, str) or codec.const.lower() not in _PLAIN_CODECS:
        return frozenset()
    if errors is None or errors.const in ("strict", "replace", "surrogateescape", "backslashreplace"):
        return data.clean
    return data.clean if _BY_CHARACTERS <= data.clean else data.clean - POSITIONAL - {APPENDED}


# `ord("\\n")` folded to its code point, a table's key (`{ord("\\n"): " "}`), and `str.maketrans`
# to the table it builds; `"".maketrans` by its method
TABLES = frozenset({"ord", "builtins.ord", "str.maketrans"})
_MAX_CODE = 0x110000


def translation(name: str | None, method: str | None, receiver: Value | None, args: list[Value],
                keywords: dict[str | None, Value]) -> Value | None:
    """`text.translate(table)` as `_translated` reads it; `ord(c)` of a constant character as that
    code point; `str.maketrans(...)` of constants as the table it builds, held as a dict display
    of it is (`{10: None}`): a slot per code point, each with what is written in its place
    (None: removed). None for another call or arguments not known (`str.maketrans` stays a
    clean table nothing is known of)."""
    if method == "translate":
        return _translated(receiver, args, keywords) if receiver is not None else None
    if keywords:
        return None
    if name in ("ord", "builtins.ord"):
        text = args[0].const if len(args) == 1 else None
        return constant(ord(text)) if type(text) in (str, bytes) and len(text) == 1 else None
    if name != "str.maketrans" and not (method == "maketrans" and receiver is not None
                                        and type(receiver.const) is str):
        return None
    table: dict[int, str | None] | None = {}
    if len(args) == 1:  # a mapping of characters or code points
        table = _codes(args[0], keys=(int, str))
    elif len(args) in (2, 3) and all(type(a.const) is str for a in args) \
            and len(args[0].const) == len(args[1].const):
        table = dict(zip(map(ord, args[0].const), args[1].const, strict=True))
        table.update(dict.fromkeys(map(ord, args[2].const if len(args) == 3 else ""), None))
    if not table:
        return None
    return Value(clean=EVERY_CLASS, items={code: constant(text) for code, text in table.items()},
                 kind="str.maketrans()", known=True)


def _codes(table: Value, keys: tuple[type, ...]) -> dict[int, str | None] | None:
    """A table of constants whose every slot is known: each code point (of a one-character key
    too where `keys` has `str`, as maketrans reads it) and what replaces it (a text, a code
    point's character, None)."""
    if table.taint or not table.items:
        return None
    codes: dict[int, str | None] = {}
    for key, put in table.items.items():
        code = key if type(key) is int else ord(key) if type(key) in keys and len(key) == 1 \
            and key != ANY else None  # `{"*": ...}` is not told from the slot of keys not known
        text = put.const
        if type(text) is int:
            text = chr(text) if 0 <= text < _MAX_CODE else UNKNOWN
        if code is None or not (text is None or type(text) is str):
            return None
        codes[code] = text
    return codes


def _translated(text: Value, args: list[Value], keywords: dict[str | None, Value]) -> Value | None:
    """`text.translate(table)` (or bytes' `data.translate(None, b"\\r\\n")`, deleting) of
    untrusted `text`; None for another call (`translator.translate(q)`). Characters removed or
    replaced: where characters stand falls, characters removed join their neighbours (as
    `replace`), and what is written breaks what it may; a table not known may write any
    character. A line feed removed and none written makes one log line: a line feed is what a
    log handler ends each record with and what a reader of the file cuts lines at, as
    `replace("\\n", "")` decides."""
    if not text.taint or keywords or not 1 <= len(args) <= 2 or any(a.taint for a in args):
        return None
    if len(args) == 2:
        deleted = args[1].const
        writes = dict.fromkeys(deleted, "") if args[0].const is None and type(deleted) is bytes else None
    else:
        writes = _codes(args[0], keys=(int,))  # `translate` reads code points alone
    text = text.flat()
    if writes is None:
        return text.evolve(clean=frozenset(), prefix=True, const=UNKNOWN, kind=None)
    written = "".join(put or "" for put in writes.values())
    clean = text.clean - POSITIONAL - {APPENDED} - broken_by(written)
    if 10 in writes and "\n" not in written:
        clean |= {"log"}
    return text.evolve(clean=clean, prefix=True, const=UNKNOWN, kind=None)
