"""Commands without a shell: `shell=True` and `os.system` become argument lists.

A literal command is split at fix time with `shlex.split` when it uses no shell feature (no
pipes, redirections, variables, globs, `~`, builtins such as `cd`, `:` or `echo`): the program
then receives the same arguments the shell would have given it. Every such fix is `review`: a
missing program raises FileNotFoundError instead of exit status 127, the program is looked up
in the PATH of `env=` by Python rather than by the shell, and a program killed by a signal gives
a negative status instead of 128+n. A template (`"ping -c 1 " + host`, an f-string, `%s`,
`.format`) is split into words around its values, each value one argument
(`["ping", "-c", "1", host]`), and refused when its text uses shell syntax (a value inside
quotes, a pipe, a variable). Only a command that is a value as a whole (`cmd`) becomes
`shlex.split(cmd)`, which still splits that value into arguments: the note says so.
"""

from __future__ import annotations

import re
import shlex

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, drop_arg, keyword, positional, string_value

_PLAIN = re.compile(r"^[\w \t\-./:,=+@%^'\"]*$")
_FSTRING_TEXT = re.compile(r"^[\w \t\-./:,=+@%^]*$")
SHELL_BUILTINS = frozenset({
    "cd", "export", "source", ".", "set", "unset", "alias", "exec", "eval", "exit", "ulimit",
    "umask", "read", "wait", "trap", "shift", "return", "break", "continue", "readonly", "local",
    "declare", "typeset", "hash", "times", "builtin", "command", "jobs", "fg", "bg", "getopts",
    "let", "type", "history", "pushd", "popd", "dirs", "shopt", "enable", "logout",
    # Builtins that also exist as programs, with other options or output (`echo -e` prints
    # "-e" in dash): the shell's version is not the program's.
    ":", "echo", "printf", "test", "[", "true", "false", "pwd", "kill", "time"})
# What the argument list a fix writes may still report: a request value in it is one argument
# now, not shell syntax, but it may still be an option (BST217, which replaces B603 there).
SUCCESSORS = frozenset({"B603", "B607", "B404", "BST217"})


def split_literal(command: str) -> list[str] | None:
    """The words the shell would pass, when the command uses no shell feature."""
    if not _PLAIN.match(command):
        return None
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words or "=" in words[0] or words[0] in SHELL_BUILTINS:
        return None
    return words


def _quoted(value: str, quote: str) -> str:
    text = repr(value)
    if quote == '"' and text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def _quote_of(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.SimpleString):
        return node.value[len(node.prefix):][0]
    if isinstance(node, cst.ConcatenatedString):
        return _quote_of(node.left)
    if isinstance(node, cst.FormattedString):
        return node.start[-1]
    return "'"


def _list(elements: list[cst.BaseExpression]) -> cst.List:
    items = [cst.Element(e, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
             for e in elements]
    if items:
        items[-1] = items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return cst.List(items)


def _literal_list(value: str, quote: str) -> cst.List | None:
    words = split_literal(value)
    if words is None:
        return None
    return _list([cst.SimpleString(_quoted(w, quote)) for w in words])


def _fstring_list(node: cst.FormattedString) -> cst.List | None:
    """`f"grep {user} /etc/passwd"` -> `["grep", str(user), "/etc/passwd"]`."""
    if "b" in node.prefix.lower() or "r" in node.prefix.lower():
        return None
    quote = node.end
    words: list[list] = [[]]
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            if not _FSTRING_TEXT.match(part.value):
                return None
            pieces = re.split(r"([ \t]+)", part.value)
            for piece in pieces:
                if not piece:
                    continue
                if piece.isspace():
                    words.append([])
                else:
                    words[-1].append(part.with_changes(value=piece))
        else:
            words[-1].append(part)
    elements: list[cst.BaseExpression] = []
    for word in (w for w in words if w):
        if all(isinstance(p, cst.FormattedStringText) for p in word):
            value = "".join(p.value for p in word)
            elements.append(cst.SimpleString(f"{quote}{value}{quote}"))
        elif len(word) == 1 and word[0].conversion is None and word[0].format_spec is None:
            elements.append(cst.Call(func=cst.Name("str"), args=[cst.Arg(word[0].expression)]))
        else:
            elements.append(node.with_changes(parts=word))
    first = elements[0] if elements else None
    if not isinstance(first, cst.SimpleString):
        return None  # the program itself comes from a variable: leave it to a person
    program = first.evaluated_value
    if "=" in program or program in SHELL_BUILTINS:
        return None
    return _list(elements)


def _arguments(t: Target, command: cst.BaseExpression) -> tuple[cst.BaseExpression, str,
                                                                  tuple[str, ...]] | None:
    """(argument list expression, how it was made: literal|words|split, imports)."""
    if isinstance(command, (cst.List, cst.Tuple)):
        if len(command.elements) != 1 or not isinstance(command.elements[0], cst.Element):
            return None
        command = command.elements[0].value
    value = string_value(command)
    if value is not None:
        listed = _literal_list(value, _quote_of(command))
        return (listed, "literal", ()) if listed is not None else None
    if isinstance(command, cst.FormattedString):
        listed = _fstring_list(command)
        return (listed, "words", ()) if listed is not None else None
    segments = _segments(command)
    if segments is not None:
        # A template: its constant part is split here, each value stays one argument; never
        # shlex.split, which would let a value add arguments of its own.
        listed = _template_list(segments, _quote_of(_first_string(command)))
        return (listed, "words", ()) if listed is not None else None
    if isinstance(command, (cst.SimpleString, cst.ConcatenatedString, cst.BinaryOperation)) or \
            string_value(_first_string(command)) is not None:
        return None  # a template this cannot read exactly (`%d`, `{0:>3}`, `" ".join(...)`)
    shlex_name = t.module_name("shlex")
    split = cst.Call(func=cst.Attribute(cst.Name(shlex_name), cst.Name("split")),
                     args=[cst.Arg(command)])
    return split, "split", ("shlex",) if shlex_name == "shlex" else ()


_PERCENT = re.compile(r"%(.)", re.S)
_BRACES = re.compile(r"\{([^{}]*)\}|\{\{|\}\}|[{}]")


def _str(expr: cst.BaseExpression) -> cst.Call:
    return cst.Call(func=cst.Name("str"), args=[cst.Arg(expr)])


def _segments(node: cst.BaseExpression) -> list | None:
    """The command template as constant texts and values, in order, for `"ping -c 1 " + host`,
    `"ping -c 1 %s" % host` and `"ping -c 1 {}".format(host)`; None for anything else (or a
    template this cannot read exactly: `%d`, `{0:>5}`, `**kwargs` ...)."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        parts = []
        for side in (node.left, node.right):
            if string_value(side) is not None:
                parts.append(string_value(side))
            elif isinstance(side, cst.BinaryOperation):
                inner = _segments(side)
                if inner is None:
                    return None
                parts.extend(inner)
            elif isinstance(side, (cst.SimpleString, cst.ConcatenatedString,
                                   cst.FormattedString)):
                return None
            else:
                parts.append(side)  # `+` with a string: the value is a string already
        return parts
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        template = string_value(node.left)
        right = node.right
        values = [e.value for e in right.elements] if isinstance(right, cst.Tuple) else [right]
        if template is None or any(isinstance(e, cst.StarredElement) for e in (
                right.elements if isinstance(right, cst.Tuple) else ())):
            return None
        return _fill(template, values, _PERCENT, percent=True)
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
            node.func.attr.value == "format":
        template = string_value(node.func.value)
        if template is None or any(a.keyword or a.star for a in node.args):
            return None
        return _fill(template, [a.value for a in node.args], _BRACES, percent=False)
    return None


def _fill(template: str, values: list, pattern: re.Pattern, percent: bool) -> list | None:
    """Constant texts and values (as `str(value)`) of a `%s` template or a `{}` template."""
    parts: list = []
    last, used = 0, 0
    for match in pattern.finditer(template):
        parts.append(template[last:match.start()])
        last = match.end()
        token = match.group(0)
        if percent:
            if match.group(1) == "%":
                parts.append("%")
                continue
            if match.group(1) != "s":
                return None
        elif token in ("{{", "}}"):
            parts.append(token[0])
            continue
        elif token in ("{", "}") or match.group(1) not in ("", str(used)):
            return None  # a lone brace, a named or formatted field
        if used >= len(values):
            return None
        parts.append(_str(values[used]))
        used += 1
    parts.append(template[last:])
    return parts if used == len(values) and used else None


def _first_string(node: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(node, cst.BinaryOperation):
        node = node.left
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        node = node.func.value
    return node


def _template_list(segments: list, quote: str) -> cst.List | None:
    """`["ping", "-c", "1", host]`: constant text split at spaces, each value one argument, or
    None when the text uses shell syntax (quotes around a value, operators, variables)."""
    words: list[list] = [[]]
    for segment in segments:
        if not isinstance(segment, str):
            words[-1].append(segment)
            continue
        if not _FSTRING_TEXT.match(segment):
            return None
        for piece in re.split(r"([ \t]+)", segment):
            if piece.isspace():
                words.append([])
            elif piece:
                words[-1].append(piece)
    elements: list[cst.BaseExpression] = []
    for word in (w for w in words if w):
        merged: list = []
        for piece in word:
            if isinstance(piece, str) and merged and isinstance(merged[-1], str):
                merged[-1] += piece
            else:
                merged.append(piece)
        exprs = [cst.SimpleString(_quoted(p, quote)) if isinstance(p, str) else p for p in merged]
        element = exprs[0]
        for expr in exprs[1:]:
            element = cst.BinaryOperation(element, cst.Add(), expr)
        elements.append(element)
    if not elements or not isinstance(elements[0], cst.SimpleString):
        return None  # the program itself comes from a value: leave it to a person
    program = elements[0].evaluated_value
    if "=" in program or program in SHELL_BUILTINS:
        return None
    return _list(elements)


_NO_SHELL = ("the command no longer goes through a shell: check that the program is installed "
             "and on the PATH (of env= when given), since a missing one now raises "
             "FileNotFoundError instead of returning 127, and that callers do not rely on the "
             "shell's exit status for signals (128+n, now -n)")
_NO_SHELL_NOTES = {
    "literal": _NO_SHELL,
    "words": _NO_SHELL + "; each value is now one argument, so shell syntax in it (spaces, "
                         "quotes, ;) no longer works, but a value starting with - is still read "
                         "as an option: check that, or put -- before it where the program "
                         "accepts it",
    "split": _NO_SHELL + "; shlex.split still splits a value at spaces, so check where the "
                         "command comes from: a value from outside can still add arguments",
}
_TITLES = {"literal": "pass the command as an argument list",
           "words": "pass the command as an argument list",
           "split": "split the command with shlex.split"}


@recipe("B602", "B604", "BST202")
def drop_shell(t: Target):
    """`subprocess.run("ls -l", shell=True)` -> `subprocess.run(["ls", "-l"])`."""
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call):
        return None
    shell = keyword(call, "shell")
    args = positional(call)
    if shell is None or not (isinstance(shell.value, cst.Name) and shell.value.value == "True"):
        return None
    if not args or keyword(call, "executable") is not None or any(a.star for a in call.args):
        return None
    made = _arguments(t, args[0].value)
    if made is None:
        return None
    new_args, how, imports = made
    command = args[0].with_changes(value=new_args)
    new = call.with_changes(args=[command if a is args[0] else a for a in call.args])
    new = drop_arg(new, next(a for a in new.args if a.keyword and a.keyword.value == "shell"))
    return Rewrite(f"no-shell-{how}", _TITLES[how], REVIEW, t.replace(call, new),
                   imports=imports, successors=SUCCESSORS, note=_NO_SHELL_NOTES[how],
                   check="the program is found without a shell")


@recipe("B605", "BST202")
def popen_read_to_subprocess(t: Target):
    """`os.popen(cmd).read()` ->
    `subprocess.run(args, stdout=subprocess.PIPE, text=True).stdout`."""
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call) or t.call_qualname(call) != "os.popen":
        return None
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    read = next((n for n in t.nodes(cst.Call) if isinstance(n.func, cst.Attribute)
                 and n.func.value is call and n.func.attr.value == "read" and not n.args), None)
    made = _arguments(t, call.args[0].value) if read is not None else None
    if made is None:
        return None
    new_args, how, imports = made
    module = t.module_name("subprocess")
    run = cst.parse_expression(f"{module}.run(ARGS, stdout={module}.PIPE, text=True).stdout")
    run = run.deep_replace(run.value.args[0].value, new_args)
    if module == "subprocess":
        imports = imports + ("subprocess",)
    return Rewrite(f"subprocess-{how}", "run the command with subprocess.run, without a shell",
                   REVIEW, t.replace(read, run.with_changes(lpar=read.lpar, rpar=read.rpar)),
                   imports=imports, successors=SUCCESSORS,
                   note=_NO_SHELL_NOTES[how], check="the program is found without a shell")


@recipe("B605", "BST202")
def system_to_subprocess(t: Target):
    """`os.system("ls -l")` -> `subprocess.call(["ls", "-l"])`."""
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call) or t.call_qualname(call) != "os.system":
        return None
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    made = _arguments(t, call.args[0].value)
    if made is None:
        return None
    new_args, how, imports = made
    module = t.module_name("subprocess")
    new = cst.Call(func=cst.Attribute(cst.Name(module), cst.Name("call")),
                   args=[call.args[0].with_changes(value=new_args)],
                   lpar=call.lpar, rpar=call.rpar)
    if module == "subprocess":
        imports = imports + ("subprocess",)
    return Rewrite(f"subprocess-{how}", "run the command with subprocess.call, without a shell",
                   REVIEW, t.replace(call, new), imports=imports, successors=SUCCESSORS,
                   note="the return value is the exit code (os.system returns a wait status): "
                        "check callers that decode it; " + _NO_SHELL_NOTES[how],
                   check="the return value and the program's path")
