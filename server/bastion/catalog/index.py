"""The loaded catalog: rules by id, and their lessons as markdown, hover text, hints and JSON."""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from pathlib import Path

from bastion.catalog.loader import load_rule_files
from bastion.catalog.paths import rules_dir
from bastion.catalog.render import after_fix_sections, code_fence, first_step, plain_text
from bastion.catalog.schema import FRAMEWORKS, RuleSpec, cwe_url, owasp_url

log = logging.getLogger(__name__)


class RuleCatalog:
    def __init__(self, specs: Iterable[RuleSpec]) -> None:
        self._specs = {spec.id: spec for spec in sorted(specs, key=lambda s: s.id)}
        self._by_name = {spec.name: spec for spec in self._specs.values()}

    @classmethod
    def from_directory(cls, directory: Path) -> RuleCatalog:
        """The valid rules in `directory`; invalid files are logged and skipped."""
        specs, errors = load_rule_files(directory)
        for error in errors:
            log.warning("rule file skipped: %s", error)
        return cls(specs)

    def __len__(self) -> int:
        return len(self._specs)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._specs

    def get(self, rule_id: str) -> RuleSpec | None:
        return self._specs.get(rule_id)

    def find(self, key: str) -> RuleSpec | None:
        """A rule by id (any case) or by check name, as a person would type it."""
        return self._specs.get(key.strip().upper()) or self._by_name.get(key.strip())

    def all(self) -> list[RuleSpec]:
        return list(self._specs.values())

    def _spec(self, rule_id: str) -> RuleSpec:
        spec = self._specs.get(rule_id)
        if spec is None:
            raise KeyError(rule_id)
        return spec

    def markdown(self, rule_id: str) -> str:
        """The whole lesson; raises KeyError for an id the catalog does not have."""
        spec = self._spec(rule_id)
        lesson = spec.lesson
        parts = [
            f"# {spec.id}: {spec.title}",
            f"**Severity:** {spec.severity} · **Confidence:** {spec.confidence} · "
            f"**Check:** `{spec.name}`",
            f"**CWE:** [CWE-{spec.cwe.id}: {spec.cwe.name}]({cwe_url(spec.cwe.id)})"
            + "".join(f", a kind of [CWE-{b}]({cwe_url(b)})" for b in spec.cwe.broader) + " · "
            f"**OWASP:** [{spec.owasp} {spec.owasp_name}]({owasp_url(spec.owasp)})",
            lesson.summary,
            "## Why it matters", lesson.why,
            "## How to fix", lesson.how_to_fix,
            *(part for title, text in after_fix_sections(lesson) for part in (f"## {title}", text)),
            "## Vulnerable", code_fence(lesson.vulnerable, _language(lesson)),
            "## Fixed", code_fence(lesson.fixed, _language(lesson)),
            "## References", "\n".join(f"- <{url}>" for url in lesson.references),
        ]
        return "\n\n".join(parts) + "\n"

    def hover_markdown(self, rule_id: str, message: str | None = None,
                       learn_more_uri: str | None = None, path: str | None = "") -> str:
        """Short hover text: what and how bad in one line, the summary (or, for a data-flow
        finding, its path: `path`, Markdown; None where the editor shows the path itself), and
        the first fix step with the link.

        VS Code caps a hover at 250 px (a quarter of a taller editor) above its own part (the
        diagnostic's message and related steps, and its status row); a longer hover scrolls and
        its last row is cut. So the message (every editor shows it with the diagnostic) and
        "when this is fine" stay out: the lesson has them.

        An id the catalog lacks still gets a hover built from the finding's message, because a
        hover must never be empty for a diagnostic the editor shows.
        """
        spec = self._specs.get(rule_id)
        if spec is None:
            return "\n\n".join(filter(None, [
                f"**{rule_id}**" + (f": {_escape(message)}" if message else ""), path]))
        fix = f"**Fix:** {first_step(spec.lesson.how_to_fix)}"
        return "\n\n".join(filter(None, [
            f"**{spec.title}** ({spec.id}) · {spec.severity} severity · "
            f"[CWE-{spec.cwe.id}]({cwe_url(spec.cwe.id)})",
            None if path is None else path or spec.lesson.summary,
            f"{fix} [Learn more]({learn_more_uri})" if learn_more_uri else fix,
        ]))

    def hints(self) -> dict[str, str]:
        """One plain line per rule, for `bastion check` output."""
        return {spec.id: plain_text(first_step(spec.lesson.how_to_fix))
                for spec in self._specs.values()}

    def explain_payload(self, rule_id: str) -> dict:
        """Everything about one rule, JSON-ready (camelCase keys, as the LSP client expects)."""
        spec = self._spec(rule_id)
        lesson = spec.lesson
        return {
            "id": spec.id,
            "name": spec.name,
            "title": spec.title,
            "severity": spec.severity,
            "confidence": spec.confidence,
            "cwe": {"id": spec.cwe.id, "name": spec.cwe.name, "url": cwe_url(spec.cwe.id),
                    "broader": list(spec.cwe.broader)},
            "owasp": {"id": spec.owasp, "name": spec.owasp_name, "url": owasp_url(spec.owasp)},
            "tags": list(spec.tags),
            "summary": lesson.summary,
            "why": lesson.why,
            "howToFix": lesson.how_to_fix,
            "vulnerable": lesson.vulnerable,
            "fixed": lesson.fixed,
            "references": list(lesson.references),
            "whenFine": lesson.when_fine,
            "howToTest": lesson.how_to_test,
            "variants": [{"framework": key, "name": FRAMEWORKS[key], "text": text}
                         for key, text in lesson.variants],
            "affectedVersions": list(lesson.affected_versions),
            "attack": {"runs": lesson.attack_runs,
                       "reason": "" if lesson.attack_runs else lesson.attack},
            "markdown": self.markdown(rule_id),
        }


def _escape(message: str) -> str:
    # Bandit messages quote code with underscores and asterisks that would turn into emphasis.
    return "".join("\\" + c if c in "\\`*_[]<>" else c for c in message)


@functools.cache
def load_catalog() -> RuleCatalog:
    """The shipped catalog, loaded once per process; never raises, so the server keeps running."""
    try:
        return RuleCatalog.from_directory(rules_dir())
    except Exception:  # a broken install must cost the lessons, not the diagnostics
        log.exception("the rule catalog could not be loaded")
        return RuleCatalog(())


def quick_hints(rule_ids) -> dict[str, str]:
    """Hints for just these rules, read straight from their files: a terminal report of a few
    rules should not pay for loading and validating the whole catalog."""
    from bastion.catalog.loader import tomllib  # tomli below Python 3.11

    folder = rules_dir()
    hints: dict[str, str] = {}
    for rule_id in set(rule_ids):
        path = folder / ("bastion" if rule_id.startswith("BST") else "bandit") / f"{rule_id}.toml"
        try:
            lesson = tomllib.loads(path.read_text(encoding="utf-8")).get("lesson", {})
            hints[rule_id] = plain_text(first_step(lesson["how_to_fix"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # no hint is better than a crash in a report
    return hints


def _language(lesson) -> str:
    """The code fence's language: Python, or plain text for a manifest's lines."""
    return "python" if lesson.example_is_python else "text"
