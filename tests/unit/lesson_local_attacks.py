"""Lesson attacks by a local user or a token holder (for tests/unit/test_lesson_attacks.py): files
planted in a shared folder of the sandbox, names a shell turns into options, a token signed with
the attacker's own key. An attack returns whether it worked."""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import os
import shlex
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import pytest
from tests.unit.lesson_web import (
    MARKER,
    PickledCall,
    probe_called,
    recording_program,
    silent_http,
    still_running_after,
)


def _hs256(claims: dict, secret: bytes) -> str:
    """A token signed by hand: PyJWT refuses to use a PEM public key as an HMAC secret, an
    attacker's code does not (the algorithm confusion attack)."""
    def part(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")
    header = json.dumps({"alg": "HS256", "typ": "JWT"}).encode()
    signed = part(header) + b"." + part(json.dumps(claims).encode())
    return (signed + b"." + part(hmac.new(secret, signed, "sha256").digest())).decode()


def forged_token(code: dict, tmp: Path) -> bool:
    """Tokens claiming to be admin: signed with the attacker's own key, with no signature, and
    HS256 keyed with the issuer's public key. The issuer's genuine RS256 token is read first."""
    jwt = pytest.importorskip("jwt")
    pytest.importorskip("cryptography")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    read = code["current_user_id"]
    keys = () if read.__code__.co_argcount == 1 else (public_pem.decode(),)
    assert read(jwt.encode({"sub": "alice"}, private, algorithm="RS256"), *keys) == "alice"
    forged = (jwt.encode({"sub": "admin"}, "attacker's own key, 32 bytes long", algorithm="HS256"),
              jwt.encode({"sub": "admin"}, None, algorithm="none"),
              _hs256({"sub": "admin"}, public_pem))
    for token in forged:
        try:
            if read(token, *keys) == "admin":
                return True
        except jwt.InvalidTokenError:
            pass
    return False


def planted_symlink(code: dict, tmp: Path) -> bool:
    """Another user links the predictable name in the shared temporary folder (here `{tmp}/shared`)
    to a file the service owns; the export then overwrites that file."""
    if os.name != "posix":
        pytest.skip("POSIX symlinks")
    shared = tmp / "shared"
    shared.mkdir()
    owned = tmp / "service.conf"
    owned.write_text(MARKER, encoding="utf-8")
    (shared / "users_export.csv").symlink_to(owned)
    saved = tempfile.tempdir
    tempfile.tempdir = str(shared)  # the fixed example's `tempfile` uses the same shared folder
    try:
        path = code["export_users"]([("alice", "alice@example.com")])
    finally:
        tempfile.tempdir = saved
    assert Path(path).read_bytes() == b"alice,alice@example.com\r\n"
    return owned.read_text(encoding="utf-8") != MARKER


def tar_wildcard(code: dict, tmp: Path) -> bool:
    """Uploads named `--checkpoint=1` and `--checkpoint-action=exec=sh shell.sh` become GNU tar
    options when the shell expands `*`; shell.sh only writes a file in tmp."""
    tar = shutil.which("tar")
    if os.name != "posix" or tar is None or "GNU tar" not in subprocess.run(
            [tar, "--version"], capture_output=True, text=True).stdout:
        pytest.skip("the attack needs GNU tar")
    uploads, ran = tmp / "uploads", tmp / "ran"
    uploads.mkdir()
    (tmp / "backups").mkdir()
    (uploads / "shell.sh").write_text(f"echo {MARKER} > {shlex.quote(str(ran))}\n", encoding="utf-8")
    (uploads / "--checkpoint=1").write_text("", encoding="utf-8")
    (uploads / "--checkpoint-action=exec=sh shell.sh").write_text("", encoding="utf-8")
    code["backup_uploads"]()
    assert (tmp / "backups" / "uploads.tgz").stat().st_size > 0
    return ran.exists()


def curl_file_url(code: dict, tmp: Path) -> bool:
    """curl fetches more than HTTP: a `file://` link copies the service's own secrets (here
    `{tmp}/app/.env`) to where downloads go."""
    if not os.access("/usr/bin/curl", os.X_OK):
        pytest.skip("the example runs /usr/bin/curl")
    secret, dest = tmp / "app" / ".env", tmp / "download"
    secret.parent.mkdir()
    secret.write_text(MARKER, encoding="utf-8")
    try:
        code["download"](f"file://{secret}", str(dest))
    except (ValueError, subprocess.CalledProcessError):
        pass
    return dest.exists() and MARKER in dest.read_text(encoding="utf-8")


def unbounded_wait(code: dict, tmp: Path, port: int) -> bool:
    """The upstream accepts the connection and never answers: without a timeout the call waits
    for ever (here: still waiting after 0.8 s; the sandbox scales the fixed example's timeout to
    0.3 s)."""
    return still_running_after(code["fetch_exchange_rates"], 0.8)


unbounded_wait.around = lambda tmp: silent_http()


def template_without_escaping(code: dict, tmp: Path) -> bool:
    """A profile name with a script in it, rendered by the lesson's Jinja2 environment."""
    pytest.importorskip("jinja2")
    (tmp / "templates").mkdir()
    (tmp / "templates" / "profile.html").write_text("<p>{{ user.name }}</p>\n", encoding="utf-8")
    page = code["render_profile"]({"name": f"<script>{MARKER}</script>"})
    return "<script>" in page


def markup_from_text(code: dict, tmp: Path) -> bool:
    """`Markup` vouches that its text is safe HTML: a comment's author with a script in it."""
    pytest.importorskip("markupsafe")
    html = str(code["comment_html"](f"<script>{MARKER}</script>", "hello"))
    assert "hello" in html
    return "<script>" in html


# Wang and Yu's 2004 MD5 collision: two 128-byte messages with one MD5 digest
# (79054025255fb1a26e4bc422aef54eb4). The twin differs in the top bit of six bytes.
MD5_GENUINE = bytes.fromhex(
    "d131dd02c5e6eec4693d9a0698aff95c2fcab58712467eab4004583eb8fb7f89"
    "55ad340609f4b30283e488832571415a085125e8f7cdc99fd91dbdf280373c5b"
    "d8823e3156348f5bae6dacd436c919c6dd53e2b487da03fd02396306d248cda0"
    "e99f33420f577ee8ce54b67080a80d1ec69821bcb6a8839396f9652b6ff72a70")
MD5_TWIN = bytes(byte ^ 0x80 if i in (19, 45, 59, 83, 109, 123) else byte
                 for i, byte in enumerate(MD5_GENUINE))


def md5_collision(code: dict, tmp: Path) -> bool:
    """The publisher's digest of the genuine download also verifies the attacker's twin. The
    digest is the one (among the usual algorithms) the example's check accepts for the genuine
    file, as a publisher would compute it."""
    import hashlib
    verify = code["verify_download"]
    published = next(digest for digest in (hashlib.new(name, MD5_GENUINE).hexdigest()
                                           for name in ("md5", "sha1", "sha256", "sha512", "blake2b"))
                     if verify(MD5_GENUINE, digest))
    return verify(MD5_TWIN, published)


def precomputed_table(code: dict, tmp: Path) -> bool:
    """A table of common passwords' hashes, made with the example's own function before the leak,
    names a leaked user's password by lookup; a per-user salt makes every stored hash new to it.
    (The GPU speed of the story's second half is a cost, not run here.)"""
    hash_password = code["hash_password"]
    table = {hash_password(password): password for password in ("123456", "hunter2")}
    return table.get(hash_password("hunter2")) == "hunter2"


def temp_name_race(code: dict, tmp: Path) -> bool:
    """Another user links the temporary name to a file the service owns in the window between
    the name being chosen and the file being opened. The window is real; its timing is not run:
    the link is planted the moment the name is returned (with `mkstemp` the file already exists
    then, and planting fails)."""
    if os.name != "posix":
        pytest.skip("POSIX symlinks")
    shared, owned = tmp / "shared", tmp / "service.conf"
    shared.mkdir()
    owned.write_text(MARKER, encoding="utf-8")

    def plant(name: str) -> None:
        with contextlib.suppress(FileExistsError):  # the name is already a file: too late
            Path(name).symlink_to(owned)

    def mktemp(*args, **kwargs):
        name = tempfile.mktemp(*args, dir=shared, **kwargs)  # noqa: S306 - the race under test
        plant(name)
        return name

    def mkstemp(*args, **kwargs):
        fd, name = tempfile.mkstemp(*args, dir=shared, **kwargs)
        plant(name)
        return fd, name

    code["tempfile"] = types.SimpleNamespace(mktemp=mktemp, mkstemp=mkstemp)
    code["export_report"](["a,b", "c,d"])
    return owned.read_text(encoding="utf-8") != MARKER


def md5_collision_fingerprint(code: dict, tmp: Path) -> bool:
    """Two different documents, one fingerprint."""
    pytest.importorskip("cryptography")
    return code["document_fingerprint"](MD5_GENUINE) == code["document_fingerprint"](MD5_TWIN)


def _blocks(data: bytes) -> list[bytes]:
    return [data[i:i + 16] for i in range(0, len(data) - 15, 16)]


def ecb_pattern(library: str):
    """Two equal 16-byte blocks in a record (the same field value twice) come out as two equal
    ciphertext blocks: an observer sees the structure without the key."""
    def attack(code: dict, tmp: Path) -> bool:
        pytest.importorskip(library)
        blocks = _blocks(code["encrypt_record"](bytes(16), b"4111111111111111" * 2))  # 16 bytes twice
        return len(set(blocks)) < len(blocks)
    return attack


def fixed_iv(code: dict, tmp: Path) -> bool:
    """The same message encrypted twice gives the same ciphertext: an observer learns when a
    message repeats."""
    pytest.importorskip("cryptography")
    message = b"transfer 100 EUR" * 2
    return code["encrypt_block"](bytes(16), message) == code["encrypt_block"](bytes(16), message)


def external_entity_document(tmp: Path) -> bytes:
    """A document whose entity is a local file: three elements, where a file of secrets would be."""
    leaked = tmp / "leaked.xml"
    leaked.write_text("<line/><line/><line/>", encoding="utf-8")
    return (f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{leaked.as_uri()}">]>\n'
            "<r>&x;</r>").encode()


def external_entity(code: dict, tmp: Path) -> bool:
    """The file the entity names is read into the parsed document."""
    pytest.importorskip("lxml")
    return len(code["parse_invoice"](external_entity_document(tmp))) == 3


def mako_without_escaping(code: dict, tmp: Path) -> bool:
    pytest.importorskip("mako")
    assert "Hello, tea!" in code["greet"]("tea")
    return "<script>" in code["greet"](f"<script>{MARKER}</script>")


def run_listener_child() -> None:
    """The child side of `logging_config_listener`: argv is the lesson's source. It loads the
    example (which starts its listener), prints the port, and on each line of stdin answers
    whether the probe has run."""
    import logging.config

    from tests.unit.lesson_web import PROBE
    code: dict = {"__name__": "lesson"}
    exec(compile(sys.argv[1], "<lesson>", "exec"), code)  # noqa: S102 - a lesson example
    code["listener"].ready.wait(10)
    print(code["listener"].port, flush=True)
    for _line in sys.stdin:
        print("called" if PROBE.calls else "not called", flush=True)
    logging.config.stopListening()


def logging_config_listener(code: dict, tmp: Path) -> bool:
    """Anyone who can connect sends a logging configuration whose filter factory is a function of
    their choosing (the probe); the example runs in a child process, so the configuration it
    applies does not touch the test process's logging."""
    child = subprocess.Popen(
        [sys.executable, "-c",
         "from tests.unit.lesson_local_attacks import run_listener_child; run_listener_child()",
         code["__source__"]], cwd=Path(__file__).resolve().parents[2], text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "LOG_CONFIG_HMAC_KEY": "the operators' key"})
    try:
        port = int(child.stdout.readline())
        config = json.dumps({"version": 1, "disable_existing_loggers": False,
                             "filters": {"f": {"()": "bastion_attack_probe.ran", "marker": MARKER}}})
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(struct.pack(">L", len(config)) + config.encode())
            conn.recv(1)  # the listener closes the connection once it has handled the configuration
        child.stdin.write("ran?\n")
        child.stdin.flush()
        return child.stdout.readline().strip() == "called"
    finally:
        child.kill()
        child.communicate(timeout=10)


logging_config_listener.loads_in_a_child = True


def numpy_pickle(code: dict, tmp: Path) -> bool:
    """A .npy file of dtype object is a pickle: loading it calls a function of the attacker's
    choosing (the probe)."""
    np = pytest.importorskip("numpy")
    path = tmp / "features.npy"
    array = np.empty(1, dtype=object)
    array[0] = PickledCall(MARKER + "npy")
    np.save(path, array, allow_pickle=True)
    probe_called(MARKER)  # forget earlier runs
    try:
        code["load_features"](str(path))
    except ValueError:  # "Object arrays cannot be loaded when allow_pickle=False"
        pass
    return probe_called(MARKER + "npy")


def _answers(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=1):
            return True
    except OSError:
        return False


def other_interface(code: dict, tmp: Path) -> bool:
    """Is the server reachable at an address other than 127.0.0.1? On Linux all of 127.0.0.0/8
    is the loopback, so 127.0.0.2 stands for the machine's other interfaces: a socket bound to
    0.0.0.0 answers there, one bound to 127.0.0.1 does not. The example serves for ever, so it
    runs in a child process (in tmp, the folder it would serve) that is ended after."""
    if not sys.platform.startswith("linux"):
        pytest.skip("127.0.0.2 is a loopback address on Linux only")
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; exec(sys.argv[1]); serve_build_artifacts(int(sys.argv[2]))",
         code["__source__"], str(port)], cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):  # up to 10 s for the child to listen
            if _answers("127.0.0.1", port) or child.poll() is not None:
                break
            time.sleep(0.1)
        assert _answers("127.0.0.1", port), "the example's server did not start"
        return _answers("127.0.0.2", port)
    finally:
        child.kill()
        child.wait(10)


other_interface.loads_in_a_child = True


def shell_target(code: dict, tmp: Path) -> bool:
    """The backup target ends the rsync command and starts another (which only writes a file in
    tmp); `rsync` on the PATH only records its arguments."""
    pytest.importorskip("psutil")
    if os.name != "posix":
        pytest.skip("POSIX shell")
    ran = tmp / "ran"
    target = f"backup1.internal:/srv/backup/; echo {MARKER} > {shlex.quote(str(ran))}"
    with recording_program(tmp, "rsync"):
        try:
            code["start_backup"](target).wait(10)
        except ValueError:  # not a configured target
            pass
    return ran.exists()


def assert_under_optimize(code: dict, tmp: Path) -> bool:
    """Production runs `python -O` (or PYTHONOPTIMIZE=1), which strips asserts: mallory withdraws
    from alice's account. The example runs in such a child process."""
    script = ("import sys\nexec(sys.argv[1])\naccount = Account('alice', 100)\n"
              "try:\n    withdraw(account, 'mallory', 100)\nexcept PermissionError:\n    pass\n"
              "print(account.balance)\n")
    done = subprocess.run([sys.executable, "-O", "-c", script, code["__source__"]],
                          capture_output=True, text=True, timeout=30, check=True)
    return done.stdout.strip() == "0"


assert_under_optimize.loads_in_a_child = True
