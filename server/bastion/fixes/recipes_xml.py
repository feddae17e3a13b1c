"""XML parsers -> defusedxml: a parsing call is redirected to defusedxml's drop-in function, or an
`import ... as X` of a standard parser module is swapped for defusedxml's module when every use
of `X` in the file is part of the defusedxml API. Both are `review`: they add a dependency on
the defusedxml package, and documents with DTD entities are now refused."""

from __future__ import annotations

import ast
import re

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, dotted_name
from bastion.parsing import parse_code

# Standard module -> (defusedxml module, the functions defusedxml provides).
MODULES = {
    "xml.etree.ElementTree": ("defusedxml.ElementTree",
                              {"parse", "iterparse", "fromstring", "XML", "XMLParser",
                               "ParseError", "tostring", "XMLParse", "XMLTreeBuilder"}),
    "xml.etree.cElementTree": ("defusedxml.ElementTree",
                               {"parse", "iterparse", "fromstring", "XML", "XMLParser",
                                "ParseError", "tostring", "XMLParse", "XMLTreeBuilder"}),
    "xml.sax.expatreader": ("defusedxml.expatreader", {"create_parser"}),
    "xml.dom.expatbuilder": ("defusedxml.expatbuilder", {"parse", "parseString"}),
    "xml.sax": ("defusedxml.sax", {"parse", "parseString", "make_parser"}),
    "xml.dom.minidom": ("defusedxml.minidom", {"parse", "parseString"}),
    "xml.dom.pulldom": ("defusedxml.pulldom", {"parse", "parseString"}),
}
CALL_RULES = ("B313", "B314", "B315", "B316", "B317", "B318", "B319")
IMPORT_RULES = ("B405", "B406", "B407", "B408", "B409")
NOTE = ("needs the defusedxml package: check it is in the project's dependencies; documents "
        "with DTD entities are now refused")
CHECK = "the defusedxml dependency"


@recipe(*CALL_RULES)
def defused_call(t: Target):
    """`ET.fromstring(data)` -> `defusedxml.ElementTree.fromstring(data)`."""
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call):
        return None
    name = t.call_qualname(call) or ""
    module, _, func = name.rpartition(".")
    target = MODULES.get(module)
    if target is None or func not in target[1]:
        return None
    local = dotted_name(call.func)
    if local is not None and _import_fix_covers("\n".join(t.lines), local.split(".")[0]):
        return None  # the import's own fix (B405-B409) covers this call and every other one
    safe_module = target[0]
    head = t.module_name(safe_module)
    new = call.with_changes(func=cst.parse_expression(f"{head}.{func}"))
    imports = (safe_module,) if head == safe_module else ()
    return Rewrite("defusedxml", f"parse with {safe_module}.{func}", REVIEW,
                   t.replace(call, new), imports=imports, note=NOTE, check=CHECK)


def _uses(text: str, name: str) -> set[str] | None:
    """Attributes used on `name` in the file, or None when `name` is also used on its own."""
    attributes: set[str] = set()
    for match in re.finditer(rf"(?<![\w.]){re.escape(name)}\b(\s*\.\s*(\w+))?", text):
        if match.group(2):
            attributes.add(match.group(2))
        else:
            line_start = text.rfind("\n", 0, match.start()) + 1
            line = text[line_start:text.find("\n", match.start())]
            if not re.match(r"\s*(import|from)\b", line):
                return None
    return attributes


def _import_fix_covers(text: str, local: str) -> bool:
    """The import that binds `local` is one `defused_import` rewrites: fixing the call too
    would leave that import unused once both are applied."""
    try:
        tree = parse_code(text)
    except (SyntaxError, ValueError, RecursionError):
        return False
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == local and alias.name in MODULES:
                    used = _uses(text, local)
                    return used is not None and used <= MODULES[alias.name][1]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            bound = {a.asname or a.name: a.name for a in node.names}
            if local not in bound:
                continue
            if node.module in MODULES:
                return all(a.name in MODULES[node.module][1] for a in node.names)
            target = MODULES.get(f"{node.module}.{bound[local]}")
            used = _uses(text, local)
            return len(node.names) == 1 and target is not None and used is not None and \
                used <= target[1] and target[0].rpartition(".")[2] == bound[local]
    return False


@recipe(*IMPORT_RULES)
def defused_import(t: Target):
    """`import xml.etree.ElementTree as ET` -> `import defusedxml.ElementTree as ET`;
    `from xml.dom import minidom` -> `from defusedxml import minidom`."""
    node = t.at_finding((cst.Import, cst.ImportFrom))
    text = "\n".join(t.lines)
    if isinstance(node, cst.Import):
        if len(node.names) != 1 or node.names[0].asname is None:
            return None
        alias = node.names[0]
        module = dotted_name(alias.name)
        target = MODULES.get(module or "")
        local = alias.asname.name.value if isinstance(alias.asname.name, cst.Name) else None
        if target is None or local is None:
            return None
        used = _uses(text, local)
        if used is None or not used <= target[1]:
            return None
        new = node.with_changes(names=[alias.with_changes(name=cst.parse_expression(target[0]))])
    elif isinstance(node, cst.ImportFrom) and node.module is not None and not node.relative:
        base = dotted_name(node.module)
        if isinstance(node.names, cst.ImportStar):
            return None
        if base in MODULES:  # from xml.etree.ElementTree import fromstring
            target = MODULES[base]
            if any(dotted_name(a.name) not in target[1] for a in node.names):
                return None
            new = node.with_changes(module=cst.parse_expression(target[0]))
        else:  # from xml.dom import minidom [as md]
            if len(node.names) != 1:
                return None
            alias = node.names[0]
            full = f"{base}.{dotted_name(alias.name)}"
            target = MODULES.get(full)
            local = alias.asname.name.value if alias.asname else dotted_name(alias.name)
            if target is None or local is None:
                return None
            used = _uses(text, local)
            if used is None or not used <= target[1]:
                return None
            package, _, leaf = target[0].rpartition(".")
            if leaf != dotted_name(alias.name):
                return None
            new = node.with_changes(module=cst.parse_expression(package))
    else:
        return None
    return Rewrite("defusedxml-import", "import the defusedxml parser instead", REVIEW,
                   t.replace(node, new), note=NOTE, check=CHECK)
