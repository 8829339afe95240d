"""Split a Markdown source into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass

from parkpress.core.yamldata import YamlDoc, YamlError, parse

FENCE = "---"


@dataclass
class Split:
    meta: YamlDoc
    body: str
    body_line: int  # 1-based line where the body starts


def split(text: str) -> Split:
    """Return the parsed front matter and the body.

    Raises YamlError (with a line) when the front matter is missing, unclosed or
    not valid YAML.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != FENCE:
        raise YamlError(1, "no front matter: start the file with a line '---', the YAML fields, and another '---'")
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            meta = parse("\n".join(lines[1:index]), first_line=2)
            if not isinstance(meta.data, dict):
                raise YamlError(2, "front matter must be a mapping of 'field: value' lines")
            return Split(meta, "\n".join(lines[index + 1 :]), index + 2)
    raise YamlError(1, "front matter is not closed: add a line '---' after the last field")
