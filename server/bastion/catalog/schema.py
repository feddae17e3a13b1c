"""One rule file's shape (see rules/README.md): its fields, the values they may take, and the
parsed rule (`RuleSpec`, its `Cwe` and `Lesson`). validate.py checks a file against it.
"""

from __future__ import annotations

import re

import attrs

LEVELS = ("low", "medium", "high")
OWASP_2021 = {
    "A01:2021": "Broken Access Control",
    "A02:2021": "Cryptographic Failures",
    "A03:2021": "Injection",
    "A04:2021": "Insecure Design",
    "A05:2021": "Security Misconfiguration",
    "A06:2021": "Vulnerable and Outdated Components",
    "A07:2021": "Identification and Authentication Failures",
    "A08:2021": "Software and Data Integrity Failures",
    "A09:2021": "Security Logging and Monitoring Failures",
    "A10:2021": "Server-Side Request Forgery (SSRF)",
}
REQUIRED = ("id", "name", "title", "severity", "confidence", "owasp", "tags", "cwe", "lesson")
OPTIONAL = ("match", "check", "fix", "taint", "analyzer")
# Analyzers of their own that report catalog rules (`analyzer = "secrets"`): no [match] needed.
RULE_ANALYZERS = ("secrets", "deps")
LESSON_FIELDS = ("summary", "why", "how_to_fix", "vulnerable", "fixed", "references")
# Issue 13 item 3: the exceptions, the verification and the attack-harness status are required;
# framework variants and dated versions only where they apply (tests/unit/test_lesson_content.py
# requires a dated line for every CVE a lesson names).
LESSON_REQUIRED_EXTRA = ("when_fine", "how_to_test", "attack")
LESSON_EXTRA = LESSON_REQUIRED_EXTRA + ("variants", "affected_versions", "example_file")
# The file name the examples are analysed as, when they are not a Python module.
EXAMPLE_FILE = re.compile(r"^[A-Za-z0-9_.-]+$")
# Frameworks a lesson may give a variant for, with the name shown to people.
FRAMEWORKS = {"django": "Django", "flask": "Flask", "fastapi": "FastAPI",
              "sqlalchemy": "SQLAlchemy", "asyncio": "asyncio"}
# `attack = "runs"` says tests/unit/test_lesson_attacks.py executes the lesson's attack end to end;
# any other text says why it cannot.
ATTACK_RUNS = "runs"
DATED = re.compile(r"\b(19|20)\d\d\b")
CWE_FIELDS = ("id", "name", "broader")

RULE_ID = re.compile(r"^(B\d{3}|BST\d{3})$")
OWN_RULE_ID = re.compile(r"^BST\d{3}$")
# Bandit's own names are not all snake_case (xml_bad_cElementTree); ours must be.
BANDIT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
OWN_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
TAG = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
CHECK = re.compile(r"^python:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
NUMBERED_STEP = re.compile(r"^\s*\d+[.)]\s+\S", re.MULTILINE)


def cwe_url(cwe_id: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{cwe_id}.html"


def owasp_url(owasp_id: str) -> str:
    number, year = owasp_id.split(":")
    slug = OWASP_2021[owasp_id].replace(" ", "_").replace("(", "%28").replace(")", "%29")
    return f"https://owasp.org/Top10/{number}_{year}-{slug}/"


@attrs.frozen(auto_exc=True)
class SchemaError(Exception):
    """One problem in one rule file; `line` is known only for TOML syntax errors."""

    file: str
    field: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class InvalidRule(ValueError):
    """Every problem found in one rule file."""

    def __init__(self, errors: list[SchemaError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@attrs.frozen
class Cwe:
    id: int
    name: str
    # the broader weaknesses this one is a kind of (MITRE's ChildOf), which lists such as the CWE
    # Top 25 and other tools name: eval injection (95) is code injection (94)
    broader: tuple[int, ...] = ()

    @property
    def url(self) -> str:
        return cwe_url(self.id)


@attrs.frozen
class Lesson:
    summary: str
    why: str
    how_to_fix: str
    vulnerable: str
    fixed: str
    references: tuple[str, ...]
    when_fine: str = ""
    how_to_test: str = ""
    variants: tuple[tuple[str, str], ...] = ()  # (framework key, markdown), in FRAMEWORKS order
    affected_versions: tuple[str, ...] = ()  # one dated line each
    attack: str = ""  # ATTACK_RUNS, or why the harness cannot run the attack
    example_file: str = "lesson.py"  # what `vulnerable` and `fixed` are analysed as

    @property
    def example_is_python(self) -> bool:
        return self.example_file.endswith((".py", ".pyw"))

    @property
    def attack_runs(self) -> bool:
        return self.attack == ATTACK_RUNS


@attrs.frozen
class RuleSpec:
    id: str
    name: str
    title: str
    severity: str
    confidence: str
    owasp: str
    tags: tuple[str, ...]
    cwe: Cwe
    lesson: Lesson
    match: dict | None = attrs.field(default=None, hash=False)
    check: str | None = None
    taint: dict | None = attrs.field(default=None, hash=False)  # a taint rule: its sink class
    analyzer: str | None = None  # the analyzer of RULE_ANALYZERS that reports it
    fix: dict | None = attrs.field(default=None, hash=False)
    source_file: str = ""

    @property
    def is_own(self) -> bool:
        return bool(OWN_RULE_ID.match(self.id))

    @property
    def owasp_name(self) -> str:
        return OWASP_2021.get(self.owasp, "")
