"""D8: a database on NFS/SMB is refused (or, with NARRASCOPE_ALLOW_NETWORK_FS=1, opened with a warning).

The mount table is faked: these machines have no network file system to mount.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from narrascope.errors import StoreError
from narrascope.store import Store, filesystems
from narrascope.store.filesystems import check_local_filesystem, filesystem_of

pytestmark = pytest.mark.battery


def _table(network_point: Path, kind: str) -> str:
    return ("/dev/vda / ext4 rw,relatime 0 0\n"
            "tmpfs /dev/shm tmpfs rw 0 0\n"
            f"server:/export {str(network_point).replace(' ', chr(92) + '040')} {kind} rw,vers=4.2 0 0\n")


@pytest.mark.parametrize("kind", ["nfs4", "nfs", "cifs", "smb3", "fuse.sshfs", "ceph"])
def test_store_network_filesystem_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    share = tmp_path / "shared drive"
    share.mkdir()
    monkeypatch.setattr(filesystems, "read_mounts", lambda: _table(share, kind))
    monkeypatch.delenv(filesystems.ALLOW_VARIABLE, raising=False)
    with pytest.raises(StoreError) as caught:
        Store(str(share / "sub" / "narrascope.db"))
    assert f"network file system ({kind} mounted at {share})" in str(caught.value)
    assert "NARRASCOPE_ALLOW_NETWORK_FS=1" in str(caught.value)
    assert not (share / "sub").exists()  # refused before anything was created
    with pytest.raises(StoreError):
        Store(str(share / "old.db"), read_only=True)


def test_store_network_filesystem_override_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(filesystems, "read_mounts", lambda: _table(tmp_path, "nfs4"))
    monkeypatch.setenv(filesystems.ALLOW_VARIABLE, "1")
    with caplog.at_level(logging.WARNING), Store(str(tmp_path / "n.db")) as store:
        assert store.integrity_ok()
    assert "network file system (nfs4" in caplog.text and "never open it from two machines" in caplog.text


def test_store_network_filesystem_local_paths_pass(tmp_path: Path) -> None:
    table = _table(tmp_path / "share", "nfs4")
    assert filesystem_of(str(tmp_path / "local.db"), table) == ("/", "ext4")
    assert filesystem_of(str(tmp_path / "share" / "x.db"), table) == (str(tmp_path / "share"), "nfs4")
    assert filesystem_of(str(tmp_path / "shared" / "x.db"), table) == ("/", "ext4")  # a prefix is not a parent
    check_local_filesystem(str(tmp_path / "local.db"), mounts=lambda: table)
    check_local_filesystem(str(tmp_path / "x.db"), mounts=lambda: "")  # no mount table: nothing to check
