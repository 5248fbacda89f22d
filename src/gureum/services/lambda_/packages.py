"""Deployment packages (a function's zip, a layer's zip): the check made when one is uploaded
and the unpacking before a cold start.

The upload check reads the zip's directory only (its contents are not inflated on the request
path): a zip whose entries are encrypted, use a compression method Python cannot inflate, or
have names no file system takes is refused at once with AWS's "Could not unzip" text. What only
unpacking shows (a corrupt entry, a layer's file where another layer has a folder) fails the
cold start with InvalidZipFileException, leaving nothing half unpacked.
"""

from __future__ import annotations

import io
import shutil
import uuid
import zipfile
import zlib
from typing import TYPE_CHECKING

from gureum.services.lambda_ import errors

if TYPE_CHECKING:
    from pathlib import Path

_INFLATABLE = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
_ENCRYPTED = 0x1  # general purpose flag bit 0
_MAX_NAME_BYTES = 255  # of one path component, as Linux file systems allow
# what reading or inflating a broken zip raises
_BROKEN = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    zlib.error,
)


def unzipped_size(data: bytes) -> int:
    """The total size of a zip's files; InvalidParameterValueException ("Could not unzip
    uploaded file") for data that is no zip Lambda could unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except _BROKEN:
        raise errors.not_a_zip() from None
    for entry in entries:
        names = entry.filename.split("/")
        if (
            entry.flag_bits & _ENCRYPTED
            or entry.compress_type not in _INFLATABLE
            or any(len(name.encode()) > _MAX_NAME_BYTES for name in names)
        ):
            raise errors.not_a_zip()
    return sum(entry.file_size for entry in entries)


def unpack(folder: Path, packages: list[bytes]) -> None:
    """Unzip the packages into ``folder``, in order (a later one's files replace an earlier
    one's), atomically: into a staging folder renamed at the end. InvalidZipFileException
    when one cannot be unpacked."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        for data in packages:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.extractall(staging)
    except _BROKEN as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise errors.invalid_zip_file() from exc
    try:
        staging.rename(folder)
    except OSError:  # another cold start unpacked it first
        shutil.rmtree(staging, ignore_errors=True)
