"""Load the config file safely and check its shapes, before Snakemake reads it.

In order: the config file loads safely (``check_config_file``: small, UTF-8, YAML with
no alias, anchor or tag, a mapping), and the loaded config with its --config overrides
has the shapes of its JSON Schema (``check_config_shape``); ``refuse_config`` stops the
run on any problem. ``load_yaml_safely`` reads any small YAML file the same way. Each
problem is one line naming the config key or the file. Light on purpose: the Snakefile
imports it on every run, no-op runs included; what the config means is checked after
(``planning``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mining_report.errors import one_line

#: The most bytes a YAML file read while planning may hold: config/config.yaml is a
#: few KB, and a file far larger is a mistake (or an attack), refused before parsing.
MAX_CONFIG_BYTES = 256 * 1024
#: How deep a YAML file may nest its mappings and lists (config/config.yaml: 3 levels).
MAX_YAML_DEPTH = 16

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NO_ALIASES = (
    "aliases and anchors are refused (the file needs none, and expanding them can take "
    "all memory): write each value out"
)
_NO_TAGS = "tags are refused (the file needs none, and Snakemake's loader runs Python tags)"
_MAPPING = "expected a mapping of keys to values"


class ConfigFileError(ValueError):
    """A YAML file that cannot be loaded safely or at all. ``str()`` is one line naming
    the file (the first problem); ``problems`` holds every problem found, one line each.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


class _Level:
    """A mapping or list open in the YAML event stream, and where in it the next node is."""

    __slots__ = ("index", "key", "keys", "path")

    def __init__(self, path: str, mapping: bool) -> None:
        self.path = path
        self.keys: dict[str, int] | None = {} if mapping else None  # key -> its line
        self.key: str | None = None  # the key whose value comes next (a mapping)
        self.index = 0  # the index of the next item (a list)

    def child(self) -> str:
        if self.keys is None:
            return f"{self.path}[{self.index}]"
        return f"{self.path}.{self.key}" if self.path else str(self.key)

    def done(self) -> None:
        """The node in this level's current place has ended."""
        if self.keys is None:
            self.index += 1
        else:
            self.key = None


def _yaml_error(path: Path, err: Exception, text: str = "") -> str:
    import yaml

    mark = getattr(err, "problem_mark", None)
    if isinstance(err, yaml.reader.ReaderError):  # a character YAML does not allow
        line = text[: err.position].count("\n") + 1
        char = err.character if isinstance(err.character, str) else chr(err.character)
        reason = f"line {line}: the character {char!r} is not allowed"
    elif isinstance(err, yaml.MarkedYAMLError) and err.problem:
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        context = f" ({err.context})" if err.context else ""
        reason = f"{where}{err.problem}{context}"
    else:
        reason = str(err)
    return f"{path}: not readable as YAML ({' '.join(reason.split())})"


def _scan_yaml(text: str, path: Path) -> list[str]:
    """Problems in the YAML *events* of ``text``, found before anything is composed.

    Nothing is built from the events, so no alias is ever expanded: a file with an
    anchor, alias or tag, nesting too deep, several documents or no mapping at the top
    is refused at its first such event. Duplicate keys and impossible unquoted dates
    (``2026-13-45``, which the loader would fail on with a traceback) are all listed.
    """
    import yaml
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = Resolver()
    problems: list[str] = []
    stack: list[_Level] = []
    documents = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            line = event.start_mark.line + 1
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    second = f"a second YAML document begins at line {line}"
                    return [f"{path}: {second}; the file must hold one"]
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
                if stack:
                    stack[-1].done()
                continue
            if isinstance(event, yaml.AliasEvent):
                return [f"{path}: a YAML alias (*{event.anchor}) at line {line}; {_NO_ALIASES}"]
            if not isinstance(event, yaml.NodeEvent):
                continue  # the stream's start and end, a document's end
            if event.anchor is not None:
                return [f"{path}: a YAML anchor (&{event.anchor}) at line {line}; {_NO_ALIASES}"]
            if event.tag is not None:
                tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
                return [f"{path}: a YAML tag ({tag}) at line {line}; {_NO_TAGS}"]
            is_scalar = isinstance(event, yaml.ScalarEvent)
            if not stack:
                if isinstance(event, yaml.MappingStartEvent):
                    stack.append(_Level("", mapping=True))
                    continue
                if is_scalar and event.value.strip() in {"", "~", "null", "Null", "NULL"}:
                    return [f"{path}: empty; {_MAPPING}"]
                what = "a single value" if is_scalar else "a list"
                return [f"{path}: the top level is {what} (line {line}); {_MAPPING}"]
            level = stack[-1]
            if level.keys is not None and level.key is None:  # a key of a mapping
                if not is_scalar:
                    return [f"{path}: a list or mapping as a key, at line {line}; keys are text"]
                name = event.value
                if name in level.keys:
                    key = f"{level.path}.{name}" if level.path else name
                    lines = f"lines {level.keys[name]} and {line}"
                    problems.append(
                        f"config key {key}: given twice, in {path} {lines}; "
                        "YAML would keep only the last"
                    )
                level.keys.setdefault(name, line)
                level.key = name
                continue
            if not is_scalar:
                if len(stack) >= MAX_YAML_DEPTH:
                    deep = f"nested more than {MAX_YAML_DEPTH} levels deep at line {line}"
                    return [f"{path}: {deep}; the file needs only a few"]
                stack.append(_Level(level.child(), isinstance(event, yaml.MappingStartEvent)))
                continue
            if event.implicit[0]:  # plain, unquoted: YAML decides what it is
                tag = resolver.resolve(yaml.ScalarNode, event.value, (True, False))
                if tag == _TIMESTAMP:
                    try:
                        SafeConstructor().construct_yaml_timestamp(
                            yaml.ScalarNode(tag, event.value)
                        )
                    except ValueError:
                        problems.append(
                            f"config key {level.child()}: {event.value!r} is not a date "
                            f"(YYYY-MM-DD, a day that exists), in {path} line {line}"
                        )
            level.done()
    except yaml.YAMLError as err:
        return [_yaml_error(path, err, text)]
    if documents == 0:
        return [f"{path}: empty; {_MAPPING}"]
    return problems


def _read_yaml(path: Path, max_bytes: int) -> tuple[Any, list[str]]:
    """The data of a YAML file and no problems, or None and its problems."""
    import yaml

    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            return None, [f"{path}: not a regular file (a FIFO, device or folder)"]
        with open(path, "rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as err:
        return None, [f"{path}: cannot be read ({err.strerror})"]
    if len(data) > max_bytes:
        size = f"{max(len(data), os.stat(path).st_size):,} bytes"
        limit = f"the limit of {max_bytes:,} bytes"
        return None, [f"{path}: {size}, over {limit}; a config file is a few KB"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, [f"{path}: not UTF-8 text (byte {data[err.start]:#04x} at line {line})"]
    problems = _scan_yaml(text, path)
    if problems:
        return None, problems
    try:
        # Safe now: no alias to expand, no tag, shallow. Dates stay dates, as in Snakemake.
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), []
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as err:
        return None, [_yaml_error(path, err)]


def load_yaml_safely(path: str | Path, max_bytes: int = MAX_CONFIG_BYTES) -> dict[str, Any]:
    """The mapping a small YAML file holds, read without ever expanding an alias.

    Raises ConfigFileError, one line naming the file, for a file over ``max_bytes``,
    not UTF-8, not YAML, with an anchor, alias or tag, nested deeper than
    MAX_YAML_DEPTH, with a duplicate key or an impossible unquoted date, or whose top
    level is not a mapping.
    """
    data, problems = _read_yaml(Path(path), max_bytes)
    if problems:
        raise ConfigFileError(problems)
    return data


def check_config_file(path: str | Path, max_bytes: int = MAX_CONFIG_BYTES) -> list[str]:
    """Problems that would stop the config file from loading safely, one line each.

    Called before Snakemake's ``configfile:`` reads the file with its own loader, which
    expands aliases, runs Python tags and YTE templates, and fails on an unquoted
    ``2026-13-45`` with a traceback that names neither file nor key.
    """
    path = Path(path)
    data, problems = _read_yaml(path, max_bytes)
    if problems:
        return problems
    if "__use_yte__" in data:
        return [
            f"config key __use_yte__: refused, in {path}; it would make Snakemake run the "
            "config as a YTE template (Python code) while loading it"
        ]
    return []


_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping of keys to values",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}


def _show(value: Any) -> str:
    """A config value as the one line of an error message: YAML's spelling, short."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= 60 else f"{text[:56]}...{text[-1]}"


def _key(path: Any, config: Any) -> str:
    """The dotted path of a key in ``config``; an item of a list as [index]."""
    dotted, node = "", config
    for part in path:
        if isinstance(node, list) and isinstance(part, int):
            dotted += f"[{part}]"
            node = node[part] if 0 <= part < len(node) else None
        else:
            dotted += f".{part}" if dotted else str(part)
            node = node.get(part) if isinstance(node, Mapping) else None
    return dotted or "(the whole config)"


def _reason(error: Any) -> str:
    """Why a value fails its schema, in plain words (the value shown as YAML has it)."""
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        types = [expected] if isinstance(expected, str) else expected
        names = " or ".join(_TYPE_NAMES.get(t, t) for t in types)
        if value is None:
            return f"no value; expected {names}"
        if isinstance(value, dt.date) and "string" in expected:
            return f'{value} is a date to YAML, not a string; quote it: "{value}"'
        return f"{_show(value)} is not {names}"
    if kind == "enum":
        return f"{_show(value)} is not one of {', '.join(map(_show, expected))}"
    if kind == "const":
        return f"{_show(value)} is not {_show(expected)}"
    if kind == "pattern":
        return f"{_show(value)} does not have the form {expected}"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{_show(value)} is less than the minimum of {expected}"
    if kind in ("maximum", "exclusiveMaximum"):
        return f"{_show(value)} is more than the maximum of {expected}"
    if kind == "minLength":
        return f"{_show(value)} is shorter than {expected} characters"
    if kind == "maxLength":
        return f"{_show(value)} is longer than {expected} characters"
    if kind == "minProperties":
        return f"has {len(value)} entries; it needs at least {expected}"
    if kind == "not":  # the refused subschema may say why in its $comment
        why = expected.get("$comment") if isinstance(expected, Mapping) else None
        return f"{_show(value)} is not allowed here" + (
            f" ({' '.join(why.split())})" if why else ""
        )
    return " ".join(error.message.split())


def _explain(error: Any) -> list[tuple[list[Any], str]]:
    """The key (a path) and the reason of each problem an error of the schema is about."""
    path = list(error.absolute_path)
    value = error.instance
    if error.validator == "additionalProperties" and error.validator_value is False:
        known = list(error.schema.get("properties", {}))
        expected = f"not a known key (expected: {', '.join(known)})"
        hint = "; --config sets a whole top-level key (report=...), not one inside it"
        return [([*path, name], expected + (hint if "." in str(name) else ""))
                for name in value if name not in known]  # fmt: skip
    if error.validator == "required":
        return [([*path, name], "missing") for name in error.validator_value if name not in value]
    if "propertyNames" in error.relative_schema_path:
        return [([*path, value], f"as a key, {_reason(error)}")]
    return [(path, _reason(error))]


def _position(path: list[Any], config: Any) -> tuple[int, ...]:
    """Where a key is in the config, to list problems in its order (a missing key last
    in its mapping)."""
    place, node = [], config
    for part in path:
        if isinstance(node, Mapping):
            keys = list(node)
            place.append(keys.index(part) if part in node else len(keys))
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            place.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            place.append(0)
            node = None
    return tuple(place)


def check_config_shape(config: Any, schema: str | Path) -> list[str]:
    """Every value of the config that its JSON Schema refuses, one line each naming
    its key, in the config's order: all of them, not the first (as Snakemake's
    ``validate`` reports)."""
    from jsonschema.validators import validator_for

    document = load_yaml_safely(schema)
    validator = validator_for(document)(document)
    by_value: dict[tuple[str, ...], list[Any]] = {}
    for error in validator.iter_errors(config):
        path = [*error.absolute_path]
        if "propertyNames" in error.relative_schema_path:
            path.append(error.instance)  # the key itself
        by_value.setdefault(tuple(map(str, path)), []).append(error)
    problems: dict[tuple[int, ...], dict[str, None]] = {}
    for errors in by_value.values():
        # A value of the wrong type: that alone (not also "5 is not one of ...").
        wrong_type = [error for error in errors if error.validator == "type"]
        for error in wrong_type or errors:
            for path, reason in _explain(error):
                line = one_line(f"config key {_key(path, config)}: {reason}")
                problems.setdefault(_position(path, config), {})[line] = None
    return [line for place in sorted(problems) for line in problems[place]]


def refuse_config(problems: list[str]) -> None:
    """Stop before anything is planned: one ERROR line per problem, no traceback."""
    if problems:
        sys.exit("\n".join(f"ERROR: {one_line(problem)}" for problem in problems))


def compare_with_published(
    config: Path = Path("config/config.yaml"), published: Path = Path("reports/edition.json")
) -> str | None:
    """Name the published edition as the one the report's "What changed since the
    edition of ..." section compares with (``report.since_edition``), the rest of the
    config file as it is. Returns that edition's day; None, and the file untouched,
    when no edition is published."""
    if not published.is_file():
        return None
    edition = json.loads(published.read_text(encoding="utf-8"))["edition"]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(edition)):
        raise ConfigFileError([f"{published}: {edition!r} is not an edition's day"])
    text = config.read_text(encoding="utf-8")
    changed, found = re.subn(r"(?m)^(  since_edition:).*$", rf'\1 "{edition}"', text)
    if found != 1:
        raise ConfigFileError([f"{config}: no report.since_edition line to set"])
    config.write_text(changed, encoding="utf-8")
    return edition
