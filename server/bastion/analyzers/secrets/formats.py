"""Provider key formats: the credentials whose shape alone says what they are.

Every pattern is linear-time on Python's backtracking `re`: each starts with a literal prefix,
or with a lookbehind and a character class that the rest of the token must follow, uses only
bounded repetitions of one character class each, and nests no quantifier, so a failed start
costs at most the pattern's longest bound and a crafted line O(length × that bound). A private
key's body is not matched by a pattern at all: its end is looked up with `str.find`, bounded by
the next header (`_private_key_end`). bench/secrets_bench.py measures a 1 MB single line and a
5 MB file.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bastion import attrs_classes
from bastion.analyzers.secrets.allow import is_format_placeholder, is_placeholder


@attrs_classes.frozen
class Format:
    rule_id: str
    label: str  # what the credential is, in the message
    pattern: re.Pattern[str]
    severity: str = "high"
    # Where the value ends when the pattern cannot say (None: the `secret` group's end; the
    # function's None: not a credential after all).
    end: Callable[[re.Match[str], str], int | None] | None = None
    placeholder: Callable[[str], bool] = is_format_placeholder
    # The value must not continue a longer token to its left (checked in code: a lookbehind at
    # the pattern's start would cost the search its literal-prefix scan).
    boundary: bool = False
    # The pattern is not run on a text that holds none of these: given for the patterns without
    # a literal prefix, whose search is slower than a `str.find` pass per needle.
    needles: tuple[str, ...] = ()


# Characters a token may not follow (Format.boundary).
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/+")
_E = r"(?![A-Za-z0-9_])"
# A key's longest PEM body (RSA 16384-bit, with line breaks and escapes): past it, no key.
_MAX_KEY_BODY = 16_384
KEY_HEADER = "-----BEGIN "  # where a private key's match starts, and the next one bounds its body
# How far past a key header `_private_key_end` reads and a key's value reaches: the header's
# match (under 64 characters), the body searched, "-----END " and the closing "-----" looked
# for within 64 characters of it. A header's place plus this bounds every key's effect.
KEY_REACH = 64 + _MAX_KEY_BODY + 64 + 16
_BASE64 = re.compile(r"[A-Za-z0-9+/]{64}")


def _private_key_end(match: re.Match[str], text: str) -> int | None:
    start = match.end()
    limit = min(start + _MAX_KEY_BODY, len(text))
    following = text.find(KEY_HEADER, start, limit)
    if following >= 0:
        limit = following  # each character is searched once, whatever the headers' number
    end = text.find("-----END ", start, limit)
    if end < 0:
        return None
    body = text[start:end].replace("\\n", "").replace("\n", "").replace("\r", "")
    if not _BASE64.search(body):
        return None  # "-----BEGIN PRIVATE KEY-----\n...\n-----END": documentation
    close = text.find("-----", end + 9, min(end + 64, len(text)))
    return close + 5 if close >= 0 else end + 9


def _no_body_placeholder(value: str) -> bool:
    return False  # `_private_key_end` refuses a block without a key body


def _url_password_placeholder(value: str) -> bool:
    """`user:password@`, `:${DB_PASSWORD}@`, `:{password}@` (a format string), `:%s@`, `:***@`."""
    return is_placeholder(value) or value[0] in "${%*:<[" or len(value) < 3 \
        or value.lower() in ("pass", "pw", "pwd", "passwd", "password", "secret", "root")


def _p(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _token(rule_id: str, label: str, source: str, needles: tuple[str, ...],
           severity: str = "high") -> Format:
    """A token that stands alone: not preceded by, nor followed by, a token character."""
    return Format(rule_id, label, _p(source + _E), severity, boundary=True, needles=needles)


FORMATS: tuple[Format, ...] = (
    _token("BST301", "AWS access key id", r"(?P<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})",
           ()),
    Format("BST301", "AWS secret access key",
           _p(r"(?i:aws_?secret_?(?:access_?)?key)[\"']?[ \t]{0,8}(?::|=|=>)[ \t]{0,8}[\"']?"
              r"(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"),
           needles=("aws_secret", "AWS_SECRET", "awssecret", "AwsSecret", "aws_Secret")),
    _token("BST302", "Google API key", r"(?P<secret>AIza[0-9A-Za-z_-]{35})", ()),
    Format("BST302", "Google service account key id",
           _p(r"\"private_key_id\"[ \t]{0,8}:[ \t]{0,8}\"(?P<secret>[0-9a-f]{40})\"")),
    Format("BST302", "Azure storage account key",
           _p(r"AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)")),
    Format("BST302", "Azure shared access key",
           _p(r"SharedAccessKey=(?P<secret>[A-Za-z0-9+/]{42,43}=)")),
    _token("BST302", "Azure AD client secret",
           r"(?P<secret>[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})", ("Q~",)),
    _token("BST302", "GitHub token", r"(?P<secret>gh[pousr]_[A-Za-z0-9]{36})",
           ()),
    _token("BST302", "GitHub fine-grained token",
           r"(?P<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})", ()),
    _token("BST302", "GitLab token",
           r"(?P<secret>gl(?:pat|dt|rt|cbt|ptt|soat)-[A-Za-z0-9_-]{20,40})", ()),
    _token("BST302", "Slack token", r"(?P<secret>xox[abposre]-[0-9]{6,16}-[0-9A-Za-z-]{8,200})",
           ()),
    Format("BST302", "Slack webhook URL",
           _p(r"https://hooks\.slack\.com/(?:services|workflows)/"
              r"(?P<secret>T[A-Z0-9]{6,12}/[AB][A-Z0-9]{6,12}/[A-Za-z0-9]{20,32})")),
    _token("BST302", "Stripe live secret key", r"(?P<secret>[sr]k_live_[0-9A-Za-z]{20,99})",
           ("k_live_",)),
    _token("BST302", "Stripe test secret key", r"(?P<secret>[sr]k_test_[0-9A-Za-z]{20,99})",
           ("k_test_",), severity="medium"),
    _token("BST302", "Twilio API key", r"(?P<secret>SK[0-9a-f]{32})", ()),
    Format("BST302", "Twilio auth token",
           _p(r"(?i:twilio)[A-Za-z0-9_.-]{0,20}(?i:token|secret)[\"']?[ \t]{0,8}(?::|=|=>)[ \t]{0,8}"
              r"[\"']?(?P<secret>[0-9a-f]{32})(?![0-9a-f])"),
           needles=("twilio", "TWILIO", "Twilio")),
    _token("BST302", "SendGrid API key", r"(?P<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})",
           ()),
    Format("BST303", "private key",
           _p(r"(?P<secret>-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY"
              r"(?: BLOCK)?-----)"), end=_private_key_end, placeholder=_no_body_placeholder),
    _token("BST304", "JSON Web Token",
           r"(?P<secret>eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{16,1024})",
           (), severity="medium"),
    Format("BST305", "password in a URL",
           _p(r"://(?P<user>[^\s:/@'\"<>`]{1,128}):(?P<secret>[^\s/@'\"<>`]{1,128})@(?=[A-Za-z0-9\[])"),
           placeholder=_url_password_placeholder),
)
