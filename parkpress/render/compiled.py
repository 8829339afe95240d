"""Compiled templates: compiled once, then kept in this process and in the cache folder.

Each language has its own Jinja2 environment (its own translations), and without
this every environment compiled every template again, in every build: more time than
rendering a small site.  Jinja2's compiled code depends on the template's text and
the environment's settings, which all parkpress environments share, so one compiled
template serves all languages, builds and projects of this process (``serve`` and
the tests build many times) and, from the cache folder, later processes.  There each is
sealed (core/sealed.py): a damaged file is compiled again, never run.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import jinja2
from jinja2.bccache import Bucket

from parkpress.core import sealed


class CompiledTemplates(jinja2.BytecodeCache):
    _memory: ClassVar[dict[tuple[str, str], object]] = {}  # (template name, source checksum) -> code

    def __init__(self, folder: Path):
        self.folder = folder

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)  # not the file's path: the source checksum tells versions apart

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._memory.get((bucket.key, bucket.checksum))
        if code is None:
            data = sealed.read_file(self._file(bucket))
            if data is not None:
                bucket.bytecode_from_string(bytes(data))  # of an older version of the template: left unset
            if bucket.code is not None:
                self._memory[(bucket.key, bucket.checksum)] = bucket.code
        else:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._memory[(bucket.key, bucket.checksum)] = bucket.code
        sealed.write_file(self._file(bucket), bucket.bytecode_to_string())

    def _file(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.template"
