"""`str.translate`'s table is one value however the code writes it (the `str.translate` and
`str.maketrans` documentation): a dict display of code points (`{10: None}`), one keyed by
`ord("\\n")`, a `str.maketrans` of one mapping, of two strings of equal length or with a third
of characters to delete, bound to a name first or not, and bytes' `translate(None, deleted)`.
One reader answers what it removes and writes: a line feed removed and none written is one log
line; characters removed or replaced break the proofs of where characters stand (`..` tested
absent, no leading `-`), what is written those it can break. Each case a vulnerable Flask view
and its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.test_taint_transformed_proofs import DIGITS, NO_OPTION, RUN, rules

LOG = "import logging\nlog = logging.getLogger(__name__)\n"
# a name tested to hold no `..`, appended to the base
NO_DOTS = "name = request.args['name']\nif '..' in name:\n    abort(400)\n"
OPENED = "return open(BASE + '/' + {}).read()"

# (vulnerable body, rule, safe twin body)
TWINS = [
    # a table bound to a name, as the str.maketrans documentation builds one
    (LOG + "table = str.maketrans('', '', '\\r')\nlog.warning('login failed for %s', request.args['u'].translate(table))\nreturn 'no'", "BST207",
     LOG + "table = str.maketrans('', '', '\\r\\n')\nlog.warning('login failed for %s', request.args['u'].translate(table))\nreturn 'no'"),
    # two strings of equal length: each character to the one at its index
    (LOG + "log.warning('login failed for %s', request.args['u'].translate(str.maketrans('\\r', ' ')))\nreturn 'no'", "BST207",
     LOG + "log.warning('login failed for %s', request.args['u'].translate(str.maketrans('\\r\\n', '  ')))\nreturn 'no'"),
    # a mapping of characters to maketrans, on the empty string's method
    (LOG + "log.warning('login failed for %s', request.args['u'].translate(''.maketrans({'\\n': ' ', '\\t': '\\n'})))\nreturn 'no'", "BST207",
     LOG + "log.warning('login failed for %s', request.args['u'].translate(''.maketrans({'\\n': ' ', 13: ' '})))\nreturn 'no'"),
    # `ord()` keys: what the table writes is known, a proof of every character kept
    (NO_OPTION + RUN.format("name.translate({ord('\\uff0d'): '-'})"), "BST217",
     DIGITS + RUN.format("name.translate({ord('1'): '2'})")),
    # characters written join into `..` (`_._` is `...`), or removed (`. .` is `..`): the test
    # made before the translation proves nothing of its result
    (NO_DOTS + OPENED.format("name.translate({95: '.'})"), "BST201",
     "name = request.args['name'].translate({95: '.'})\nif '..' in name:\n    abort(400)\n" + OPENED.format("name")),
    (NO_DOTS + OPENED.format("name.translate(str.maketrans('', '', ' '))"), "BST201",
     "name = request.args['name'].translate(str.maketrans('', '', ' '))\nif '..' in name:\n    abort(400)\n" + OPENED.format("name")),
]


@pytest.mark.parametrize(("vulnerable", "rule", "safe"), TWINS, ids=[str(i) for i in range(len(TWINS))])
def test_a_translation_table_is_read_whatever_wrote_it(vulnerable, rule, safe):
    found = rules(vulnerable)
    assert rule in found, found
    assert rule not in rules(safe), rules(safe)
