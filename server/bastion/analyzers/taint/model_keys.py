"""The schema of the taint model files (`rules/taint/*.toml`): the sections, the keys each
section's tables accept, and the choices of the keys that name one (source kinds, parameter rules,
the named Python models of sinks and guards). model_files.py checks every table against it; the
keys' meanings are in rules/taint/README.md."""

SECTIONS = ("source", "entry", "sink", "sanitizer", "guard", "propagator", "form", "callback", "program")
SOURCE_KINDS = ("remote", "argv", "stdin", "env", "file")
PARAM_RULES = ("path", "all", "after_first", "first", "resolver_args")
# Named Python models a sink or guard may reference (implemented in sinks.py / guards.py).
SINK_MODELS = ("subprocess", "xml_parser", "yaml_load", "view_return", "log_format",
               "response_type", "declared_html", "handler_write", "query_document",
               "location_header", "template_file", "escaped_template_file", "escaped_template_view",
               "unescaped_template_file", "unescaped_template_view",
               "exec_argv",
               "unfiltered_archive", "file_save", "unsandboxed", "default_xml_parser",
               "etcompat_default_parser", "called_attribute", "module_name",
               "shell_session", "response_write", "argv_arguments", "exec_arguments", "path_or_url",
               "curl_url", "location_argument", "typed_html")
GUARD_MODELS = ("dotdot", "quote", "path_containment", "url_allowlist", "allowlist", "equality",
                "pattern", "line_break")
KEYS = {
    "source": {"names", "kind", "label", "confidence", "reaches", "cleans"},
    "entry": {"label", "decorators", "function_names", "class_bases", "methods", "params",
              "request_kind", "request_annotations", "not_when_default", "return_sink",
              "imported", "kind", "first_param", "clean_annotations", "return_sink_when",
              "validated_models", "self_kind", "class_decorators", "request_params", "setup_methods",
              "handler_callers", "response_annotations", "second_kind", "init_params",
              "response_params", "response_kind", "factory_params", "class_routes", "return_sink_unless",
              "param_kind", "registrars", "signature", "parameter_markers"},
    "sink": {"class", "calls", "methods", "args", "keywords", "receiver", "when", "model",
             "subscript_of", "attribute_of", "prefix_only", "result_untainted", "key", "before",
             "imported", "module_too", "result_from_receiver", "receivers", "reads_file"},
    "sanitizer": {"calls", "methods", "cleans", "args", "unless", "not_through", "kept"},
    "guard": {"calls", "methods", "cleans", "arg", "keyword", "model"},
    "propagator": {"calls", "methods", "decodes", "args", "keywords", "reads_file"},
    "form": {"bases", "data", "clean_fields", "constructors", "file_fields", "reads", "choice_validators",
             "pattern_fields", "choice_fields"},
    "callback": {"calls", "methods", "function", "rest", "args", "kwargs", "keywords", "mapped",
                 "overridden"},
    "program": {"names", "valued"},
}
# The keys of each section holding an array of names: checked once each, when present
# (model_fields.FieldReader.keys); an absent one is read in a dict look-up, not a Python call.
ARRAYS = {
    "source": frozenset({"names", "reaches", "cleans"}),
    "entry": frozenset({"decorators", "function_names", "class_bases", "methods", "class_decorators",
                        "registrars", "signature", "parameter_markers", "factory_params", "class_routes",
                        "setup_methods", "init_params", "response_params", "handler_callers",
                        "request_annotations", "not_when_default", "imported", "first_param",
                        "clean_annotations", "validated_models", "request_params",
                        "response_annotations", "return_sink_unless"}),
    "sink": frozenset({"calls", "methods", "subscript_of", "attribute_of", "keywords", "imported",
                       "receivers"}),
    "sanitizer": frozenset({"calls", "methods", "cleans", "not_through"}),
    "guard": frozenset({"calls", "methods", "cleans"}),
    "propagator": frozenset({"calls", "methods", "keywords"}),
    "form": frozenset({"bases", "data", "clean_fields", "constructors", "file_fields", "reads",
                       "choice_validators", "choice_fields"}),
    "callback": frozenset({"calls", "methods"}),
    "program": frozenset({"names", "valued"}),
}
