"""Reading without a network: the service worker for visitors over HTTP and the
downloadable archive of the whole site (``build --zip``).

Both are made after every other file is staged, because both are derived from
those bytes: the worker's cache name is a digest of them, so any change to any
output gives visitors a new cache (and the old one is deleted), and the archive
holds them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from parkpress.engine.snapshot import digest_bytes
from parkpress.publish.archive import zip_files
from parkpress.publish.output import MARKER
from parkpress.render.planner import Page, Slot

SERVICE_WORKER = "sw.js"  # at the site root, so that its scope is the whole site
ARCHIVE_KEY = "offline_archive"  # context key: the archive's path on pages that link to it
OFFLINE_TEMPLATE = "offline.html"
MANIFEST_TEMPLATE = "manifest.webmanifest"
SEARCH_INDEX_TEMPLATE = "search-index.js"
# What a visitor needs to read any page: cached when the worker installs. Other static
# files (say a large PDF) are cached only once a page actually uses them.
SHELL_SUFFIXES = (".css", ".js", ".svg", ".png", ".ico")

Files = Mapping[str, bytes | Path]


class Output(Protocol):
    """The output folder in the making, as the builder keeps it."""

    written: set[str]  # output paths written so far

    def target(self, rel: str) -> Path: ...

    def digest(self, rel: str) -> bytes: ...  # a digest of the bytes written at ``rel``, known without reading them

    def write(self, rel: str, data: bytes) -> None: ...


def add_offline_files(
    slots: list[Slot], pages: list[Page], render: Callable[[Page], bytes], staging: Output, default_language: str
) -> str | None:
    """Stage sw.js and, when the pages link to an archive, the archive itself; return the archive's path.

    ``slots``: every page of the site; ``pages``: those planned (all of them when there is an archive).
    """
    digests = {rel: staging.digest(rel) for rel in staging.written}  # reading every file again took longer than an edit's build
    staging.write(SERVICE_WORKER, render(service_worker(slots, default_language, digests)))
    archive = next((page.context[ARCHIVE_KEY] for page in pages if page.context.get(ARCHIVE_KEY)), None)
    if archive is None:
        return None
    files: dict[str, bytes | Path] = {rel: staging.target(rel) for rel in staging.written}
    # The copy inside the archive is what a build without --zip makes: unpacked, it has
    # no link to an archive it cannot contain.
    for page in pages:
        if page.context.get(ARCHIVE_KEY):
            files[page.path] = render(replace(page, context={**page.context, ARCHIVE_KEY: None}))
    files[SERVICE_WORKER] = render(service_worker(slots, default_language, digests_of(files)))
    staging.write(archive, zip_files(files, folder=archive.removesuffix(".zip")))
    return archive


def service_worker(pages: list[Slot], default_language: str, digests: Mapping[str, bytes]) -> Page:
    """``digests``: every output file's path -> a digest of its bytes, for the cache version."""
    offline = {page.lang: page.path for page in pages if page.template == OFFLINE_TEMPLATE}
    shell = [rel for rel in digests if rel.startswith("static/") and rel.endswith(SHELL_SUFFIXES)]
    shell += [page.path for page in pages if page.template == MANIFEST_TEMPLATE]
    shell += offline.values()
    context = {
        "page_path": SERVICE_WORKER,
        "version": version(digests),
        "shell": tuple(sorted(shell)),
        "offline": offline,
        "fallback": offline.get(default_language),
        # search page -> its index: kept once the page is read (the index grows with the site: not in the shell)
        "search": {page.path.rsplit("/", 1)[0] + "/index.html": page.path for page in pages if page.template == SEARCH_INDEX_TEMPLATE},
    }
    return Page(SERVICE_WORKER, SERVICE_WORKER, None, context, ("service-worker",), in_sitemap=False)


def version(digests: Mapping[str, bytes]) -> str:
    """A digest of every output file, names and bytes: equal builds give equal versions."""
    # The marker is no part of the site, and a session's records hold it, unlike a full build's digests.
    named = (rel.encode("utf-8") + b"\0" + digests[rel] for rel in sorted(digests) if rel not in (SERVICE_WORKER, MARKER))
    return hashlib.sha256(b"".join(named)).hexdigest()[:16]  # one update: a site has ten thousand files


def digests_of(files: Files) -> dict[str, bytes]:
    """Digests of files given by their bytes or by where they are: the ones the builder keeps."""
    return {rel: digest_bytes(data if isinstance(data, bytes) else data.read_bytes()) for rel, data in files.items()}
