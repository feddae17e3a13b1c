"""Each lesson's attack, run offline and harmlessly: it succeeds on `vulnerable`, fails on `fixed`.

Issue 13 item 2. An attack here is the lesson's own story reduced to a harmless marker: an SQL
injection against an in-memory sqlite database, a tar member escaping a temporary folder, a
shell command that only echoes, YAML that calls `sum`, a TLS server on the loopback with a
certificate the client should refuse. A lesson's `attack` field says "runs" exactly when it is
in ATTACKS, and otherwise why it cannot run; the terminal summary (tests/conftest.py) reports
how many lessons executed an attack end to end.

The attacks live beside this file, by kind: lesson_data_attacks (parsers, loaders, files,
processes), lesson_local_attacks (a local user, a token holder, ciphers), lesson_web_attacks
(views, through lesson_web's stand-ins for Flask and requests), lesson_tls_attacks (impostor
servers), lesson_wire_attacks (a network observer), lesson_django_attacks,
lesson_prediction_attacks (a generator rebuilt from its outputs), lesson_debugger_attacks (a development
server's console), lesson_snmp_attacks (an observer of SNMP traffic), lesson_ipmi_attacks (an
observer of a BMC login). This module runs them
on each example, in a sandbox: the paths and hosts an example hard-codes are moved to a temporary
folder or a loopback server.
"""

from __future__ import annotations

import base64
import contextlib
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest
from tests.unit import lesson_data_attacks as data
from tests.unit import lesson_debugger_attacks as debugger
from tests.unit import lesson_django_attacks as django
from tests.unit import lesson_ipmi_attacks as ipmi
from tests.unit import lesson_local_attacks as local
from tests.unit import lesson_prediction_attacks as prediction
from tests.unit import lesson_snmp_attacks as snmp
from tests.unit import lesson_tls_attacks as tls
from tests.unit import lesson_web_attacks as web
from tests.unit import lesson_wire_attacks as wire
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
    except ModuleNotFoundError as missing:  # a library of the test extra this venv lacks: skip
        if (missing.name or "").partition(".")[0] in sys.stdlib_module_names:
            raise
        pytest.skip(f"{rule_id} needs {missing.name}, not installed here (pip install -e '.[test]')")
    finally:
        del sys.modules[name]
    module.__dict__["__source__"] = code
    return module.__dict__


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


ATTACKS = {
    "B313": data.entity_expansion("parse_invoice", "bytes", "<invoice><id>&m;</id></invoice>", MARKER,
                                  data.has_marker),
    "B314": data.entity_expansion("count_placemarks", "path",
                                  '<kml xmlns="http://www.opengis.net/kml/2.2">&m;</kml>',
                                  "<Placemark/>", lambda count: count == 1),
    "B315": data.entity_expansion("normalize", "bytes", "<r>&m;</r>", MARKER, data.has_marker),
    "B316": data.entity_expansion("read_settings", "str",
                                  '<settings><setting name="a" value="&m;"/></settings>', MARKER,
                                  data.has_marker),
    "B317": data.entity_expansion("count_items", "bytes", "<feed>&m;</feed>", "<item/>",
                                  lambda count: count == 1),
    "B318": data.entity_expansion("svg_size", "bytes", '<svg width="&m;" height="1"/>', MARKER,
                                  data.has_marker),
    "B319": data.entity_expansion("iter_order_ids", "stream", '<orders><order id="&m;"/></orders>',
                                  MARKER, data.has_marker),
    "B405": data.entity_expansion("invoice_total", "bytes", "<invoice>&m;</invoice>",
                                  "<line amount='42'/>", lambda total: total == 42),
    "B406": data.entity_expansion("item_titles", "bytes", '<rss><item title="&m;"/></rss>', MARKER,
                                  data.has_marker),
    "B407": data.entity_expansion("device_names", "str", '<config><device name="&m;"/></config>',
                                  MARKER, data.has_marker),
    "B408": data.entity_expansion("sitemap_urls", "bytes", "<urlset><url><loc>&m;</loc></url></urlset>",
                                  MARKER, data.has_marker),
    "B409": data.entity_expansion("product_names", "str",
                                  '<catalogue><product name="&m;"/></catalogue>', MARKER, data.has_marker),
    "B102": data.settings_code_execution,
    "B607": data.program_from_path("git", lambda code, tmp: code["current_commit"]()),
    "B606": data.program_from_path("cp", data.backup_of),
    "BST102": data.jwt_none,
    "BST109": data.sql_injection,
    "BST114": data.yaml_text_code_execution,
    "BST122": tls.tls_impostor(trust_attacker=True, server_hostname="shop.test"),
    "BST123": tls.tls_impostor(trust_attacker=False, server_hostname="attacker.test"),
    "BST126": data.secret_in_log,
    "BST133": data.world_writable("install_hook"),
    "B608": data.sql_injection,
    "B506": data.yaml_code_execution,
    "B302": data.allocation_by_length_field,
    "B403": data.pickled_cookie,
    "B411": data.xmlrpc_entity,
    "B402": wire.ftp_password,
    "B202": data.tar_traversal("unpack_theme"),
    "BST111": data.tar_traversal("install_plugin"),
    "B602": data.shell_injection("ping", f"-h; echo {MARKER}"),
    "B605": data.shell_injection("resolve", f"-h; echo {MARKER}"),
    "B103": data.world_readable_key,
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
    "B601": tls.remote_shell,
    "B504": tls.legacy_wrap_socket,
    "B502": tls.pinned_tls1,
    "B503": tls.default_tls1,
    "B101": local.assert_under_optimize,
    "B321": wire.ftp_password,
    "B312": wire.telnet_password,
    "B415": ipmi.offline_guess,
    "BST134": snmp.community_reused,
    "BST135": snmp.answer_read,
    "BST112": local.numpy_pickle,
    "B308": django.marked_safe("user_badge", "display_name"),
    "B703": django.marked_safe("name_badge", "first_name"),
    "B610": django.extra_where,
    "B611": django.raw_sql_subquery,
    "BST104": django.host_header,
    "BST103": django.debug_error_page,
    "B612": local.logging_config_listener,
    "B104": local.other_interface,
    "B604": local.shell_target,
    "BST107": web.cors_flask,
    "BST108": web.cors_fastapi,
    "BST132": django.cross_site_post,
    "BST105": django.cookie_over_http,
    "BST130": local.external_entity,
    "BST211": web.external_entity_upload,
    "BST212": web.xpath_injection,
    "B702": local.mako_without_escaping,
    "BST119": local.fixed_iv,
    "B311": prediction.reset_code_prediction,
    "B110": data.surviving_session,
    "B112": data.dropped_block,
    "BST205": web.ldap_wildcard,
    "B201": debugger.debugger_console,
    "BST120": local.precomputed_table,
    "BST216": web.mongo_operator_login,
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
    "B201": {"app.run(": "app.run(port={server}, "},
    "BST216": {"from pymongo import MongoClient": "from mongomock import MongoClient"},
    "BST205": {"Connection(DIRECTORY)": 'Connection(DIRECTORY, client_strategy="MOCK_SYNC")'},
    "B612": {"listen(9030": "listen(0"},
    "B507": {"client.connect(host, ": 'client.connect(host, port={server[port]}, '},
    "B601": {"ssh.connect(host, ": 'ssh.connect(host, port={server[port]}, '},
    "B504": {"6514": "{server[port]}"},
    "B321": {"client.connect(host, ": 'client.connect(host, port={server[ssh]}, '},
    "B312": {"telnetlib.Telnet(host, 23": "telnetlib.Telnet(host, {server[plain]}",
             "client.connect(host, ": 'client.connect(host, port={server[ssh]}, '},
    "B402": {"ssh.connect(host, ": 'ssh.connect(host, port={server[ssh]}, '},
    "B411": {"https://tracker.example.com": "http://127.0.0.1:{server[0]}"},
    "B415": {"password=password)": "password=password, port={server[ipmi]})",
             "https://{bmc}/": "https://{{bmc}}:{server[https]}/",
             "/etc/pki/bmc-ca.pem": "{certs}/internal.pem"},
    "BST134": {"(host, 161)": "(host, {server[port]})"},
    "BST135": {"(host, 161)": "(host, {server[port]})"},
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
