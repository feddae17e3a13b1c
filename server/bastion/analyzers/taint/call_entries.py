"""What a callee's qualified name and final attribute decide of a call before any value is
looked at: each model section's entries for it (sinks, callbacks, sanitizers, sources,
propagators) and the blocks of evaluate_call's checks it can meet. A call resolves its callee
once to this entry and branches on it (issue 12: a call asked each section and each block of
checks in turn, ~20 look-ups a call, most of them empty), so that the checks a call cannot meet
are not entered.

An entry depends on the models alone: `specs.Models.call_entries` holds them for the models'
life, filled here (the same few names recur in every function of every file), emptied past
50,000 as model_index.py's memo is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.analyzers.taint.calls import checks_met
from bastion.analyzers.taint.escapes import keeps
from bastion.analyzers.taint.readers import READERS, READING_METHODS
from bastion.analyzers.taint.verdicts import XML_DOCUMENTS

if TYPE_CHECKING:
    from bastion.analyzers.taint.specs import Models


class CallEntry:
    """`shape`: calls.py's blocks of checks; `sanitizers` by the name, else `method_sanitizers`
    (for a call no propagator names, of a method not of this module); `propagators` by the name,
    else by the method; `sources` the name's; `sinks`: whether check_call_sinks may find one (by
    the name, the method, or the method a local name is bound to); `callbacks`: whether a
    callback model names it; for escapes.py, `keeps_arguments`: a reader, sanitizer or
    propagator, which keeps none of the containers it is handed, `reads_receiver` a method
    that only reads its receiver, `keeps_receiver` one that leaves it as calls.py sees it."""

    __slots__ = ("shape", "sanitizers", "method_sanitizers", "propagators", "sources", "sinks",
                 "callbacks", "keeps_arguments", "reads_receiver", "keeps_receiver")

    def __init__(self, models: Models, name: str | None, method: str | None) -> None:
        self.shape = checks_met(name, method)
        named_propagators = models.propagators.by_name(name)
        self.sanitizers = models.sanitizers.by_name(name)
        self.method_sanitizers = models.sanitizers.methods.get(method, []) \
            if method and not named_propagators else []
        self.propagators = named_propagators or (models.propagators.methods.get(method, [])
                                                 if method else [])
        self.sources = models.sources.by_name(name)
        bound = name.rpartition(".")[2] if method is None and name is not None else None
        self.sinks = name in XML_DOCUMENTS or bool(models.sinks.by_name(name)) \
            or method in models.sinks.methods or bound in models.sinks.methods
        self.callbacks = bool(models.callbacks.by_name(name)) or method in models.callbacks.methods
        self.keeps_arguments = name in READERS or (name is not None and bool(
            self.sanitizers or named_propagators))
        self.reads_receiver = method in READING_METHODS
        self.keeps_receiver = method is not None and keeps(method, name)


class CallEntries(dict):
    """A models' entries by (qualified name, final attribute), each made when first asked:
    `entries[name, method]` is the one look-up a call makes."""

    __slots__ = ("_models",)

    def __init__(self, models: Models) -> None:
        super().__init__()
        self._models = models

    def __missing__(self, key: tuple[str | None, str | None]) -> CallEntry:
        if len(self) > 50_000:  # the names calls resolve to, over every file opened, are not bounded
            self.clear()
        found = self[key] = CallEntry(self._models, *key)
        return found
