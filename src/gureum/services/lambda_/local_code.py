"""Functions whose code is a folder on this machine (gureum's hot reload).

``Code={"S3Bucket": "hot-reload", "S3Key": "/absolute/path/to/folder"}`` at CreateFunction or
UpdateFunctionCode makes the folder itself the function's code: its workers run in it (nothing
is copied), and when a file in it changes, the next invocation starts fresh workers, so an
edit is live without a deploy. The bucket name is the one LocalStack uses for the same purpose,
so such setups work unchanged. CodeSha256 and CodeSize describe the folder's files as they
were last seen.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import zipfile
from pathlib import Path
from stat import S_ISREG
from typing import Any

from gureum.services.lambda_ import errors, limits

HOT_RELOAD_BUCKET = "hot-reload"
# folders whose changes do not change the code (the interpreter's caches, version control)
_IGNORED_DIRS = frozenset({"__pycache__", ".git", ".hg", ".svn", ".mypy_cache", ".ruff_cache"})


def folder_of(code: dict[str, Any]) -> Path | None:
    """The folder a Code structure (or UpdateFunctionCode request) names, or None when it
    names no folder; InvalidParameterValueException for a folder that is not there."""
    if code.get("S3Bucket") != HOT_RELOAD_BUCKET:
        return None
    key = code.get("S3Key") or ""
    folder = Path(key)
    if not folder.is_absolute() or not folder.is_dir():
        raise errors.invalid_parameter(  # [gureum]
            f"S3Key of the {HOT_RELOAD_BUCKET} bucket must be the absolute path of a folder "
            f"on the gureum machine: {key}"
        )
    return folder


def _files(folder: Path) -> list[tuple[str, os.stat_result]]:
    """The folder's files; InvalidParameterValueException once their sizes pass the unzipped
    package limit (so a folder such as / fails fast instead of being walked for minutes)."""
    out: list[tuple[str, os.stat_result]] = []
    total = 0
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS)
        for name in sorted(names):
            path = os.path.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:  # removed while walking
                continue
            total += stat.st_size
            if total >= limits.CODE_SIZE_UNZIPPED_BYTES:
                raise errors.code_too_large_unzipped(limits.CODE_SIZE_UNZIPPED_BYTES)
            out.append((os.path.relpath(path, folder), stat))
    return out


def fingerprint(folder: Path) -> tuple[str, int]:
    """(CodeSha256, CodeSize) of the folder: a digest of its files' names, sizes and
    modification times (cheap enough to take before invocations), and their total size."""
    digest = hashlib.sha256()
    size = 0
    for name, stat in _files(folder):
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        size += stat.st_size
    return base64.b64encode(digest.digest()).decode("ascii"), size


def zip_folder(folder: Path) -> bytes:
    """The folder's files as a zip (GetFunction's code download, PublishVersion's snapshot).
    Files that cannot be read (gone, no permission, special files such as /proc's) are left
    out rather than failing the request; so are pipes and devices, which would block or never
    end. Files that say they are empty but are not (/proc's) count towards the size limit."""
    buffer = io.BytesIO()
    budget = limits.CODE_SIZE_UNZIPPED_BYTES
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, stat in _files(folder):
            if not S_ISREG(stat.st_mode):
                continue
            path = folder / name
            try:
                info = zipfile.ZipInfo.from_file(path, name)
                with path.open("rb") as file:
                    data = file.read(budget)
            except OSError:
                continue
            budget -= len(data)
            if budget <= 0:
                raise errors.code_too_large_unzipped(limits.CODE_SIZE_UNZIPPED_BYTES)
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
