"""Taint analysis: a list's elements followed through `append`, `pop`, `insert`, `remove`,
`reverse`, `clear` and `sort` (taint/sequences.py), and a ConfigParser's options
(taint/configs.py). The property: for any sequence of edits, the element a view reads is
reported exactly when, run as Python, it holds the request data (never missed; and without
`remove` or `sort`, never reported when it does not)."""

from __future__ import annotations

import textwrap

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
HEAD = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n"

ELEMENT = st.sampled_from(["param", "'a'", "'b'", "'c'"])
EDIT = st.one_of(
    st.tuples(st.just("append"), ELEMENT),
    st.tuples(st.just("pop"), st.one_of(st.none(), st.integers(-3, 3))),
    st.tuples(st.just("insert"), st.integers(-3, 4), ELEMENT),
    st.tuples(st.just("remove"), st.sampled_from(["'a'", "'b'", "'c'"])),
    st.tuples(st.just("reverse")),
    st.tuples(st.just("clear")),
    st.tuples(st.just("sort")),
)


def run(start: list[str], edits: list[tuple], read: int) -> tuple[str, bool] | None:
    """The view's source, and whether the element read holds the request data when the edits
    run in Python (None: the edits raise)."""
    values = list(start)
    lines = [f"    values = [{', '.join(start)}]"]
    for edit in edits:
        try:
            if edit[0] == "append":
                values.append(edit[1])
                lines.append(f"    values.append({edit[1]})")
            elif edit[0] == "pop":
                values.pop() if edit[1] is None else values.pop(edit[1])
                lines.append(f"    values.pop({'' if edit[1] is None else edit[1]})")
            elif edit[0] == "insert":
                values.insert(edit[1], edit[2])
                lines.append(f"    values.insert({edit[1]}, {edit[2]})")
            elif edit[0] == "remove":
                values.remove(edit[1])
                lines.append(f"    values.remove({edit[1]})")
            else:  # reverse, clear, sort: no argument
                getattr(values, edit[0])()
                lines.append(f"    values.{edit[0]}()")
        except (IndexError, ValueError):
            return None
    if not -len(values) <= read < len(values):
        return None
    source = HEAD + "@app.route('/a')\ndef a():\n    param = request.args.get('p', '')\n" + \
        "\n".join(lines) + f"\n    return os.popen('echo ' + values[{read}]).read()\n"
    return source, values[read] == "param"


def reported(source: str) -> bool:
    return any(f.rule_id == "BST202" for f in ANALYZER.analyse_file(textwrap.dedent(source), "v.py"))


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.lists(ELEMENT, max_size=4), edits=st.lists(EDIT, max_size=6),
       read=st.integers(-4, 5))
def test_the_element_read_is_followed_through_the_edits(start, edits, read):
    case = run(start, edits, read)
    assume(case is not None)
    source, tainted = case
    found = reported(source)
    if tainted:
        assert found, source
    elif not any(edit[0] in ("remove", "sort") for edit in edits):
        assert not found, source  # where `sort` puts the request data depends on its value


def test_the_shapes_of_a_benchmark_style_list():
    """The list built by appends, its first element popped: index 0 is the request data,
    index 1 a constant."""
    body = ("    param = request.args.get('p', '')\n    values = []\n    values.append('safe')\n"
            "    values.append(param)\n    values.append('moresafe')\n    values.pop(0)\n")
    view = HEAD + "@app.route('/a')\ndef a():\n" + body
    assert reported(view + "    return os.popen('echo ' + values[0]).read()\n")
    assert not reported(view + "    return os.popen('echo ' + values[1]).read()\n")


def test_a_remove_that_may_hit_the_request_data_keeps_it():
    """`remove('safe')` on `[param, 'safe']` removes `param` when it equals 'safe': the list
    is not followed exactly, and both elements may hold the request data."""
    view = HEAD + ("@app.route('/a')\ndef a():\n    param = request.args.get('p', '')\n"
                   "    values = [param, 'safe']\n    values.remove('safe')\n")
    assert reported(view + "    return os.popen('echo ' + values[0]).read()\n")


def test_a_cleared_dict_holds_nothing_of_before():
    view = HEAD + ("@app.route('/a')\ndef a():\n    param = request.args.get('p', '')\n"
                   "    d = {'keyB': param}\n    d.clear()\n")
    assert not reported(view + "    return os.popen('echo ' + d.get('keyB', 'none')).read()\n")
    assert reported(view + "    d['keyA'] = param\n    return os.popen('echo ' + d['keyA']).read()\n")


def test_a_dict_pop_takes_that_key_out():
    view = HEAD + ("@app.route('/a')\ndef a():\n    param = request.args.get('p', '')\n"
                   "    d = {'keyA': 'a-value', 'keyB': param}\n    taken = d.pop('keyB')\n")
    assert reported(view + "    return os.popen('echo ' + taken).read()\n")
    assert not reported(view + "    return os.popen('echo ' + d['keyA']).read()\n")
    assert not reported(view + "    return os.popen('echo ' + d.get('keyB', 'none')).read()\n")


CONFIG = HEAD + ("import configparser\n@app.route('/a')\ndef a():\n    param = request.args.get('p', '')\n"
                 "    conf = configparser.ConfigParser()\n    conf.add_section('s')\n"
                 "    conf.set('s', 'keyA', 'a_value')\n    conf.set('s', 'keyB', param)\n")


def test_a_configparser_option_holds_what_was_set_under_it():
    assert not reported(CONFIG + "    return os.popen('echo ' + conf.get('s', 'keyA')).read()\n")
    assert reported(CONFIG + "    return os.popen('echo ' + conf.get('s', 'keyB')).read()\n")
    # options are lowercased as ConfigParser does by default
    assert reported(CONFIG + "    return os.popen('echo ' + conf.get('s', 'KEYB')).read()\n")
    assert reported(CONFIG + "    return os.popen('echo ' + conf.get('s', request.args['o'])).read()\n")
    assert not reported(CONFIG + "    return os.popen('echo %d' % conf.getint('s', 'keyB')).read()\n")


def test_text_read_into_a_configparser_may_be_under_any_option():
    view = HEAD + ("import configparser\n@app.route('/a')\ndef a():\n"
                   "    conf = configparser.ConfigParser()\n")
    read = "    conf.read_string(request.get_data(as_text=True))\n"
    constant = "    conf.read_string('[s]\\nkeyA = a')\n"
    use = "    return os.popen('echo ' + conf.get('s', 'keyA')).read()\n"
    assert reported(view + read + use)
    assert not reported(view + constant + use)
