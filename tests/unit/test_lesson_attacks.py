"""Each lesson's attack, run offline and harmlessly: it succeeds on `vulnerable`, fails on `fixed`.

Issue 13 item 2. An attack here is the lesson's own story reduced to a harmless marker: an SQL
injection against an in-memory sqlite database, a tar member escaping a temporary folder, a
shell command that only echoes, YAML that calls `sum`, a TLS server on the loopback with a
certificate the client should refuse. A lesson's `attack` field says "runs" exactly when it is
in ATTACKS, and otherwise why it cannot run; the terminal summary (tests/conftest.py) reports
how many lessons executed an attack end to end.
"""

from __future__ import annotations

import base64
import contextlib
import io
import logging
import os
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import tarfile
import threading
import types
from pathlib import Path

import pytest
from tests.unit import lesson_django_attacks as django
from tests.unit import lesson_local_attacks as local
from tests.unit import lesson_tls_attacks as tls
from tests.unit import lesson_web_attacks as web
from tests.unit.lesson_web import MARKER, standins

from bastion.catalog.loader import load_rule_files
from bastion.catalog.paths import rules_dir

BY_ID = {spec.id: spec for spec in load_rule_files(rules_dir())[0]}


def _source(rule_id: str, which: str, replace: dict[str, str]) -> str:
    code = getattr(BY_ID[rule_id].lesson, which)
    for old, new in replace.items():  # a sandbox path for one the example hard-codes
        code = code.replace(old, new)
    return code


def _module(rule_id: str, which: str, replace: dict[str, str] | None = None,
            real: frozenset[str] = frozenset()) -> dict:
    name = f"lesson_{rule_id}_{which}"
    module = types.ModuleType(name)
    module.__file__ = f"{name}.py"  # settings modules find their folder from it
    sys.modules[name] = module
    try:
        code = _source(rule_id, which, replace or {})
        with standins(real):
            exec(compile(code, f"<{name}>", "exec"), module.__dict__)  # noqa: S102 - lesson examples
    finally:
        del sys.modules[name]
    module.__dict__["__source__"] = code
    return module.__dict__


def sql_injection(code: dict, tmp: Path) -> bool:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE users (id INTEGER, name TEXT, email TEXT)")
    conn.execute("INSERT INTO users VALUES (1, 'admin', 'admin@example.com')")
    return code["find_user"](conn, "nobody@example.com' OR '1'='1") is not None


def yaml_text_code_execution(code: dict, tmp: Path) -> bool:
    pytest.importorskip("yaml")
    try:
        return code["read_pipeline"]("!!python/object/apply:builtins.sum [[40, 2]]\n") == 42
    except Exception:
        return False


def settings_code_execution(code: dict, tmp: Path) -> bool:
    path = tmp / "settings.conf"
    path.write_text("ANSWER = sum([40, 2])\n", encoding="utf-8")
    try:
        return code["load_settings"](path).get("ANSWER") == 42  # the file's code ran
    except ValueError:
        return False


def entity_expansion(function: str, kind: str, body: str, entity: str, expanded):
    """The document declares an entity and uses it: a parser that expands it is open to billion
    laughs and quadratic blowup (a bomb is this, nested); `defusedxml` refuses the declaration.
    `expanded(result)` says whether the entity's text or markup reached the result."""
    def attack(code: dict, tmp: Path) -> bool:
        defusedxml = pytest.importorskip("defusedxml")
        text = f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY m "{entity}">]>\n{body}\n'
        if kind == "path":
            (tmp / "doc.xml").write_text(text, encoding="utf-8")
            argument = str(tmp / "doc.xml")
        elif kind == "stream":
            argument = io.BytesIO(text.encode())
        else:
            argument = text if kind == "str" else text.encode()
        try:
            result = code[function](argument)
            if isinstance(result, types.GeneratorType):
                result = list(result)
        except defusedxml.DefusedXmlException:  # any other error is a broken example: loud
            return False
        return bool(expanded(result))
    return attack


def program_from_path(code: dict, tmp: Path) -> bool:
    if os.name != "posix":
        pytest.skip("POSIX executables")
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "git"
    fake.write_text(f"#!/bin/sh\necho {MARKER} > '{tmp / 'ran'}'\necho 0000\n", encoding="utf-8")
    fake.chmod(0o700)
    saved = os.environ["PATH"]
    os.environ["PATH"] = str(bin_dir)  # the attacker controls an earlier PATH entry
    try:
        code["current_commit"]()
    except (OSError, subprocess.CalledProcessError):
        pass
    finally:
        os.environ["PATH"] = saved
    return (tmp / "ran").exists()


def secret_in_log(code: dict, tmp: Path) -> bool:
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.DEBUG)
    try:
        code["login"]("alice", MARKER)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    return any(MARKER in record.getMessage() for record in records)


def world_writable(function: str):
    def attack(code: dict, tmp: Path) -> bool:
        if os.name != "posix":
            pytest.skip("POSIX permission bits")
        path = tmp / "hook"
        path.write_text("#!/bin/sh\n", encoding="utf-8")
        code[function](str(path))
        return bool(path.stat().st_mode & 0o002)
    return attack


def jwt_none(code: dict, tmp: Path) -> bool:
    """The issuer's side: a token with no signature can be rewritten by whoever holds one."""
    jwt = pytest.importorskip("jwt")
    issue = code["issue_token"]
    issued = issue("alice") if issue.__code__.co_argcount == 1 else issue("alice", "k" * 32)
    forged = jwt.encode({"sub": "admin"}, None, algorithm="none")
    read = code.get("read_claims")
    if read is not None:
        try:
            if read(forged, "k" * 32)["sub"] == "admin":
                return True
        except jwt.InvalidTokenError:
            pass
    return jwt.get_unverified_header(issued).get("alg") == "none"  # its tokens bind nothing


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    """Self-signed certificates for `attacker.test` and `internal.test`, made by the openssl
    command."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not found")
    folder = tmp_path_factory.mktemp("tls")
    # The genuine internal service is reached at 127.0.0.1 (B501); the attacker's name is its own.
    names = {"attacker": "DNS:attacker.test", "internal": "DNS:internal.test,IP:127.0.0.1"}
    for name in names:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", f"/CN={name}.test", "-addext", f"subjectAltName={names[name]}",
                        "-keyout", str(folder / f"{name}.key"), "-out", str(folder / f"{name}.pem")],
                       check=True, capture_output=True)
    return folder


def _tls_server(cert: Path, key: Path) -> tuple[int, threading.Thread]:
    """A loopback TLS server that sends MARKER to the first client that completes a handshake."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        with listener:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    tls.sendall(MARKER.encode())
            except (ssl.SSLError, OSError):
                pass  # the client refused the certificate

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener.getsockname()[1], thread


def tls_impostor(trust_attacker: bool, server_hostname: str):
    """A man in the middle presents attacker.test's certificate for `server_hostname`.

    `trust_attacker`: the attacker's certificate is issued by a CA the client trusts (a public
    CA will sign the attacker's own domain), so only the host-name check can stop them.
    """
    def attack(code: dict, tmp: Path, certs: Path) -> bool:
        port, thread = _tls_server(certs / "attacker.pem", certs / "attacker.key")
        try:
            context = code["make_context"]()
            if trust_attacker:
                context.load_verify_locations(certs / "attacker.pem")
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
                    context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                return tls.recv(64) == MARKER.encode()
        except (ssl.SSLError, OSError):
            return False
        finally:
            thread.join(10)
    attack.needs_certificates = True
    return attack


def yaml_code_execution(code: dict, tmp: Path) -> bool:
    pytest.importorskip("yaml")
    path = tmp / "pipeline.yml"
    path.write_text("!!python/object/apply:builtins.sum [[40, 2]]\n", encoding="utf-8")
    try:
        return code["load_pipeline"](str(path)) == 42  # a function ran, chosen by the document
    except Exception:
        return False


def _escaping_tar(tmp: Path) -> Path:
    archive = tmp / "theme.tar"
    with tarfile.open(archive, "w") as tar:
        data = MARKER.encode()
        member = tarfile.TarInfo("../escaped.txt")
        member.size = len(data)
        tar.addfile(member, io.BytesIO(data))
    return archive


def tar_traversal(function: str):
    def attack(code: dict, tmp: Path) -> bool:
        if not hasattr(tarfile, "data_filter"):
            pytest.skip("this Python predates tarfile extraction filters")
        dest = tmp / "dest"
        dest.mkdir()
        try:
            code[function](str(_escaping_tar(tmp)), str(dest))
        except tarfile.TarError:
            pass
        return (tmp / "escaped.txt").exists()
    return attack


def shell_injection(function: str, payload: str):
    def attack(code: dict, tmp: Path) -> bool:
        if os.name != "posix":
            pytest.skip("POSIX shell")
        try:
            output = code[function](payload)
        except (ValueError, OSError):
            return False
        return MARKER in output
    return attack


def world_readable_key(code: dict, tmp: Path) -> bool:
    if os.name != "posix":
        pytest.skip("POSIX permission bits")
    path = tmp / "key.pem"
    code["save_private_key"](str(path), b"-----BEGIN PRIVATE KEY-----")
    return bool(path.stat().st_mode & 0o077)


def _has_marker(result) -> bool:
    return MARKER in repr(result)


ATTACKS = {
    "B313": entity_expansion("parse_invoice", "bytes", "<invoice><id>&m;</id></invoice>", MARKER,
                             _has_marker),
    "B314": entity_expansion("count_placemarks", "path",
                             '<kml xmlns="http://www.opengis.net/kml/2.2">&m;</kml>',
                             "<Placemark/>", lambda count: count == 1),
    "B315": entity_expansion("normalize", "bytes", "<r>&m;</r>", MARKER, _has_marker),
    "B316": entity_expansion("read_settings", "str",
                             '<settings><setting name="a" value="&m;"/></settings>', MARKER,
                             _has_marker),
    "B317": entity_expansion("count_items", "bytes", "<feed>&m;</feed>", "<item/>",
                             lambda count: count == 1),
    "B318": entity_expansion("svg_size", "bytes", '<svg width="&m;" height="1"/>', MARKER,
                             _has_marker),
    "B319": entity_expansion("iter_order_ids", "stream", '<orders><order id="&m;"/></orders>',
                             MARKER, _has_marker),
    "B405": entity_expansion("invoice_total", "bytes", "<invoice>&m;</invoice>",
                             "<line amount='42'/>", lambda total: total == 42),
    "B406": entity_expansion("item_titles", "bytes", '<rss><item title="&m;"/></rss>', MARKER,
                             _has_marker),
    "B407": entity_expansion("device_names", "str", '<config><device name="&m;"/></config>',
                             MARKER, _has_marker),
    "B408": entity_expansion("sitemap_urls", "bytes", "<urlset><url><loc>&m;</loc></url></urlset>",
                             MARKER, _has_marker),
    "B409": entity_expansion("product_names", "str",
                             '<catalogue><product name="&m;"/></catalogue>', MARKER, _has_marker),
    "B102": settings_code_execution,
    "B607": program_from_path,
    "BST102": jwt_none,
    "BST109": sql_injection,
    "BST114": yaml_text_code_execution,
    "BST122": tls_impostor(trust_attacker=True, server_hostname="shop.test"),
    "BST123": tls_impostor(trust_attacker=False, server_hostname="attacker.test"),
    "BST126": secret_in_log,
    "BST133": world_writable("install_hook"),
    "B608": sql_injection,
    "B506": yaml_code_execution,
    "B202": tar_traversal("unpack_theme"),
    "BST111": tar_traversal("install_plugin"),
    "B602": shell_injection("ping", f"-h; echo {MARKER}"),
    "B605": shell_injection("resolve", f"-h; echo {MARKER}"),
    "B103": world_readable_key,
    "BST201": web.path_traversal("download", "name"),
    "BST202": web.os_command_injection,
    "BST203": web.html_injection,
    "BST204": web.sql_injection_view,
    "BST206": web.code_injection("calc", "expr", "2*(3+4)", {"result": 14}),
    "BST207": web.log_injection,
    "BST208": web.session_injection,
    "BST209": web.pickle_payload("cart", "form", lambda raw: {"cart": base64.b64encode(raw).decode()}),
    "BST210": web.open_redirect("done"),
    "BST213": web.ssrf("preview", "url"),
    "BST215": web.regex_backtracking,
    "BST127": web.open_redirect("after_login"),
    "BST128": web.ssrf("preview", "url"),
    "B301": web.pickle_payload("restore_cart", "data", lambda raw: raw),
    "B307": web.code_injection("chart", "points", "[(1, 2), (3, 4)]", {"count": 2}),
    "B310": web.ssrf_function,
    "BST101": local.forged_token,
    "B108": local.planted_symlink,
    "B609": local.tar_wildcard,
    "B603": local.curl_file_url,
    "B113": local.unbounded_wait,
    "BST110": web.template_injection,
    "BST214": web.template_injection,
    "B701": local.template_without_escaping,
    "B704": local.markup_from_text,
    "B324": local.md5_collision,
    "B306": local.temp_name_race,
    "B303": local.md5_collision_fingerprint,
    "B305": local.ecb_pattern("cryptography"),
    "BST117": local.ecb_pattern("Cryptodome"),
    "BST129": web.flask_path_traversal,
    "B323": tls.unverified_connection,
    "B501": tls.requests_verify,
    "BST124": tls.session_verify,
    "BST125": tls.aiohttp_ssl_off,
    "B507": tls.ssh_unknown_host,
    "BST112": local.numpy_pickle,
    "B308": django.marked_safe("user_badge", "display_name"),
    "B703": django.marked_safe("name_badge", "first_name"),
    "B610": django.extra_where,
    "B611": django.raw_sql_subquery,
    "BST104": django.host_header,
    "BST103": django.debug_error_page,
    "B612": local.logging_config_listener,
    "B104": local.other_interface,
    "BST107": web.cors_flask,
    "BST108": web.cors_fastapi,
    "BST132": django.cross_site_post,
    "BST130": local.external_entity,
    "BST211": web.external_entity_upload,
    "BST212": web.xpath_injection,
    "B702": local.mako_without_escaping,
    "BST119": local.fixed_iv,
}


# Paths and hosts an example hard-codes, moved into the sandbox for the run (and a timeout scaled
# down with them, so that the run stays short).
SANDBOX_PATHS = {
    "B113": {"https://api.example.com/v1/rates": "http://127.0.0.1:{server}/v1/rates",
             "timeout=10": "timeout=0.3"},
    "BST123": {"/etc/ssl/certs/internal-ca.pem": "{certs}/internal.pem"},
    "B501": {"https://billing.internal": "https://127.0.0.1:{server.port}",
             "/etc/ssl/certs/internal-ca.pem": "{certs}/internal.pem"},
    "BST201": {"/srv/uploads": "{tmp}/files"},
    "BST129": {"/srv/reports": "{tmp}/reports"},
    "BST204": {'"app.db"': '"{tmp}/app.db"'},
    "B701": {'"templates"': '"{tmp}/templates"'},
    "BST212": {'"users.xml"': '"{tmp}/users.xml"'},
    "B612": {"listen(9030": "listen(0"},
    "B507": {"client.connect(host, ": 'client.connect(host, port={server[port]}, '},
    "B108": {"/tmp/users_export.csv": "{tmp}/shared/users_export.csv"},
    "B609": {"/var/backups/uploads.tgz": "{tmp}/backups/uploads.tgz", "/srv/app/uploads": "{tmp}/uploads"},
}


def _run(rule_id: str, which: str, tmp_path: Path, request) -> bool:
    """The attack on one example: `attack(code, tmp, [certs], [server])`. The certificates and
    the context the example runs in (`attack.around`: a loopback server, Django, an environment
    variable) are made before the example is loaded, so that the sandbox can move the example's
    hosts and paths to them."""
    attack = ATTACKS[rule_id]
    places: dict = {"tmp": tmp_path}
    extras = []
    if getattr(attack, "needs_certificates", False):
        places["certs"] = request.getfixturevalue("certificates")
        extras.append(places["certs"])
    with attack.around(tmp_path, *extras) if hasattr(attack, "around") else contextlib.nullcontext() \
            as server:
        if server is not None:
            places["server"] = server
            extras.append(server)
        replace = _sandbox(rule_id, **places)
        if getattr(attack, "loads_in_a_child", False):  # loading it starts a server: not in here
            return attack({"__source__": _source(rule_id, which, replace)}, tmp_path, *extras)
        code = _module(rule_id, which, replace, getattr(attack, "real", frozenset()))
        return attack(code, tmp_path, *extras)


def _sandbox(rule_id: str, **places) -> dict[str, str]:
    return {old: new.format(**places) for old, new in SANDBOX_PATHS.get(rule_id, {}).items()}


@pytest.mark.parametrize("rule_id", sorted(ATTACKS))
def test_attack_succeeds_on_vulnerable(rule_id, tmp_path, request):
    assert _run(rule_id, "vulnerable", tmp_path, request), \
        f"{rule_id}: the lesson's attack does not work on its vulnerable example"


@pytest.mark.parametrize("rule_id", sorted(ATTACKS))
def test_attack_fails_on_fixed(rule_id, tmp_path, request):
    assert not _run(rule_id, "fixed", tmp_path, request), \
        f"{rule_id}: the lesson's attack still works on its fixed example"


def test_the_lessons_say_which_attacks_run():
    says_runs = {spec.id for spec in BY_ID.values() if spec.lesson.attack_runs}
    assert says_runs == set(ATTACKS), (
        f"lessons saying attack = \"runs\" without a harness case: {sorted(says_runs - set(ATTACKS))}; "
        f"harness cases whose lesson gives a reason instead: {sorted(set(ATTACKS) - says_runs)}")


def coverage_lines(passed_node_ids: list[str]) -> list[str]:
    """The terminal summary: lessons whose attack ran end to end in this session, and why the
    others cannot."""
    outcomes: dict[str, set[str]] = {}
    for node_id in passed_node_ids:
        test, _, rule_id = node_id.partition("[")
        if "test_lesson_attacks.py::test_attack_" in test:
            outcomes.setdefault(rule_id.rstrip("]"), set()).add(test.rsplit("_", 1)[1])
    ran = sorted(r for r, kinds in outcomes.items() if kinds == {"vulnerable", "fixed"})
    cannot = sorted(spec.id for spec in BY_ID.values() if not spec.lesson.attack_runs)
    skipped = sorted(set(ATTACKS) - set(ran))
    lines = [f"lesson attacks: {len(ran)} of {len(BY_ID)} lessons executed an attack end to end "
             f"(succeeds on vulnerable, fails on fixed): {', '.join(ran)}"]
    if skipped:
        lines.append(f"  in the harness but not run to the end here (skipped or failed): "
                     f"{', '.join(skipped)}")
    lines.append(f"  {len(cannot)} lessons say why their attack cannot run (`bastion explain "
                 f"<id>` or the rule file's `attack` field)")
    return lines
