"""The secrets of an edited document, scanned from the lines the edit touched
(analyzers/secrets/incremental.py), are those of a scan of the whole text: same findings, same
order, same messages, on random texts of secrets, near misses, needles, private keys and line
ends, after random edits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.secrets.analyzer import SecretsAnalyzer
from bastion.analyzers.secrets.formats import KEY_REACH
from bastion.analyzers.secrets.scanning import enabled_formats, scan
from bastion.filekinds import FileKind

KEY_BODY = "MIIEowIBAAKCAQEA7bq4fJ9xkR2mW5nP8sT3vY6zA1cD4eF7gH0iJ3kL6mN9oQ2rS5tU8vW1xY4zB7cE"
PIECES = [
    "AKIAZ3MDTQ7WLX5RJ4NB", "AKIA", "Z3MDTQ7WLX5RJ4NB", "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8",
    "https://deploy:s3cr3tPw9x@db.internal", "://user:", "@host", "api_key = \"q8Vx2LmN4pR7sT1wZ\"",
    "password=Zx8!kq2Lm9Vw4Rt", "password", "passwd: ", "secret", "token=", "\"", "'", "=", ": ",
    "aws_secret_access_key = Zq3/Kd8mW+pX2vN7bR4tY9cL1fH6jS0gA5eU8iO3", "aws_secret", "AWS_SECRET",
    "AWSSECRETKEY=Zq3/Kd8mW+pX2vN7bR4tY9cL1fH6jS0gA5eU8iO3",
    "twilio_auth_token = \"0a1b2c3d4e5f60718293a4b5c6d7e8f9\"", "twilio", "Twilio",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "k_live_", "abc1Q~Xy7.Kq2_Lm9~Vw4-Rt6Zp3Nb8Jc5Hd1Fg", "Q~",
    "-----BEGIN RSA PRIVATE KEY-----\n" + KEY_BODY + "\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN ", "PRIVATE KEY-----", "-----END ", KEY_BODY,
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "\n", "\n", "\n", "\r\n", "\\n", " ", "\t", "x", "_", "9", "#", "requests==2.31.0",
]
# Half the texts hold no private key; in the others, every edit is within a key header's reach.
NO_KEY = [piece for piece in PIECES if "-----" not in piece and piece != KEY_BODY]
TEXTS = st.one_of(st.lists(st.sampled_from(NO_KEY), max_size=30),
                  st.lists(st.sampled_from(PIECES), max_size=30)).map("".join)
EDITS = st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), TEXTS), min_size=1, max_size=6)
PLACES = st.sampled_from([("app/.env", FileKind.DOTENV), ("requirements.txt", FileKind.REQUIREMENTS),
                          ("app/settings.py", FileKind.PYTHON), ("tests/conf.yaml", FileKind.YAML)])


def whole(text: str, path: str, kind: FileKind) -> list:
    """The scan of the whole text, as the analyzer made it before it kept anything."""
    enabled = enabled_formats(lambda needle: needle in text)
    return [finding for _order, _start, finding in scan(text, path, kind, enabled)]


def edit_and_compare(text: str, edits: list, place: tuple) -> None:
    path, kind = place
    analyzer = SecretsAnalyzer()
    assert analyzer.analyse_text(text, path, kind) == whole(text, path, kind)
    for start, end, new in edits:
        first, last = sorted((int(start * len(text)), int(end * len(text))))
        text = text[:first] + new + text[last:]
        assert analyzer.analyse_text(text, path, kind) == whole(text, path, kind)


@settings(max_examples=examples(400), deadline=None)
@given(TEXTS, EDITS, PLACES)
def test_an_edited_text_gives_the_findings_of_a_whole_scan(text, edits, place):
    edit_and_compare(text, edits, place)


def test_typing_a_key_line_by_line_finds_it():
    """A private key typed in, character by character, is found once complete."""
    analyzer, text = SecretsAnalyzer(), "A=1\n" * 50
    key = PIECES[PIECES.index("-----BEGIN ") - 1]
    for typed, char in enumerate(key):
        text = text[:100 + typed] + char + text[100 + typed:]
        found = analyzer.analyse_text(text, "x.env", FileKind.DOTENV)
        assert found == whole(text, "x.env", FileKind.DOTENV)
    assert [f.rule_id for f in found] == ["BST303"]


def test_a_needle_typed_far_from_a_value_enables_its_format():
    """`AWSSECRETKEY=...` is only a generic secret while no needle of the AWS secret format is
    in the text; typing `aws_secret` 100 lines further makes it one, deleting it unmakes it."""
    analyzer = SecretsAnalyzer()
    text = "AWSSECRETKEY=Zq3/Kd8mW+pX2vN7bR4tY9cL1fH6jS0gA5eU8iO3\n" + "A=1\n" * 100
    for edited, rule in ((text, "BST306"), (text + "# aws_secret\n", "BST301"), (text, "BST306")):
        found = analyzer.analyse_text(edited, "x.env", FileKind.DOTENV)
        assert [f.rule_id for f in found] == [rule]
        assert found == whole(edited, "x.env", FileKind.DOTENV)


@pytest.fixture
def scanned(monkeypatch) -> list:
    """(start, end, first line) of each scan the incremental reads make, as they make them."""
    from bastion.analyzers.secrets import incremental

    calls = []

    def recording(text, path, kind, enabled, start=0, end=None, first_line=0):
        calls.append((start, len(text) if end is None else end, first_line))
        return scan(text, path, kind, enabled, start, end, first_line)

    monkeypatch.setattr(incremental, "scan", recording)
    return calls


def test_an_edit_scans_only_the_line_it_touched(scanned):
    """The point of it (issue 15): a keystroke in a 1,000-line file scans one line."""
    analyzer = SecretsAnalyzer()
    lines = [f"SERVICE_{n}_URL=https://svc{n}.internal/api" for n in range(1000)]
    analyzer.analyse_text("\n".join(lines) + "\n", "x.env", FileKind.DOTENV)
    lines[500] = "GITHUB=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    text = "\n".join(lines) + "\n"
    found = analyzer.analyse_text(text, "x.env", FileKind.DOTENV)
    line_start = text.index(lines[500])
    assert scanned[-1] == (line_start, line_start + len(lines[500]) + 1, 500)
    assert [(f.rule_id, f.span.start_line) for f in found] == [("BST302", 500)]


# Lines of filler, a quarter of a key header's reach each: texts of them put keys' bodies, ends
# and edits on either side of the reach.
FILLER = "SERVICE_URL=https://svc.internal/api\n" * (KEY_REACH // 4 // 37)
FAR_PIECES = [*PIECES, "-----BEGIN RSA PRIVATE KEY-----\n", "\n-----END RSA PRIVATE KEY-----\n",
              "-----BEGIN CERTIFICATE-----\n", FILLER, FILLER, FILLER]
FAR_TEXTS = st.lists(st.sampled_from(FAR_PIECES), max_size=24).map("".join)


@settings(max_examples=examples(150), deadline=None)
@given(FAR_TEXTS, st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1), FAR_TEXTS.filter(
    lambda text: len(text) < KEY_REACH)), min_size=1, max_size=6), PLACES)
def test_an_edit_near_or_far_from_keys_gives_the_findings_of_a_whole_scan(text, edits, place):
    """Texts holding keys, key headers and ends further apart than a header's reach."""
    edit_and_compare(text, edits, place)


def test_an_edit_beyond_a_keys_reach_scans_only_its_line(scanned):
    """A text holding a private key was scanned whole on every edit; now only lines within a
    header's reach (KEY_REACH) of the edit are, and a key whose reach the edit is in, whole."""
    analyzer = SecretsAnalyzer()
    key = PIECES[PIECES.index("-----BEGIN ") - 1]
    lines = [f"SERVICE_{n}_URL=https://svc{n}.internal/api" for n in range(2000)]
    lines[10] = key
    analyzer.analyse_text("\n".join(lines) + "\n", "x.env", FileKind.DOTENV)
    lines[1500] = "GITHUB=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    text = "\n".join(lines) + "\n"
    found = analyzer.analyse_text(text, "x.env", FileKind.DOTENV)
    line_start = text.index(lines[1500])
    assert scanned[-1] == (line_start, line_start + len(lines[1500]) + 1, 1502)  # the key: 3 lines
    assert [(f.rule_id, f.span.start_line) for f in found] == [("BST302", 1502), ("BST303", 10)]
    lines[20] = "A=1"  # within the key's reach: scanned from its header
    text = "\n".join(lines) + "\n"
    assert analyzer.analyse_text(text, "x.env", FileKind.DOTENV) == whole(text, "x.env", FileKind.DOTENV)
    assert scanned[-1][0] == text.index("-----BEGIN ") and scanned[-1][1] >= text.index("A=1\n") + 4


JWT = PIECES[[piece.startswith("eyJ") for piece in PIECES].index(True)]


def key_text(body_lines: int) -> str:
    """A key whose body holds `body_lines` filler lines and a JWT (hidden by the key's range)
    at its end, far from its header, then more filler."""
    filler = "".join(f"SERVICE_{n}_URL=https://svc{n}.internal/api\n" for n in range(body_lines))
    return ("A=1\n" * 5 + "-----BEGIN RSA PRIVATE KEY-----\n" + KEY_BODY + "\n" + filler + JWT
            + "\n-----END RSA PRIVATE KEY-----\n" + FILLER)


@pytest.mark.parametrize("body_lines", [10, 200, 330, 350, 360, 370, 380, 400])
@pytest.mark.parametrize("edit", ["header removed", "header added", "end removed", "end added",
                                  "line after the end", "header to a certificate's"])
def test_an_edit_to_a_keys_far_end_or_header_gives_the_findings_of_a_whole_scan(body_lines, edit):
    """Key bodies around the longest one looked for (16 KB: 330-380 filler lines), edited at
    their header or end, which decide whether the key (and the JWT its range hides) is found."""
    text = key_text(body_lines)
    header, end = "-----BEGIN RSA PRIVATE KEY-----\n", "\n-----END RSA PRIVATE KEY-----\n"
    before, after = {
        "header removed": (text, text.replace(header, "\n")),
        "header added": (text.replace(header, "\n"), text),
        "end removed": (text, text.replace(end, "\n\n")),
        "end added": (text.replace(end, "\n\n"), text),
        "line after the end": (text, text.replace(end, end + "B=2\n")),
        "header to a certificate's": (text, text.replace("RSA PRIVATE KEY-----\n", "CERTIFICATE-----\n", 1)),
    }[edit]
    analyzer = SecretsAnalyzer()
    analyzer.analyse_text(before, "x.env", FileKind.DOTENV)
    assert analyzer.analyse_text(after, "x.env", FileKind.DOTENV) == whole(after, "x.env", FileKind.DOTENV)
