"""Review fixes seen on real vulnerable apps that hid the finding or broke the app: each case is
reproduced here, and the fix now does the right thing or is not offered."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bastion.fixes.testing import apply, fixed, fixes, titles


# -- B324 on a credential: a password KDF, never usedforsecurity=False or a fast hash ---------
@pytest.mark.parametrize("source", [
    "def store(user, password):\n    user.pw_hash = hashlib.md5(password.encode()).hexdigest()\n",
    "def digest(pwd):\n    return hashlib.md5(pwd).hexdigest()\n",
    "def save(db, raw):\n    db.insert(password_hash=hashlib.sha1(raw).hexdigest())\n",
])
def test_credential_hash_gets_a_salted_kdf_only(source):
    text = "import hashlib\n\n\n" + source
    good, _ = fixes(text, "B324")
    assert [f.key for f in good] == ["password-kdf"], [f.title for f in good]
    assert "usedforsecurity" not in apply(text, good[0])
    assert "check the code that verifies stored hashes" in good[0].title
    assert "hmac.compare_digest" in good[0].note and "rehash" in good[0].note


def test_kdf_fix_runs_and_its_stored_value_verifies(tmp_path):
    text = ("import hashlib\n\n\ndef hash_password(password):\n"
            "    return hashlib.md5(password.encode()).hexdigest()\n\n\n"
            "print(hash_password('hunter2'))\n")
    out = fixed(text, "B324")
    script = tmp_path / "kdf.py"
    script.write_text(out, encoding="utf-8")
    stored = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True, timeout=60).stdout.strip()
    salt, _, digest = stored.partition("$")
    assert digest == hashlib.pbkdf2_hmac("sha256", b"hunter2", bytes.fromhex(salt), 600_000).hex()


def test_md5_fed_a_password_through_update_gets_no_hiding_fix():
    text = ("import hashlib\n\n\ndef h(user):\n    m = hashlib.md5()\n    m.update(user.password)\n"
            "    return m.hexdigest()\n")
    assert fixes(text, "B324")[0] == []


def test_md5_of_plain_data_keeps_both_fixes():
    text = "import hashlib\n\n\ndef etag(body):\n    return hashlib.md5(body).hexdigest()\n"
    assert [f.key for f in fixes(text, "B324")[0]] == ["sha256", "not-for-security"]


# -- B104 in a container: the published port must keep working ---------------------------------
SERVER = 'from flask import Flask\n\napp = Flask(__name__)\napp.run(host="0.0.0.0", port=8000)\n'


@pytest.mark.parametrize("container_file", ["Dockerfile", "compose.yaml", "docker-compose.yml"])
def test_bind_fix_not_offered_in_a_container_project(tmp_path, container_file):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / container_file).write_text("FROM python:3.12\n", encoding="utf-8")
    (tmp_path / "src" / "app").mkdir(parents=True)
    path = tmp_path / "src" / "app" / "server.py"
    path.write_text(SERVER, encoding="utf-8")
    assert _fixes_at(path, SERVER, "B104") == []
    (tmp_path / container_file).unlink()
    assert [f.key for f in _fixes_at(path, SERVER, "B104")] == ["localhost"]


def test_container_files_above_the_project_root_do_not_count(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM python:3.12\n", encoding="utf-8")
    project = tmp_path / "other"
    project.mkdir()
    (project / ".git").mkdir()
    path = project / "server.py"
    path.write_text(SERVER, encoding="utf-8")
    assert [f.key for f in _fixes_at(path, SERVER, "B104")] == ["localhost"]


def test_bind_fix_not_offered_in_a_main_block_configured_by_the_environment():
    text = textwrap.dedent('''\
        import os

        from flask import Flask

        app = Flask(__name__)

        if __name__ == "__main__":
            app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
        ''')
    assert fixes(text, "B104")[0] == []
    assert [f.key for f in fixes(text.replace('int(os.environ.get("PORT", "8080"))', "8080"),
                                 "B104")[0]] == ["localhost"]


def _fixes_at(path: Path, text: str, rule: str):
    from bastion.fixes import DocModel, verified
    from bastion.fixes.testing import CONFIG, engine, findings
    model = DocModel.build(text, engine())
    return verified(engine(), model, CONFIG, str(path), findings(text, rule)[0])[0]


# -- BST103: DEBUG off must not make every local request answer 400 ---------------------------
@pytest.mark.parametrize("hosts", ["", 'ALLOWED_HOSTS = []\n', 'ALLOWED_HOSTS = ["shop.example.com"]\n'])
def test_debug_off_not_offered_when_allowed_hosts_refuses_localhost(hosts):
    text = f'DEBUG = True\n{hosts}INSTALLED_APPS = ["shop"]\n'
    assert titles(text, "BST103") == []


@pytest.mark.parametrize("hosts", ['["shop.example.com", "localhost"]', '["*"]',
                                   'os.environ["HOSTS"].split(",")'])
def test_debug_off_offered_when_local_requests_still_pass(hosts):
    text = f'import os\nDEBUG = True\nALLOWED_HOSTS = {hosts}\nINSTALLED_APPS = ["shop"]\n'
    good, _ = fixes(text, "BST103")
    assert [f.key for f in good] == ["debug-off"] and "ALLOWED_HOSTS" in good[0].note


# -- imports go with the existing imports, not after a late one -------------------------------
def test_added_import_goes_with_the_header_imports_in_isort_order():
    header = "import os\nimport sys\n\nimport requests\n\n\n"
    filler = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(270))
    late = "import json  # a late import, line %d\n\n\n"
    tail = "def clean():\n    os.system('make clean')\n"
    text = header + filler + late % (header + filler).count("\n") + tail
    assert text.count("\n") > 1000
    out = fixed(text, "B605")
    assert out.startswith("import os\nimport subprocess\nimport sys\n\nimport requests\n"), \
        out[:80]
    assert out.endswith("    subprocess.call(['make', 'clean'])\n")
    assert out.count("import subprocess") == 1


def test_a_new_section_is_set_apart_by_a_blank_line():
    text = "from flask import request\n\n\ndef f():\n    return eval(request.args['ids'])\n"
    assert fixed(text, "B307").startswith("import ast\n\nfrom flask import request\n\n\ndef f")


def test_third_party_import_goes_after_the_standard_library():
    text = ("import os\n\nimport flask\nimport yaml\n\n\ndef f(data):\n"
            "    return xml.etree.ElementTree.fromstring(data)\n")
    text = text.replace("import os\n", "import os\nimport xml.etree.ElementTree\n")
    out = fixed(text, "B314")
    assert out.startswith("import os\nimport xml.etree.ElementTree\n\nimport defusedxml.ElementTree"
                          "\nimport flask\nimport yaml\n"), out[:120]
