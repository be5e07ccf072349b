"""Refuse a database on a network file system (BATTERY.md D8).

SQLite's WAL mode keeps its index in shared memory (the `-shm` file, mmapped): processes on different
machines cannot share it, and NFS/SMB locking is unreliable, so a database there can be corrupted
(https://www.sqlite.org/wal.html, "WAL does not work over a network filesystem"; sqlite.org/faq.html#q5).
The file system holding the database's folder is read from /proc/mounts (the longest mount point that
contains it). Opening is refused with a clear message unless NARRASCOPE_ALLOW_NETWORK_FS=1 says the
user knows only one machine will ever open it; then it is only a warning. 9p and virtiofs are not on
the list: they carry the root file system of some sandboxes and VMs (gVisor, WSL), where one kernel
does the locking.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from narrascope.errors import StoreError

logger = logging.getLogger(__name__)

ALLOW_VARIABLE = "NARRASCOPE_ALLOW_NETWORK_FS"
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs", "lustre", "gpfs", "davfs",
    "fuse.sshfs", "fuse.glusterfs", "fuse.cephfs", "fuse.s3fs", "fuse.rclone", "fuse.davfs2", "fuse.gcsfuse",
})


def read_mounts() -> str:
    """The kernel's mount table (empty where there is none, e.g. macOS: the check is then skipped)."""
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _unescape(field: str) -> str:
    r"""/proc/mounts writes space, tab, newline and backslash as octal escapes (\040, \011, \012, \134)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def filesystem_of(path: str, mounts: str) -> tuple[str, str] | None:
    """(mount point, file system type) of the folder that holds `path`, or None if the table is empty."""
    folder = os.path.realpath(Path(path).resolve().parent)
    best: tuple[str, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point, kind = _unescape(fields[1]), fields[2]
        inside = folder == point or folder.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, kind)
    return best


def check_local_filesystem(path: str, *, mounts: Callable[[], str] | None = None,
                           environ: dict[str, str] | None = None) -> None:
    """Raise (or, when allowed, warn) if the database at `path` would live on a network file system.

    Raises:
        StoreError: the folder is on NFS, SMB/CIFS or another network file system.
    """
    found = filesystem_of(path, (mounts or read_mounts)())
    if found is None:
        return
    point, kind = found
    if kind.lower() not in NETWORK_TYPES and not kind.lower().startswith(("nfs", "smb")):
        return
    message = (f"{path} is on a network file system ({kind} mounted at {point}): SQLite's WAL mode needs shared "
               "memory and reliable locks, which network file systems do not give, so the database could be "
               "corrupted. Put the database on a local disk")
    if (environ if environ is not None else os.environ).get(ALLOW_VARIABLE, "") in {"1", "true", "yes"}:
        logger.warning("%s (opening anyway: %s=1; never open it from two machines)", message, ALLOW_VARIABLE)
        return
    raise StoreError(f"{message}, or set {ALLOW_VARIABLE}=1 if only this machine will ever open it")
