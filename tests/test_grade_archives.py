"""Submissions that arrive as archives are unpacked safely (grading/archives.py): every hostile
archive below is hand-made here, and each is refused with one line naming the archive and
the member, with nothing written outside the folder it was unpacked into (nor left inside)."""

from __future__ import annotations

import io
import stat
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from grading.archives import Caps, UnsafeArchive, kind, unpack
from tests.learner_class import PROJECTS, bomb_zip, bundle_project, tar_project, zip_project


def zip_with(path: Path, members: list[tuple[str, bytes, int]]) -> Path:
    """A zip of (name, bytes, unix mode) members, the mode in the external attributes as
    Info-ZIP stores it (0: none, as Windows tools write)."""
    with zipfile.ZipFile(path, "w") as z:
        for name, data, mode in members:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            z.writestr(info, data)
    return path


def tar_with(path: Path, members: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(path, "w:gz") as t:
        for info in members:
            data = b"x = 1\n" if info.isreg() else None
            if data:
                info.size = len(data)
            t.addfile(info, io.BytesIO(data) if data else None)
    return path


def member(name: str, type_=tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = type_, link
    return info


REG = stat.S_IFREG | 0o644
ZIPS = {  # case: (members, what the refusal says)
    "zip-slip": ([("ok.py", b"", REG), ("../evil.py", b"owned", REG)], "climbs out"),
    "absolute name": ([("/tmp/evil.py", b"owned", REG)], "absolute name"),
    "windows drive": ([("C:/evil.py", b"owned", REG)], "absolute name"),
    "backslashes": ([("..\\..\\evil.py", b"owned", REG)], "climbs out"),
    "symlink out, absolute": ([("link.py", b"/etc/passwd", stat.S_IFLNK | 0o777)], "links outside"),
    "symlink out, relative": ([("a/link", b"../../..", stat.S_IFLNK | 0o777)], "links outside"),
    "character device": ([("null", b"", stat.S_IFCHR | 0o666)], "character device"),
    "fifo": ([("pipe.py", b"", stat.S_IFIFO | 0o644)], "FIFO"),
}
TARS = {
    "tar-slip": ([member("p/ok.py"), member("p/../../evil.py")], "climbs out"),
    "absolute name": ([member("/tmp/evil.py")], "absolute name"),
    "symlink out, absolute": ([member("link", tarfile.SYMTYPE, "/root/.aws")], "links outside"),
    "symlink out, relative": ([member("p/l", tarfile.SYMTYPE, "../../x")], "links outside"),
    "hard link out, absolute": ([member("h", tarfile.LNKTYPE, "/etc/passwd")], "links outside"),
    "hard link out, relative": ([member("p/h", tarfile.LNKTYPE, "../../x")], "links outside"),
    "character device": ([member("dev/null", tarfile.CHRTYPE)], "character device"),
    "block device": ([member("dev/sda", tarfile.BLKTYPE)], "block device"),
    "fifo": ([member("pipe.py", tarfile.FIFOTYPE)], "FIFO"),
}


def assert_refused(archive: Path, target: Path, says: str, caps: Caps | None = None):
    with pytest.raises(UnsafeArchive) as refused:
        unpack(archive, target, caps)
    message = str(refused.value)
    assert says in message and message.startswith(archive.name), message
    assert "\n" not in message
    assert not target.exists(), "a refused archive leaves nothing behind"
    assert not list(archive.parent.parent.rglob("evil.py")), "nothing was written outside"
    return message


@pytest.mark.parametrize("case", sorted(ZIPS))
def test_a_hostile_zip_is_refused_with_one_line(case, tmp_path):
    members, says = ZIPS[case]
    (tmp_path / "hand-in").mkdir()
    archive = zip_with(tmp_path / "hand-in" / "sub.zip", members)
    assert_refused(archive, tmp_path / "hand-in" / "unpacked" / "sub", says)


@pytest.mark.parametrize("case", sorted(TARS))
def test_a_hostile_tar_is_refused_with_one_line(case, tmp_path):
    members, says = TARS[case]
    (tmp_path / "hand-in").mkdir()
    archive = tar_with(tmp_path / "hand-in" / "sub.tar.gz", members)
    assert_refused(archive, tmp_path / "hand-in" / "unpacked" / "sub", says)


@pytest.mark.parametrize("suffix", ["zip", "tar.gz"])
def test_an_archive_bomb_is_refused_by_its_compression_ratio_before_it_is_written(suffix, tmp_path):
    bomb = bomb_zip(tmp_path / "bomb.zip")
    if suffix == "tar.gz":
        with zipfile.ZipFile(bomb) as z, tarfile.open(tmp_path / "bomb.tar.gz", "w:gz") as t:
            data = z.read("stedi/landing.json")
            info = tarfile.TarInfo("stedi/landing.json")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        bomb = tmp_path / "bomb.tar.gz"
    message = assert_refused(bomb, tmp_path / "out", "times its size")
    assert "archive bomb" in message


@pytest.mark.parametrize(
    ("caps", "says"),
    [
        (Caps(max_bytes=2**20, ratio_floor=2**40), "unpacks to more than 1.0 MiB"),
        (Caps(max_files=40), "more than 40 files"),
    ],
    ids=["size cap", "file count cap"],
)
@pytest.mark.parametrize("suffix", ["zip", "tar.gz"])
def test_the_size_and_file_count_caps_hold(caps, says, suffix, tmp_path):
    members = [(f"f{i}.json", bytes(40_000), REG) for i in range(60)]
    if suffix == "zip":
        archive = zip_with(tmp_path / "big.zip", members)
    else:
        archive = tmp_path / "big.tar.gz"
        with tarfile.open(archive, "w:gz") as t:
            for name, data, _ in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
    assert_refused(archive, tmp_path / "out", says, caps)


def test_a_link_that_stays_inside_is_not_made_but_listed(tmp_path):
    archive = tar_with(tmp_path / "s.tar.gz", [member("p/job.py"), member("p/same.py", tarfile.SYMTYPE, "job.py")])  # fmt: skip
    done = unpack(archive, tmp_path / "out")
    assert (tmp_path / "out" / "p" / "job.py").is_file()
    assert not (tmp_path / "out" / "p" / "same.py").exists()
    assert done.skipped == ["p/same.py (a link to job.py)"]


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


PACKS = {"zip": (zip_project, "p.zip"), "tar": (tar_project, "p.tar.gz"),
         "bundle": (bundle_project, "p.bundle")}  # fmt: skip


@pytest.mark.parametrize("what", sorted(PACKS))
def test_a_learner_project_unpacks_byte_for_byte(what, tmp_path):
    source = PROJECTS / "two_writers"
    pack, name = PACKS[what]
    archive = pack(source, tmp_path / name)
    assert kind(archive) == what
    done = unpack(archive, tmp_path / "out")
    # A zip and a tar hold the project under one top folder, a bundle at its root.
    [root] = [tmp_path / "out"] if what == "bundle" else (tmp_path / "out").iterdir()
    assert files_of(root) == files_of(source)
    assert done.files == len(files_of(source)) and not done.skipped


def git_bundle(tmp_path: Path, link_target: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "job.py").write_text("x = 1\n")
    (repo / "link.py").symlink_to(link_target)
    git = ["git", "-c", "user.name=l", "-c", "user.email=l@example.com"]
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "p"],
                 ["bundle", "create", "-q", str(tmp_path / "p.bundle"), "--all"]):  # fmt: skip
        subprocess.run([*git, *step], cwd=repo, check=True, capture_output=True)
    return tmp_path / "p.bundle"


def test_a_git_bundle_with_a_link_out_is_refused(tmp_path):
    bundle = git_bundle(tmp_path, "/root/.aws/credentials")
    assert_refused(
        bundle, tmp_path / "out", "links outside the submission (/root/.aws/credentials)"
    )


def test_a_git_bundles_link_inside_is_checked_out_as_a_plain_file(tmp_path):
    bundle = git_bundle(tmp_path, "job.py")
    unpack(bundle, tmp_path / "out")
    link = tmp_path / "out" / "link.py"
    assert not link.is_symlink() and link.read_text() == "job.py"
    assert not (tmp_path / "out" / ".git").exists(), "no history, no hooks, no config kept"


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    assert_refused(fake, tmp_path / "out", "cannot be unpacked")
    fake = tmp_path / "fake.bundle"
    fake.write_text("hello")
    assert_refused(fake, tmp_path / "out", "cannot be unpacked")
