"""Compiled templates: compiled once, then kept in this process and in the cache folder.

Each language has its own Jinja2 environment (its own translations), and without
this every environment compiled every template again, in every build: more time than
rendering a small site.  Jinja2's compiled code depends on the template's text and
the environment's settings, which all parkpress environments share, so one compiled
template serves all languages, builds and projects of this process (``serve`` and
the tests build many times) and, from the cache folder, later processes.
"""

from __future__ import annotations

from typing import ClassVar

import jinja2
from jinja2.bccache import Bucket


class CompiledTemplates(jinja2.BytecodeCache):
    _memory: ClassVar[dict[tuple[str, str], object]] = {}  # (template name, source checksum) -> code

    def __init__(self, folder: str):
        self.disk = jinja2.FileSystemBytecodeCache(folder)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return self.disk.get_cache_key(name)  # not the file's path: the source checksum tells versions apart

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._memory.get((bucket.key, bucket.checksum))
        if code is None:
            self.disk.load_bytecode(bucket)
            if bucket.code is not None:
                self._memory[(bucket.key, bucket.checksum)] = bucket.code
        else:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._memory[(bucket.key, bucket.checksum)] = bucket.code
        self.disk.dump_bytecode(bucket)
