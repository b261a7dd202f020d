"""`python -m grading.sandbox.enter SPEC_JSON -- PROGRAM [ARG ...]`: the first process in the
grade's namespaces, started by `unshare --net --mount --pid --fork` (grading/isolation.py).

It is PID 1 of a new PID namespace, in a new network and a new mount namespace, still
privileged there, and it:
1. brings the loopback interface up: Spark's driver, its JVM gateway and its Python workers
   talk over 127.0.0.1; the namespace has no other interface, so nothing else is reachable
   (the internet, the instance metadata service, the grader's own services);
2. builds a new root from bind mounts: the system folders, the code and the project
   read-only; the lake and the child's temp folder (mounted as /tmp) writable; a few device
   nodes and a fresh /proc. Everything else (the grader's HOME and ~/.aws, /work, the
   landing data, the report folder) is absent from the child's view;
3. forks the program: the fork drops every capability (an empty bounding set), becomes the
   unprivileged user (when started as real root), sets no_new_privs and executes PROGRAM.
   PID 1 stays behind only to reap orphans; when PROGRAM ends it exits with its code, and
   the kernel ends every process left in the namespace (a forked daemon dies with the grade).

Standard library only, and nothing of the grader: it is the learner's side of the wall. A
step that fails ends it with code 125 and one line on stderr; the grader then runs the jobs
with a weaker isolation and says so in the report.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import signal
import socket
import struct
import sys

SETUP_FAILED = 125

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC = 32, 4096, 8192, 16384
MS_NOATIME, MS_NODIRATIME, MS_RELATIME = 1024, 2048, 1 << 21
# statvfs f_flag bits -> mount flags a bind remount must keep (a user namespace may not
# clear a flag it inherited locked; keeping them is right for real root too).
KEPT_FLAGS = {1: MS_RDONLY, 2: MS_NOSUID, 4: MS_NODEV, 8: MS_NOEXEC, 1024: MS_NOATIME,
              2048: MS_NODIRATIME, 4096: MS_RELATIME}  # fmt: skip
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1

_libc = ctypes.CDLL(None, use_errno=True)


class SetupError(Exception):
    pass


def _b(text: str | None) -> bytes | None:
    return None if text is None else os.fsencode(text)


def mount(source: str | None, target: str, fstype: str | None, flags: int, data=None) -> None:
    if _libc.mount(_b(source), _b(target), _b(fstype), ctypes.c_ulong(flags), _b(data)) != 0:
        err = ctypes.get_errno()
        raise SetupError(f"mount {source or ''} on {target}: {os.strerror(err)}")


def prctl(option: int, value: int) -> None:
    if _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise SetupError(f"prctl({option}, {value}): {os.strerror(err)}")


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sH", b"lo", 0)
        flags = struct.unpack("16sH", fcntl.ioctl(sock, SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack("16sH", b"lo", flags | IFF_UP))


def _kept_flags(path: str) -> int:
    found = os.statvfs(path).f_flag
    return sum(flag for bit, flag in KEPT_FLAGS.items() if found & bit)


def _mount_points_under(target: str) -> list[str]:
    """Mount points at or below target (/proc/self/mountinfo, field 5, octal escapes)."""
    points = []
    with open("/proc/self/mountinfo", "rb") as handle:
        for line in handle:
            raw = line.split()[4]
            point = os.fsdecode(re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m[1], 8)]), raw))
            if point == target or point.startswith(target.rstrip("/") + "/"):
                points.append(point)
    return points


def _mount_point(target: str, is_dir: bool) -> None:
    if is_dir:
        os.makedirs(target, exist_ok=True)
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if not os.path.exists(target):
        with open(target, "a"):
            pass


def bind(source: str, target: str, writable: bool) -> None:
    """Bind source (and its sub-mounts) at target; read-only unless writable; never setuid."""
    _mount_point(target, os.path.isdir(source))
    mount(source, target, None, MS_BIND | MS_REC)
    for point in _mount_points_under(target):
        flags = _kept_flags(point) | MS_NOSUID
        if not writable:
            flags |= MS_RDONLY
        mount(None, point, None, MS_REMOUNT | MS_BIND | flags)


def build_root(spec: dict) -> None:
    root = spec["root"]
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=16m")
    for link in spec.get("symlinks", []):
        os.symlink(link["target"], root + link["path"])
    for entry in sorted(spec["binds"], key=lambda b: b["dst"].rstrip("/").count("/")):
        bind(entry["src"], root + entry["dst"], entry["rw"])
    os.makedirs(root + "/dev", exist_ok=True)
    for name in spec.get("devices", []):
        target = f"{root}/dev/{name}"
        _mount_point(target, False)
        mount(f"/dev/{name}", target, None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):  # fmt: skip
        os.symlink(target, f"{root}/dev/{name}")
    os.makedirs(root + "/dev/shm")
    mount("tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=64m")
    os.makedirs(root + "/proc", exist_ok=True)
    mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    mount(None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "mode=0755")
    os.chdir(root)
    mount(root, "/", None, MS_MOVE)
    os.chroot(".")
    os.chdir(spec.get("cwd") or "/")


def drop_privileges(uid: int | None, gid: int | None) -> None:
    """No capability survives the exec (empty bounding set), no setuid binary gains any
    (no_new_privs); as real root, also another user, so the grader's files are not ours."""
    with open("/proc/sys/kernel/cap_last_cap") as handle:
        last = int(handle.read())
    for cap in range(last + 1):
        prctl(PR_CAPBSET_DROP, cap)
    if uid is not None:
        os.setgroups([])
        os.setresgid(gid, gid, gid)
        os.setresuid(uid, uid, uid)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # a change of user cleared unshare's


def reap(worker: int) -> int:
    """PID 1's work: reap every orphan until the worker ends; its exit code."""
    while True:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            return 1
        except InterruptedError:
            continue
        if pid == worker:
            code = os.waitstatus_to_exitcode(status)
            return code if code >= 0 else 128 - code


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python -m grading.sandbox.enter SPEC_JSON -- PROGRAM [ARG ...]",
              file=sys.stderr)  # fmt: skip
        return 2
    spec, program = json.loads(argv[0]), argv[2:]
    try:
        loopback_up()
        build_root(spec)
    except (OSError, SetupError) as exc:
        print(f"sandbox: {exc}", file=sys.stderr, flush=True)
        return SETUP_FAILED
    worker = os.fork()
    if worker == 0:
        try:
            drop_privileges(spec.get("uid"), spec.get("gid"))
            facts = {"network": "loopback only", "root": "new", "uid": os.getuid()}
            os.write(spec["report_fd"], (json.dumps({"entered": facts}) + "\n").encode())
            os.execve(program[0], program, os.environ)
        except (OSError, SetupError) as exc:
            print(f"sandbox: {exc}", file=sys.stderr, flush=True)
        os._exit(SETUP_FAILED)
    for fd in spec.get("close_fds", []):  # the pipes are the worker's alone
        try:
            os.close(fd)
        except OSError as exc:
            if exc.errno != errno.EBADF:
                raise
    return reap(worker)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
