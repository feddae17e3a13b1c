"""The secrets of an edited document, scanned from the lines the edit touched
(analyzers/secrets/incremental.py), are those of a scan of the whole text: same findings, same
order, same messages, on random texts of secrets, near misses, needles, private keys and line
ends, after random edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.analyzers.secrets.analyzer import SecretsAnalyzer
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
# Half the texts hold no private key: a key makes every edit a whole scan.
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


@settings(max_examples=400, deadline=None)
@given(TEXTS, EDITS, PLACES)
def test_an_edited_text_gives_the_findings_of_a_whole_scan(text, edits, place):
    path, kind = place
    analyzer = SecretsAnalyzer()
    assert analyzer.analyse_text(text, path, kind) == whole(text, path, kind)
    for start, end, new in edits:
        first, last = sorted((int(start * len(text)), int(end * len(text))))
        text = text[:first] + new + text[last:]
        assert analyzer.analyse_text(text, path, kind) == whole(text, path, kind)


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


def test_an_edit_scans_only_the_line_it_touched(monkeypatch):
    """The point of it (issue 15): a keystroke in a 1,000-line file scans one line."""
    from bastion.analyzers.secrets import incremental

    scanned = []

    def recording(text, path, kind, enabled, start=0, end=None, first_line=0):
        scanned.append((start, len(text) if end is None else end, first_line))
        return scan(text, path, kind, enabled, start, end, first_line)

    monkeypatch.setattr(incremental, "scan", recording)
    analyzer = SecretsAnalyzer()
    lines = [f"SERVICE_{n}_URL=https://svc{n}.internal/api" for n in range(1000)]
    analyzer.analyse_text("\n".join(lines) + "\n", "x.env", FileKind.DOTENV)
    lines[500] = "GITHUB=ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    text = "\n".join(lines) + "\n"
    found = analyzer.analyse_text(text, "x.env", FileKind.DOTENV)
    line_start = text.index(lines[500])
    assert scanned[-1] == (line_start, line_start + len(lines[500]) + 1, 500)
    assert [(f.rule_id, f.span.start_line) for f in found] == [("BST302", 500)]
