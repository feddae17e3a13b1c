"""What a command runs (the `subprocess` and `exec_argv` sink models): the program, or the code
a shell or an interpreter is given (`["sh", "-c", cmd]`, `["bash", "-lc", cmd]`, `["python3",
"-c", code]`, `[sys.executable, "-c", code]`, `[shutil.which("python3"), "-c", code]`, also
`shutil.which("python3") or sys.executable`, also through a name), also behind a program that
runs the rest of the vector (`env`, `sudo`, `nice`), and the command line `ssh host cmd` has the
remote host's shell run. Other arguments reach one program as they are: an argument, not a
command. Also whether a command line starts with a constant program word (`shlex.split(f"convert
{name} out.png")`, calls.py). A program word's file name is kept by word (`_program`'s cache,
functools' own, bounded)."""

from __future__ import annotations

import ast
import functools
import re

from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, UNKNOWN, Value, constant, join_all
from bastion.deferred_patterns import deferred

_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "csh", "tcsh", "pwsh",
                     "powershell", "powershell.exe"})
_INTERPRETER = re.compile(r"(python|pypy)[0-9.]*|(perl)|(ruby)|(node|nodejs)|(php)[0-9.]*")
# The one-letter option each takes its code with (also inside a cluster: `bash -lc`, `perl -ne`)
_CODE_LETTERS = ("c", "eE", "e", "ep", "r")  # by _INTERPRETER's group
_LONG_CODE = frozenset({"--command", "--eval", "--print", "-Command"})
# Programs that run the rest of their vector, with the options they take a value for
_WRAPPERS = {"env": "uSC", "sudo": "ugCDhpRrTtU", "doas": "uC", "nice": "n", "nohup": "",
             "stdbuf": "ioe"}
_SSH_VALUED = frozenset("BbcDEeFIiJLlmOopQRSWw")
# A PATH lookup of a program by name: what it finds runs as that name does
LOOKUPS = frozenset({"shutil.which"})
_FOUND = "found program "  # the kind of a lookup's result, followed by the name looked up


def subprocess_value(args: list[Value], keywords: dict[str | None, Value]) -> Value | None:
    """The part of a command that an attacker must not choose: the whole command line with a
    shell (`shell=True`, or an argv that runs one), else the program itself."""
    # pexpect's `spawn(command=..., args=[...])`: the command, its `args` the arguments
    command = args[0] if args else keywords.get("command", keywords.get("args"))
    if command is None:
        return None
    shell = keywords.get("shell")
    if shell is not None and shell.const is not UNKNOWN and shell.const:
        return command.flat()
    if command.items is None:
        return command  # a string without a shell: the program name
    argv = in_order(command)
    if argv is not None:
        start = after_wrappers(argv)
        return run_code(argv, start) or (argv[start] if start < len(argv) else None)
    first = command.items.get(0)
    if first is None:
        return command.item(ANY)
    # a vector of unknown length: its first items as far as they are known
    known = [first, command.items.get(1, command.item(ANY)), command.items.get(2, command.item(ANY))]
    return run_code(known, 0) or first


def found_program(args: list[Value], keywords: dict[str | None, Value]) -> Value | None:
    """`shutil.which("python3")` (also with `path=` / `mode=`): a path that runs as the program
    of that name, known by its kind (`_name` reads it, wherever the value goes: a name, a
    vector); None when the name is not a constant."""
    program = args[0] if args else keywords.get("cmd")
    if program is None or not isinstance(program.const, str) or len(args) > 1 or None in keywords:
        return None
    return Value(clean=EVERY_CLASS, kind=_FOUND + program.const)


def alternative_programs(values: list[Value]) -> str | None:
    """The program kind of `shutil.which("python3") or sys.executable` (`values`: the
    alternatives): every one names a program (a lookup, the interpreter, a constant word) and
    they run code alike (all shells, or interpreters of one language, or one program), so
    whichever is taken runs `-c` the same way; None for any other."""
    names = [program_name(value) for value in values]
    if None in names or not any(v.kind is not None for v in values):
        return None
    if len({_runs_code_as(name) for name in names}) != 1:
        return None
    return _FOUND + names[0]


def _runs_code_as(name: str) -> str:
    found = _INTERPRETER.fullmatch(name)
    return "shell" if name in _SHELLS else f"interpreter {found.lastindex}" if found else name


def exec_argv_value(args: list[Value], start: int) -> Value | None:
    """The code run from an `os.exec*` / `os.spawn*` argument vector starting at `start`: a list
    (`execv(path, ["sh", "-c", cmd])`) or the remaining arguments (`execl(path, "sh", "-c",
    cmd)`); its first item only names the program the path runs."""
    if start >= len(args):
        return None
    argv = in_order(args[start]) if args[start].items is not None else args[start:]
    return run_code(argv, after_wrappers(argv)) if argv else None


def in_order(vector: Value) -> list[Value] | None:
    """The vector's items, when it is a list of a known length."""
    items = vector.items
    if not items or ANY in items or set(items) != set(range(len(items))):
        return None
    return [*map(items.__getitem__, range(len(items)))]  # in C: no comprehension's frame


def program_name(value: Value) -> str | None:
    """The file name of the program a vector's item names, lower case; None when not known."""
    const = value.const
    if const is UNKNOWN and value.kind == "sys.executable":
        return "python"  # the interpreter running the program: `-c` runs code as `python3 -c`
    if const is UNKNOWN and value.kind is not None and value.kind.startswith(_FOUND):
        return _program(value.kind[len(_FOUND):])
    return _program(const) if isinstance(const, str) else None


def is_shell(word: str) -> bool:
    """Whether a program word names a shell (`/bin/bash`, `sh`)."""
    return _program(word) in _SHELLS


@functools.lru_cache(maxsize=1024)
def _program(word: str) -> str:
    """A program word's file name, lower case (`C:\\Tools\\Git.EXE` -> `git.exe`). Kept by
    word: a `subprocess.run` of a vector asks it of its first word ~7 times (its two sink
    models, the wrappers and the code each look)."""
    return word.replace("\\", "/").rsplit("/", 1)[-1].lower()


def program_vectors(entries: list[Value]) -> Value | None:
    """`TOOLS[name]` of a constant table of argument vectors (`{"ping": ["ping", "-c", "1"],
    "dig": ["dig"]}`): whichever is read, its first slot is one of their programs, so data added
    after it is an argument of one of them. Only when no program runs code of what follows (a
    shell's or an interpreter's `-c`, a wrapper's program, ssh's remote command): slot 0 then says
    which it is not. Vectors of one length are joined slot by slot; of others, the rest of each
    in the ANY slot (where an item lands is unknown). None for any other table."""
    vectors = [entry.const for entry in entries]
    if not vectors or not all(type(v) is tuple and v and all(type(w) is str for w in v)
                              for v in vectors):
        return None
    if any(_runs_code(_program(v[0])) for v in vectors):
        return None
    sizes = {len(v) for v in vectors}
    slots = range(len(vectors[0])) if len(sizes) == 1 else range(1)
    items = {i: join_all([constant(v[i]) for v in vectors]) for i in slots}
    if len(sizes) > 1:
        items[ANY] = join_all([constant(w) for v in vectors for w in v[1:]])
    return Value(clean=EVERY_CLASS, items=items, known=True)


def _runs_code(name: str) -> bool:
    return name in _SHELLS or name in _WRAPPERS or name in ("ssh", "cmd", "cmd.exe") \
        or _INTERPRETER.fullmatch(name) is not None


def after_wrappers(argv: list[Value]) -> int:
    """Where the program is: past `env A=b`, `sudo -u www`, `nice -n 10`..."""
    index = 0
    while index < len(argv) and (valued := _WRAPPERS.get(program_name(argv[index]) or "")) is not None:
        wrapper = program_name(argv[index])
        index += 1
        while index < len(argv) and isinstance(option := argv[index].const, str) and (
                option.startswith("-") or wrapper == "env" and "=" in option):
            index += 2 if len(option) == 2 and option[1:] in valued else 1
    return index


def run_code(argv: list[Value], start: int) -> Value | None:
    """What the program at `start` runs as code: a shell's or an interpreter's, or ssh's."""
    if start >= len(argv):
        return None
    name = program_name(argv[start])
    if name == "ssh":
        return _remote_command(argv, start + 1)
    if name in ("cmd", "cmd.exe"):
        flags = [i for i in range(start + 1, len(argv)) if str(argv[i].const).lower() in ("/c", "/k")]
        return _together(argv[flags[0] + 1:]) if flags else None
    found = _INTERPRETER.fullmatch(name) if name else None
    letters = "c" if name in _SHELLS else _CODE_LETTERS[found.lastindex - 1] if found else None
    if letters is None:
        return None
    index = start + 1
    while index < len(argv) and isinstance(option := argv[index].const, str):
        if option in _LONG_CODE or option[:1] in ("-", "+") and option[1:2].isalpha() \
                and not option.startswith("--") and any(c in letters for c in option[1:]):
            return argv[index + 1] if index + 1 < len(argv) else None
        if not option.startswith(("-", "+")):
            return None  # a script file: its arguments are data
        index += 2 if option in ("-o", "+o", "-O", "+O") else 1
    return None


def _remote_command(argv: list[Value], index: int) -> Value | None:
    """`ssh [options] host command...`: the words after the host, joined by the remote shell."""
    while index < len(argv) and isinstance(option := argv[index].const, str) \
            and option.startswith("-"):
        index += 2 if len(option) == 2 and option[1] in _SSH_VALUED else 1
    return _together(argv[index + 1:])


def _together(values: list[Value]) -> Value | None:
    return join_all(values) if values else None


_FIRST_WORD = deferred(r"\s*[^\s%{}]+\s")
_PLACEHOLDER = deferred(r"[%{}]")


def leading_text(node: ast.expr) -> str:
    """The constant text that starts the string `node` builds, up to the first `%`, `{` or `}`
    (where a placeholder may be): `"convert " + name`, `f"convert {name}"`, `"convert %s" %
    name`, `"convert {}".format(name)` give `convert `; "" when none is written."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        node = node.left
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format":
        node = node.func.value
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return ""
    return _PLACEHOLDER().split(node.value, 1)[0]


def starts_with_word(node: ast.expr) -> bool:
    """Whether a constant word and a space start the text `node` builds."""
    return _FIRST_WORD().match(leading_text(node)) is not None
