"""A submission that arrives as an archive (.zip, .tar.gz/.tgz, a git bundle), unpacked safely.

An archive is a stranger's file like the scripts inside it, and it is unpacked by the grader,
not in the sandbox: every member is checked before a byte is written.
- names: no absolute path, drive letter or `..`, and nothing that resolves outside the target
  (zip-slip); backslashes count as separators (zips made on Windows);
- links: a symbolic or hard link that points outside the target refuses the archive; one
  that stays inside is not made (a grade needs none), and is listed as skipped;
- device files, FIFOs and sockets refuse the archive;
- size: the unpacked bytes, the file count and the compression ratio are capped before
  extraction (from the archive's own listing) and again while writing (a listing can lie),
  so a zip bomb costs a one-line error, never the disk.
A git bundle is cloned with `core.symlinks=false` (a link in the repository becomes a small
file holding its target) and without hooks, after its tree's sizes were checked.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from localglue.errors import LakehouseError

ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz", ".bundle")
BUNDLE_SIGNATURES = (b"# v2 git bundle\n", b"# v3 git bundle\n")
CHUNK = 1 << 20


class UnsafeArchive(LakehouseError):
    """The archive was refused; the message says which member and why, in one line."""


@dataclass(frozen=True)
class Caps:
    """What one submission may unpack to. Learner repositories hold scripts, DDL, screenshots
    and sometimes the landing data (tens of MB); a bomb is thousands of times its size."""

    max_bytes: int = 512 * 2**20
    max_files: int = 20_000
    max_ratio: float = 200.0  # unpacked bytes per archive byte (JSON zips ~10-20x)
    ratio_floor: int = 8 * 2**20  # below this many unpacked bytes no ratio is too high


class Tally:
    """Files and bytes an archive's listing announces, refused as soon as a cap is passed
    (a tar's listing is read member by member: a bomb is stopped at its first huge header)."""

    def __init__(self, archive: Path, caps: Caps):
        self.archive, self.caps = archive, caps
        self.size = max(archive.stat().st_size, 1)
        self.files = self.bytes = 0

    def add(self, size: int) -> None:
        self.files += 1
        self.bytes += size
        name, caps = self.archive.name, self.caps
        if self.files > caps.max_files:
            raise UnsafeArchive(f"{name}: more than {caps.max_files:,} files, the most a "
                                "submission may hold")  # fmt: skip
        if self.bytes > caps.max_bytes:
            raise UnsafeArchive(f"{name}: unpacks to more than {_size(caps.max_bytes)}, the most "
                                "a submission may hold (an archive bomb?)")  # fmt: skip
        ratio = self.bytes / self.size
        if self.bytes > caps.ratio_floor and ratio > caps.max_ratio:
            raise UnsafeArchive(f"{name}: unpacks to over {caps.max_ratio:g} times its size "
                                f"({_size(self.bytes)} so far from {_size(self.size)}): an archive "
                                "bomb?")  # fmt: skip


@dataclass
class Unpacked:
    folder: Path
    files: int = 0
    bytes: int = 0
    skipped: list[str] = field(default_factory=list)  # links inside the archive, not made


def _size(n: int) -> str:
    return f"{n / 2**20:,.1f} MiB" if n >= 2**20 else f"{n / 2**10:,.1f} KiB"


def kind(path: Path) -> str | None:
    """The archive's kind, zip, tar or bundle (by its name, or a bundle by its first line);
    None for anything else."""
    name = path.name.lower()
    if not path.is_file() or path.is_symlink():
        return None
    if name.endswith(".zip"):
        return "zip"
    if name.endswith((".tar.gz", ".tgz")):
        return "tar"
    if name.endswith(".bundle"):
        return "bundle"
    with open(path, "rb") as f:
        return "bundle" if f.read(16) in BUNDLE_SIGNATURES else None


def stem(path: Path) -> str:
    """The archive's name without its archive suffix."""
    name = path.name
    for suffix in ARCHIVE_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def safe_member(archive: Path, name: str) -> PurePosixPath:
    """The member's path relative to the target, or UnsafeArchive when it could land elsewhere."""
    parts = name.replace("\\", "/")
    if "\x00" in parts:
        raise UnsafeArchive(f"{archive.name}: member {name!r} has a NUL in its name")
    if parts.startswith("/") or re.match(r"^[A-Za-z]:", parts):
        raise UnsafeArchive(f"{archive.name}: member {name!r} has an absolute name")
    pure = PurePosixPath(parts)
    if ".." in pure.parts:
        raise UnsafeArchive(f"{archive.name}: member {name!r} climbs out of the submission (..)")
    return PurePosixPath(*[p for p in pure.parts if p not in ("", ".")])


def _inside(target: Path, relative: PurePosixPath) -> Path:
    path = target.joinpath(*relative.parts)
    if not path.resolve().is_relative_to(target.resolve()):  # a link planted by an earlier member
        raise UnsafeArchive(f"member {relative} resolves outside the submission")
    return path


def _link_stays_inside(relative: PurePosixPath, link: str) -> bool:
    """Whether a link at `relative` pointing at `link` (relative to its folder) stays inside."""
    if link.startswith("/") or re.match(r"^[A-Za-z]:", link):
        return False
    depth = len(relative.parts) - 1
    for part in PurePosixPath(link.replace("\\", "/")).parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return False
    return True


def _write(source, path: Path, limit: int, written: list[int], archive: Path) -> None:
    """Copy a member's bytes, refusing the archive once the whole would pass the cap."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        while chunk := source.read(CHUNK):
            written[0] += len(chunk)
            if written[0] > limit:
                raise UnsafeArchive(f"{archive.name}: unpacks to more than {_size(limit)} (its "
                                    "listing said less: an archive bomb?)")  # fmt: skip
            out.write(chunk)


def unpack(archive: Path, target: Path, caps: Caps | None = None) -> Unpacked:
    """Unpack `archive` into the new folder `target`; on any refusal `target` is removed."""
    caps = caps or Caps()
    what = kind(archive)
    if what is None:
        raise UnsafeArchive(f"{archive.name}: not a .zip, .tar.gz/.tgz or git bundle")
    target.mkdir(parents=True)
    try:
        done = {"zip": _unzip, "tar": _untar, "bundle": _unbundle}[what](archive, target, caps)
    except UnsafeArchive:
        shutil.rmtree(target, ignore_errors=True)
        raise
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError, ValueError) as exc:
        shutil.rmtree(target, ignore_errors=True)
        raise UnsafeArchive(f"{archive.name}: cannot be unpacked ({type(exc).__name__}: "
                            f"{' '.join(str(exc).split())[:200]})") from None  # fmt: skip
    return done


def _unzip(archive: Path, target: Path, caps: Caps) -> Unpacked:
    out, tally, written = Unpacked(target), Tally(archive, caps), [0]
    with zipfile.ZipFile(archive) as z:
        members = z.infolist()
        for m in members:  # the central directory first: a bomb is refused before writing
            if not m.is_dir():
                tally.add(m.file_size)
        for m in members:
            relative = safe_member(archive, m.filename)
            mode = m.external_attr >> 16
            if m.is_dir() or not relative.parts:
                if relative.parts:
                    _inside(target, relative).mkdir(parents=True, exist_ok=True)
                continue
            if stat.S_ISLNK(mode):
                link = z.read(m)[:4096].decode("utf-8", "replace")
                _refuse_link_out(archive, relative, link)
                out.skipped.append(f"{relative} (a link to {link})")
                continue
            if mode and not stat.S_ISREG(mode):
                raise UnsafeArchive(f"{archive.name}: member {relative} is a {_what(mode)}")
            if m.flag_bits & 0x1:
                raise UnsafeArchive(f"{archive.name}: member {relative} is encrypted")
            with z.open(m) as source:
                _write(source, _inside(target, relative), caps.max_bytes, written, archive)
            out.files += 1
    out.bytes = written[0]
    return out


def _refuse_link_out(archive: Path, relative: PurePosixPath, link: str) -> None:
    if not _link_stays_inside(relative, link):
        raise UnsafeArchive(f"{archive.name}: member {relative} links outside the submission "
                            f"({link})")  # fmt: skip


def _what(mode: int) -> str:
    for test, name in ((stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISDIR, "folder with file data")):  # fmt: skip
        if test(mode):
            return name
    return f"special file (mode {mode:o})"


TAR_KINDS = {tarfile.CHRTYPE: "character device", tarfile.BLKTYPE: "block device",
             tarfile.FIFOTYPE: "FIFO"}  # fmt: skip


def _untar(archive: Path, target: Path, caps: Caps) -> Unpacked:
    """One pass, member by member: each header is checked before its data is read."""
    out, tally, written = Unpacked(target), Tally(archive, caps), [0]
    with tarfile.open(archive, "r:gz") as t:
        for m in t:
            relative = safe_member(archive, m.name)
            if m.issym() or m.islnk():
                # A hard link names another member by its path from the archive's root.
                up = [".."] * (len(relative.parts) - 1)
                link = m.linkname if m.issym() else "/".join([*up, m.linkname])
                if m.islnk() and m.linkname.startswith("/"):
                    link = m.linkname
                _refuse_link_out(archive, relative, link)
                out.skipped.append(f"{relative} (a link to {m.linkname})")
                continue
            if m.isdir():
                if relative.parts:
                    _inside(target, relative).mkdir(parents=True, exist_ok=True)
                continue
            if not m.isreg():
                what = TAR_KINDS.get(m.type, "special file")
                raise UnsafeArchive(f"{archive.name}: member {relative} is a {what}")
            tally.add(m.size)
            if relative.parts:
                source = t.extractfile(m)
                _write(source, _inside(target, relative), caps.max_bytes, written, archive)
                out.files += 1
    out.bytes = written[0]
    return out


def _git(*args: str, cwd: Path | None = None, timeout: float = 300) -> str:
    """git with no user or system configuration, no hooks, no prompts, links as files."""
    env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": "/nonexistent",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}  # fmt: skip
    config = ["-c", "core.symlinks=false", "-c", "core.hooksPath=/nonexistent",
              "-c", "protocol.allow=never", "-c", "protocol.file.allow=always"]  # fmt: skip
    done = subprocess.run(["git", *config, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode != 0:
        raise OSError(f"git {args[0]}: {(done.stderr.strip().splitlines() or ['failed'])[-1]}")
    return done.stdout


def _unbundle(archive: Path, target: Path, caps: Caps) -> Unpacked:
    """The bundle's HEAD (else its first branch), checked out without its history."""
    if shutil.which("git") is None:
        raise UnsafeArchive(f"{archive.name}: a git bundle needs git, which is not installed")
    heads = dict(
        reversed(line.split(" ", 1))
        for line in _git("bundle", "list-heads", str(archive.resolve())).splitlines()
        if " " in line
    )
    ref = "HEAD" if "HEAD" in heads else next(iter(sorted(heads)), None)
    if ref is None:
        raise UnsafeArchive(f"{archive.name}: the git bundle holds no branch")
    commit = heads[ref]
    _git("clone", "--quiet", "--no-checkout", str(archive.resolve()), str(target), timeout=600)
    out, tally = Unpacked(target), Tally(archive, caps)
    for item in filter(None, _git("ls-tree", "-r", "-l", "-z", commit, cwd=target).split("\0")):
        meta, path = item.split("\t", 1)
        mode, what, _, size = meta.split()
        relative = safe_member(archive, path)
        if what == "commit":  # a submodule: another repository, not fetched
            out.skipped.append(f"{relative} (a submodule)")
            continue
        if mode == "120000":  # a link, checked out as a small file holding its target
            _refuse_link_out(archive, relative, _git("cat-file", "blob", f"{commit}:{path}",
                                                     cwd=target))  # fmt: skip
        tally.add(int(size))
    _git("checkout", "--quiet", commit, "--", ".", cwd=target, timeout=600)
    shutil.rmtree(target / ".git", ignore_errors=True)
    out.files, out.bytes = tally.files, tally.bytes
    return out
