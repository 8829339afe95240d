"""A reproducible zip of the site: the same files always give the same bytes.

Entries are sorted, carry one fixed time and fixed permissions, and sit in one
top folder, so unpacking makes a single folder whose ``index.html`` opens the site.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path

# The earliest time a zip entry can hold: the build machine's clock never reaches the archive.
EPOCH = (1980, 1, 1, 0, 0, 0)
UNIX = 3  # "made by" Unix, so that unzip on any system reads the permissions below
READABLE = 0o100644 << 16  # a regular file, rw-r--r--


def zip_files(files: Mapping[str, bytes | Path], folder: str) -> bytes:
    """Zip ``files`` (output path -> bytes, or a file holding them) under ``folder/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=EPOCH)
            info.create_system = UNIX
            info.external_attr = READABLE
            info.compress_type = zipfile.ZIP_DEFLATED
            data = files[rel]
            archive.writestr(info, data if isinstance(data, bytes) else data.read_bytes(), compresslevel=9)
    return buffer.getvalue()
