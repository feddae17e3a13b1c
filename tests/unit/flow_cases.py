"""The flow matrix's flows: each carries request data (`data`) into `value` in a VULNERABLE form and
puts a constant there in a SAFE twin, the difference following from Python semantics (which list
slot, which key survives, which branch a constant test takes, what a helper returns). `pre` is
module-level code the flow needs (a helper, a class, a global)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flow:
    name: str
    vulnerable: str
    safe: str
    imports: str = ""
    pre_vulnerable: str = ""
    pre_safe: str = ""


FLOWS: tuple[Flow, ...] = (
    Flow("direct", "value = data", 'value = "alpha"'),
    Flow("list_index", 'items = ["alpha", data]\nvalue = items[1]',
         'items = ["alpha", data]\nvalue = items[0]'),
    Flow("list_append_pop", 'items = ["alpha"]\nitems.append(data)\nvalue = items.pop()',
         'items = [data]\nitems.append("alpha")\nvalue = items.pop()'),
    Flow("list_insert", 'items = ["alpha"]\nitems.insert(0, data)\nvalue = items[0]',
         'items = ["alpha"]\nitems.insert(0, data)\nvalue = items[1]'),
    Flow("list_reversed", 'items = ["alpha", data][::-1]\nvalue = items[0]',
         'items = ["alpha", data][::-1]\nvalue = items[1]'),
    Flow("list_sorted", "items = sorted([data, data])\nvalue = items[0]",
         'items = sorted(["beta", "alpha"])\nvalue = items[0]\nrest = sorted([data])'),
    Flow("dict_overwrite", 'd = {"k": "alpha"}\nd["k"] = data\nvalue = d["k"]',
         'd = {"k": data}\nd["k"] = "alpha"\nvalue = d["k"]'),
    Flow("dict_get_default", 'd = {"a": data}\nvalue = d.get("a", "alpha")',
         'd = {"a": data}\nvalue = d.get("b", "alpha")'),
    Flow("dict_setdefault", 'd = {}\nd.setdefault("k", data)\nvalue = d["k"]',
         'd = {"k": "alpha"}\nd.setdefault("k", data)\nvalue = d["k"]'),
    Flow("dict_update", 'd = {"k": "alpha"}\nd.update({"k": data})\nvalue = d["k"]',
         'd = {"k": data}\nd.update({"k": "alpha"})\nvalue = d["k"]'),
    Flow("dict_pop", 'd = {"a": data, "b": "alpha"}\nvalue = d.pop("a")',
         'd = {"a": data, "b": "alpha"}\nvalue = d.pop("b")'),
    Flow("tuple_unpack", 'first, second = data, "alpha"\nvalue = first',
         'first, second = data, "alpha"\nvalue = second'),
    Flow("str_methods", 'value = " ".join(data.strip().lower().split()).replace("a", "b")',
         'value = " ".join("Alpha ".strip().lower().split()).replace("a", "b")\nrest = data.strip()'),
    Flow("str_format", 'value = "{}".format(data)', 'value = "{0}".format("alpha", data)'),
    Flow("str_percent", 'value = "%s" % data', 'value = "%(a)s" % {"a": "alpha", "b": data}'),
    Flow("fstring", 'value = f"{data}"', 'value = f"{len(data)}"'),
    Flow("concat_slice", 'value = (data + "/x")[:-2]', 'value = "alpha" + str(len(data[1:]))'),
    Flow("base64_roundtrip", "value = base64.b64decode(base64.b64encode(data.encode())).decode()",
         'value = base64.b64decode(base64.b64encode(b"alpha")).decode()\nrest = data.encode()',
         imports="import base64"),
    Flow("unquote", "value = unquote(data)", 'value = unquote("alpha%20beta")\nrest = unquote(data)',
         imports="from urllib.parse import unquote"),
    Flow("const_if", 'if 7 * 18 + 106 > 200:\n    value = data\nelse:\n    value = "alpha"',
         'if 7 * 18 + 106 < 200:\n    value = data\nelse:\n    value = "alpha"'),
    Flow("ternary", 'value = data if 3 * 4 > 10 else "alpha"',
         'value = data if 3 * 4 < 10 else "alpha"'),
    Flow("match", 'match "b":\n    case "a":\n        value = "alpha"\n    case _:\n        value = data',
         'match "b":\n    case "a":\n        value = data\n    case _:\n        value = "alpha"'),
    Flow("dict_switch", 'pick = {"x": lambda: data, "y": lambda: "alpha"}\nvalue = pick["x"]()',
         'pick = {"x": lambda: data, "y": lambda: "alpha"}\nvalue = pick["y"]()'),
    Flow("for_loop", 'value = ""\nfor ch in data:\n    value += ch',
         'value = ""\nfor ch in data:\n    value = "alpha"'),
    Flow("while_loop", 'value = "alpha"\ni = 0\nwhile i < 1:\n    value = data\n    i += 1',
         'value = "alpha"\ni = 0\nwhile i < 0:\n    value = data\n    i += 1'),
    Flow("comprehension", 'value = "".join([ch for ch in data])',
         'value = "".join(["a" for ch in data])'),
    Flow("map_lambda", 'value = "".join(map(lambda ch: ch, data))',
         'value = "".join(map(lambda ch: "a", data))'),
    Flow("filter", 'value = "".join(filter(None, [data]))',
         'value = "".join(filter(None, ["alpha"]))\nrest = list(filter(None, [data]))'),
    Flow("generator", "value = next(ch for ch in [data])",
         'value = next(ch for ch in ["alpha", data])'),
    Flow("helper", "value = clean(data)", "value = clean(data)",
         pre_vulnerable="def clean(text):\n    return text.strip()",
         pre_safe='def clean(text):\n    return "alpha"'),
    Flow("method", "value = Cleaner().run(data)", "value = Cleaner().run(data)",
         pre_vulnerable="class Cleaner:\n    def run(self, text):\n        return text.strip()",
         pre_safe='class Cleaner:\n    def run(self, text):\n        return "alpha"'),
    Flow("static_method", "value = Cleaner.run(data)", "value = Cleaner.run(data)",
         pre_vulnerable="class Cleaner:\n    @staticmethod\n    def run(text):\n        return text",
         pre_safe='class Cleaner:\n    @staticmethod\n    def run(text):\n        return "alpha"'),
    Flow("class_attribute", "box = Box()\nbox.name = data\nvalue = box.name",
         "box = Box()\nbox.other = data\nvalue = box.name",
         pre_vulnerable='class Box:\n    name = "alpha"', pre_safe='class Box:\n    name = "alpha"'),
    Flow("nested_function", "def inner():\n    return data\nvalue = inner()",
         'def inner():\n    return "alpha"\nvalue = inner()'),
    Flow("lambda", "pick = lambda text: text\nvalue = pick(data)",
         'pick = lambda text: "alpha"\nvalue = pick(data)'),
    Flow("try_finally", 'try:\n    value = data\nfinally:\n    rest = "x"',
         'try:\n    value = data\nfinally:\n    value = "alpha"'),
    Flow("try_except", 'try:\n    raise ValueError(data)\nexcept ValueError:\n    value = data',
         'try:\n    value = data\n    raise ValueError(data)\nexcept ValueError:\n    value = "alpha"'),
    Flow("with_stringio", "with io.StringIO() as buf:\n    buf.write(data)\n    value = buf.getvalue()",
         'with io.StringIO() as buf:\n    buf.write("alpha")\n    value = buf.getvalue()',
         imports="import io"),
    Flow("global", "global CURRENT\nCURRENT = data\nvalue = CURRENT", "value = CURRENT\nrest = data",
         pre_vulnerable='CURRENT = "alpha"', pre_safe='CURRENT = "alpha"'),
    Flow("deque", "queue = deque()\nqueue.append(data)\nvalue = queue.popleft()",
         'queue = deque(["alpha"])\nqueue.append(data)\nvalue = queue.popleft()',
         imports="from collections import deque"),
    Flow("defaultdict", 'd = collections.defaultdict(str)\nd["k"] = data\nvalue = d["k"]',
         'd = collections.defaultdict(str)\nd["j"] = data\nvalue = d["k"]',
         imports="import collections"),
    Flow("configparser",
         'cfg = configparser.ConfigParser()\ncfg.add_section("s")\ncfg.set("s", "k", data)\n'
         'value = cfg.get("s", "k")',
         'cfg = configparser.ConfigParser()\ncfg.add_section("s")\ncfg.set("s", "k", "alpha")\n'
         'cfg.set("s", "j", data)\nvalue = cfg.get("s", "k")',
         imports="import configparser"),
    Flow("join_builder", 'parts = [data]\nparts.append("/x")\nvalue = "".join(parts)',
         'parts = ["alpha"]\nothers = [data]\nparts.append("/x")\nvalue = "".join(parts)'),
    Flow("int_conversion", "value = data.strip()", "value = str(int(data))"),
    Flow("allow_list", 'if data == "":\n    abort(400)\nvalue = data',
         'if data not in ("alpha", "beta"):\n    abort(400)\nvalue = data',
         imports="from flask import abort"),
    # Its safe twin is the category's own sanitizer (flow_sinks.Sink.sanitize).
    Flow("sanitizer", "value = data", ""),
)
