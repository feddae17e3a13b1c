// The documents the server analyses: Python by language, and the files Bastion reads as text
// (manifests, lock files, configuration, shell, Dockerfiles) by name. The names mirror the
// server's bastion/filekinds.py, which decides by path alone: a YAML buffer that is not saved
// has no name the server could tell from Python, so only `file:` documents are selected.
export const TEXT_FILE_PATTERN =
  '**/{requirements*.txt,*requirements.txt,*.in,pyproject.toml,uv.lock,poetry.lock,pdm.lock,' +
  'pylock.toml,pylock.*.toml,Pipfile.lock,.env,.env.*,*.env,Dockerfile,Dockerfile.*,*.dockerfile,' +
  'Containerfile,Containerfile.*,*.yaml,*.yml,*.json,*.toml,*.ini,*.cfg,*.conf,*.properties,*.sh,*.bash,*.zsh,*.ksh}';

/** A filter as vscode-languageclient types it: a language or a pattern, with a scheme. */
export type DocumentFilter = { scheme: string; language: string } | { scheme: string; pattern: string };

export const DOCUMENT_SELECTOR: DocumentFilter[] = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { scheme: 'file', pattern: TEXT_FILE_PATTERN },
];
