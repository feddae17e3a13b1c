"""`bastion rules validate` and the models' load reject each malformed array of names, and a
model file with any problem adds nothing while the files around it are kept, in order (the load
adds every file unstaged, and adds the good ones again when one is bad: model_files.py)."""

from __future__ import annotations

import pytest

from bastion.analyzers.matchers import NameSet
from bastion.analyzers.taint.model_files import load_models, validate_models

GOOD_SINK = '[[sink]]\nclass = "sql"\ncalls = ["{name}"]\n'
SOURCE = '[[source]]\nnames = ["acme.read"]\nkind = "remote"\nlabel = "acme"\n'


@pytest.mark.parametrize("calls, problems", [
    ('"acme.run"', ["expected an array of non-empty strings", "a sink needs calls"]),
    ('["acme.run", 3]', ["expected an array of non-empty strings", "a sink needs calls"]),
    ('["acme.run", "  "]', ["expected an array of non-empty strings", "a sink needs calls"]),
    ('[["acme.run"]]', ["expected an array of non-empty strings", "a sink needs calls"]),
    ('""', ["expected an array of non-empty strings", "a sink needs calls"]),
    ("0", ["expected an array of non-empty strings", "a sink needs calls"]),
    ("false", ["expected an array of non-empty strings", "a sink needs calls"]),
    ("{}", ["expected an array of non-empty strings", "a sink needs calls"]),
    ("[]", ["a sink needs calls"]),
])
def test_each_malformed_array_of_names_is_a_problem(tmp_path, calls, problems):
    (tmp_path / "sinks.toml").write_text(f'[[sink]]\nclass = "sql"\ncalls = {calls}\n')
    found = validate_models(tmp_path)
    assert [p.message.split(",")[0] for p in found if p.file == "sinks.toml"] == problems
    assert all(p.field == "sink[0].calls" for p in found if p.file == "sinks.toml")


def test_a_required_array_that_is_empty_or_absent_is_missing(tmp_path):
    (tmp_path / "programs.toml").write_text('[[program]]\nnames = []\nvalued = ["-e"]\n'
                                            '[[program]]\nvalued = ["-e"]\n')
    assert [(p.field, p.message) for p in load_models(tmp_path).problems] == [
        ("program[0].names", "missing or empty"), ("program[1].names", "missing or empty")]


def test_a_bad_file_adds_nothing_and_the_files_around_it_are_kept_in_order(tmp_path):
    (tmp_path / "a.toml").write_text(SOURCE + GOOD_SINK.format(name="acme.first")
                                     + '[[entry]]\nlabel = "a"\ndecorators = ["acme.route"]\n'
                                       'validated_models = ["acme.Model"]\n')
    (tmp_path / "b.toml").write_text(GOOD_SINK.format(name="acme.first") + GOOD_SINK.format(name="bad.one")
                                     + '[[sink]]\nclass = "sql"\ncalls = ["bad.two", ""]\n'
                                       '[[entry]]\nlabel = "b"\ndecorators = ["bad.route"]\n'
                                       'validated_models = ["bad.Model"]\n')
    (tmp_path / "c.toml").write_text("[[sink]\n")
    (tmp_path / "d.toml").write_text(GOOD_SINK.format(name="acme.first") + GOOD_SINK.format(name="acme.*"))
    models = load_models(tmp_path)
    assert [(p.file, p.field) for p in models.problems] == [
        ("b.toml", "sink[2].calls"), ("b.toml", "sink[2].calls"), ("c.toml", "file")]
    assert sorted(models.sinks.exact) == ["acme.first"]
    assert len(models.sinks.exact["acme.first"]) == 2  # a.toml's and d.toml's, not b.toml's
    assert [names.globs for names, _ in models.sinks.globs] == [("acme.*",)]
    assert [entry.label for entry in models.entries] == ["a"]
    assert models.body_model_roots == ("acme",)
    assert models.sinks.by_name("bad.one") == []


def test_a_set_of_names_without_a_wildcard_is_built_as_one_with():
    exact = NameSet(iter(["a.b", "c"]))
    assert (exact.exact, exact.globs, exact._starts) == (frozenset({"a.b", "c"}), (), ())
    assert "a.b" in exact and "a.x" not in exact and "c" in exact
    mixed = NameSet(["a.b", "a.*", "*.c"])
    assert (mixed.exact, mixed.globs, mixed._starts) == (frozenset({"a.b"}), ("a.*", "*.c"), ("a.", ""))
    assert "a.x" in mixed and "q.c" in mixed and "q.d" not in mixed
    assert "x" not in NameSet([])


@pytest.mark.parametrize("version", ["5.0", "6.1", "2.6", "05.0", "1", "1.2.3.4", "5.0rc1", "v5.0", " 5.0",
                                     "1.0.post1", "five", "5..0", "", ".5", "5.", "²", "5.0 beta", "٥.٠"])
def test_a_before_version_is_judged_as_packaging_judges_it(tmp_path, version):
    from packaging.version import InvalidVersion, Version

    try:
        Version(version)
        valid = True
    except InvalidVersion:
        valid = False
    (tmp_path / "sinks.toml").write_text('[[sink]]\nclass = "xxe"\ncalls = ["lxml.etree.iterparse"]\n'
                                         f'before = {{ package = "lxml", version = "{version}" }}\n')
    models = load_models(tmp_path)
    assert [p.field for p in models.problems] == ([] if valid else ["sink[0].before"])
    assert models.versioned == ({"lxml"} if valid else set())


# a good table of each section, to which one array of names is added
GOOD_TABLES = {
    "source": 'names = ["acme.read"]\nkind = "remote"\nlabel = "acme"\n',
    "entry": 'label = "acme"\ndecorators = ["acme.route"]\n',
    "sink": 'class = "sql"\ncalls = ["acme.run"]\n',
    "sanitizer": 'calls = ["acme.clean"]\ncleans = ["sql"]\n',
    "guard": 'calls = ["acme.check"]\ncleans = ["sql"]\n',
    "propagator": 'calls = ["acme.wrap"]\n',
    "form": 'bases = ["acme.Form"]\nclean_fields = ["acme.Field"]\n',
    "callback": 'calls = ["acme.call"]\nfunction = { position = 0 }\n',
    "program": 'names = ["acme"]\nvalued = ["-e"]\n',
}


def _sections_arrays():
    from bastion.analyzers.taint.model_keys import ARRAYS

    return [(section, key) for section, keys in ARRAYS.items() for key in sorted(keys)]


@pytest.mark.parametrize("section, key", _sections_arrays())
@pytest.mark.parametrize("value", ['"acme.x"', '["acme.x", 3]', '["  "]', "0", "false", "{}", "[[]]"])
def test_each_array_of_names_a_section_checks_once_rejects_a_bad_value(tmp_path, section, key, value):
    """The arrays of names are checked as the table's keys are (model_fields.FieldReader.keys):
    each of every section's, given anything but an array of non-empty strings, is reported once
    and the file adds nothing."""
    table = "".join(line + "\n" for line in GOOD_TABLES[section].splitlines()
                    if not line.startswith(f"{key} ="))
    (tmp_path / "m.toml").write_text(SOURCE + GOOD_SINK.format(name="acme.sink")
                                     + f"[[{section}]]\n{table}{key} = {value}\n")
    found = validate_models(tmp_path)
    index = 1 if section in ("source", "sink") else 0
    assert [p.field for p in found if p.message == "expected an array of non-empty strings"] == [
        f"{section}[{index}].{key}"]
    assert all(p.file == "m.toml" for p in found[:-1])
    assert found[-1].message == "no sources or no sinks"


@pytest.mark.parametrize("section", sorted(GOOD_TABLES))
def test_a_good_table_of_each_section_adds_its_file(tmp_path, section):
    (tmp_path / "m.toml").write_text(SOURCE + GOOD_SINK.format(name="acme.sink")
                                     + f"[[{section}]]\n{GOOD_TABLES[section]}")
    assert validate_models(tmp_path) == []
