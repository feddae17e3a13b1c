"""What files beside a module tell its context: the template files it names (template_files.py),
the package versions its project declares (declared_versions.py) and whether the user model its
settings name is keyed by text (user_models.py), each joined to the module's digest (the
function memo's key) so that an edit of one of them changes its results.
It sets fields of the module context analysis.py hands it; no state of its own."""

from __future__ import annotations

from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.declared_versions import Declared
from bastion.analyzers.taint.template_files import ModuleTemplates
from bastion.analyzers.taint.user_models import NO_USER, ProjectUser
from bastion.digests import blake2b


def with_files(module: ModuleContext, templates: ModuleTemplates, declared: Declared,
               user: ProjectUser = NO_USER) -> None:
    if templates.found:
        module.templates = templates.found
        module.digest = blake2b(module.digest + templates.digest, digest_size=16).digest()
    module.declared = declared
    if declared.digest:
        module.digest = blake2b(module.digest + declared.digest, digest_size=16).digest()
    if user.keys:
        module.text_user_keys = module.text_user_keys | user.keys
        module.digest = blake2b(module.digest + user.digest, digest_size=16).digest()
