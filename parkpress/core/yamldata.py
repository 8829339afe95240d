"""YAML parsing that remembers where each value came from.

Schema errors must name the line of the offending value, so we compose the
YAML node graph (which carries marks), remember the line of every mapping
value, and only then construct plain Python data from the same nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.composer import Composer


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, except that an impossible date stays text (see _timestamp)."""


class _DeepLoader(Composer, _Loader):
    """Composes nodes with PyYAML's Python composer from libyaml's events.

    libyaml's own composer recurses in C without a limit: some 30,000 nested brackets
    crash the interpreter.  The Python one stops at Python's recursion limit instead,
    but costs a third more parse time, so only texts long enough to nest that deep
    take it (each level of nesting takes at least one character).
    """

    def __init__(self, text: str):
        _Loader.__init__(self, text)
        Composer.__init__(self)


_C_SAFE_LENGTH = 4096  # libyaml composes 10,000 levels on an 8 MB stack; this leaves a wide margin


def _timestamp(loader, node):
    # PyYAML raises a bare ValueError (no line) for 2021-02-30 or hour 25; as text
    # the value reaches the schema, which names the field, its line and the format.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, AttributeError):  # AttributeError: "!!timestamp 'no date'" fails PyYAML's own match
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

Path_ = tuple  # a key path such as ("figures", 2, "value")

# Aliases (*name) repeat a node without copying it, so a few lines can stand for
# billions of values ("billion laughs"); recording lines walks the repeats, so we stop
# far above any real front matter or data file.
MAX_VALUES = 100_000


class YamlError(Exception):
    """Malformed YAML; ``line`` is 1-based within the parsed text."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


@dataclass
class YamlDoc:
    """Parsed data plus the 1-based line of every value, keyed by its path."""

    data: object
    lines: dict[Path_, int] = field(default_factory=dict)
    first_line: int = 1
    assignment: str = ": "  # how the format writes "key, value": ': ' in YAML, ' = ' in TOML (for hints)

    def line(self, path: Path_ = ()) -> int:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, self.first_line)


def parse(text: str, first_line: int = 1) -> YamlDoc:
    """Parse one YAML document; line numbers are shifted by ``first_line - 1``."""
    loader = (_Loader if len(text) <= _C_SAFE_LENGTH else _DeepLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc({}, {}, first_line)
        lines: dict[Path_, int] = {}
        duplicate = _record_lines(node, (), lines, first_line - 1)
        if duplicate:
            raise YamlError(*duplicate)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        raise YamlError(line, _describe(exc)) from None
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise YamlError(first_line, str(exc).splitlines()[0]) from None
    except RecursionError:
        raise YamlError(first_line, "YAML is nested too deeply, or an alias '*name' refers to its own block") from None
    finally:
        loader.dispose()
    return YamlDoc(data, lines, first_line)


def _record_lines(node, path: Path_, lines: dict, offset: int):
    """Fill ``lines``; return (line, message) for the first duplicate key, else None."""
    lines[path] = node.start_mark.line + 1 + offset
    if len(lines) > MAX_VALUES:
        return lines[path], f"more than {MAX_VALUES:,} values (are aliases '*name' repeating large blocks?); write the data out plainly"
    if isinstance(node, yaml.MappingNode):
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1 + offset
            # Not repr() of a list or mapping key: through aliases it can be astronomically long.
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else f"<{key_node.id} on line {line}>"
            if key in seen:
                return line, f"duplicate key '{key}' (first given on line {seen[key]}); keep only one"
            seen[key] = line
            found = _record_lines(value_node, (*path, key), lines, offset)
            if found:
                return found
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            found = _record_lines(item, (*path, index), lines, offset)
            if found:
                return found
    return None


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    text = ", ".join(parts) or "invalid YAML"
    return f"invalid YAML: {text} (check indentation, and quote values that contain ': ' or start with [, {{, *, & or #)"
