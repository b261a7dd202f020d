"""One Spark session for every job of a run, configured like a small Glue worker.

Start-up (the JVM) is paid once; each Glue script then gets this session through
`SparkContext()` / `SparkContext.getOrCreate()` (see shim.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from pathlib import Path

from localglue.errors import LakehouseError
from localglue.prereqs import java_problem

DEFAULT_MASTER = "local[2]"
# C2, the optimizing JIT, compiles a method once it has run ~5,000 times; a short run spends
# as much CPU compiling Spark as running it (on 2 cores the compiler thread competes with the
# job). Ten times the thresholds keeps C2 for loops that are really hot (every row of a big
# input) and leaves the one-off planning code to C1. Measured on the STEDI rubric run:
# JVM CPU 27 s -> 21 s at 1x; 100x unchanged (C1 only would double it).
JIT_OPTIONS = (
    "-XX:Tier4InvocationThreshold=50000",
    "-XX:Tier4MinInvocationThreshold=6000",
    "-XX:Tier4CompileThreshold=150000",
    "-XX:Tier4BackEdgeThreshold=400000",
)
LOG4J_CONFIG = Path(__file__).with_name("log4j2.properties")
# The driver's heap (Spark runs in the driver JVM locally). 2g holds 100x the STEDI export
# (~7M accelerometer readings) with peak RSS under 3 GiB (docs/benchmarks.md); 4g peaked at
# 4.5 GiB on the same run, because the heap grows to its limit before a full collection.
DRIVER_MEMORY_ENV, DEFAULT_DRIVER_MEMORY = "STEDI_DRIVER_MEMORY", "2g"


def driver_memory() -> str:
    return os.environ.get(DRIVER_MEMORY_ENV) or DEFAULT_DRIVER_MEMORY


def spark_conf(master: str | None = None) -> dict[str, str]:
    warehouse = str(user_dir("spark-warehouse"))
    return {
        "spark.master": master or os.environ.get("STEDI_SPARK_MASTER", DEFAULT_MASTER),
        "spark.app.name": "stedi-lakehouse",
        "spark.sql.session.timeZone": "UTC",
        # Small data: a handful of shuffle partitions beats the default 200.
        "spark.sql.shuffle.partitions": os.environ.get("STEDI_SHUFFLE_PARTITIONS", "4"),
        "spark.default.parallelism": "4",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.warehouse.dir": warehouse,
        "spark.driver.memory": driver_memory(),
        "spark.sql.adaptive.enabled": "true",
        # Above this many paths Spark lists files with a distributed job (8 s for the 1,800
        # files of a 100x landing); the lake is local, so listing on the driver is a stat each.
        "spark.sql.sources.parallelPartitionDiscovery.threshold": "1000000",
        "spark.driver.extraJavaOptions": " ".join(
            [
                "-Dderby.system.home=" + str(user_dir("derby")),
                "-Dlog4j2.configurationFile=" + str(LOG4J_CONFIG.as_uri()),
                "-XX:+UseParallelGC",
                "-Xss4m",
                *JIT_OPTIONS,
            ]
        ),
        "spark.python.worker.reuse": "true",
    }


def cluster_spark_home() -> str:
    """A Spark home for `local-cluster[...]` masters, in the user's private cache folder.

    local-cluster starts real Worker and executor JVMs (Spark's own multi-JVM test mode); the
    workers launch executors from $SPARK_HOME/jars and keep their logs in $SPARK_HOME/work. The
    pip pyspark package is a complete Spark home, but its work/ would then grow inside the
    virtualenv: this home links to the package's bin/ and jars/ and keeps work/ beside them.
    Each link is checked at every start: the executors load whatever jars/ points at.
    """
    import pyspark

    package = Path(pyspark.__file__).resolve().parent
    home = user_dir("spark-home")
    for name in ("bin", "jars", "python"):
        link, target = home / name, package / name
        if not target.exists() or (link.is_symlink() and os.readlink(link) == str(target)):
            continue
        if link.is_symlink() or link.is_file():
            link.unlink()
        elif link.exists():
            shutil.rmtree(link)
        with contextlib.suppress(FileExistsError):  # a concurrent run of ours made it first
            link.symlink_to(target, target_is_directory=True)
    return str(home)


# -- class data sharing ---------------------------------------------------------------------
# A JVM spends a good part of Spark's start-up loading and verifying ~10,000 classes. Java's
# AppCDS keeps them in an archive mapped at start instead: the first session records one when
# it ends (-XX:ArchiveClassesAtExit), later ones map it (-XX:SharedArchiveFile). The archive is
# per Java build and Spark jar set (a hash in its name), published by an atomic rename only
# after the recording JVM has exited and a test JVM has mapped it, because a truncated archive
# crashes the JVM that maps it; a detached helper does that, so no run waits for it.
# STEDI_CDS=0 turns this off. Measured: JVM start 4-5 s -> 2.5 s on a loaded 2-core machine.
CDS_ENV = "STEDI_CDS"


def _java_binary() -> str | None:

    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else shutil.which("java")


def _spark_home() -> Path:
    import pyspark

    home = os.environ.get("SPARK_HOME")
    return Path(home) if home else Path(pyspark.__file__).resolve().parent


def _conf_dir_in_use() -> bool:
    """Spark puts its conf dir first on the classpath; Java cannot archive a classpath with a
    non-empty directory (the recording JVM would fail at exit, printing an error)."""
    conf = Path(os.environ.get("SPARK_CONF_DIR") or _spark_home() / "conf")
    return conf.is_dir() and any(conf.iterdir())


def cds_archive() -> Path | None:
    """Where this Java + Spark's class archive lives (None: no Java, or CDS turned off)."""
    import hashlib

    java = _java_binary()
    if os.environ.get(CDS_ENV, "1") == "0" or not java or not os.path.exists(java):
        return None
    if _conf_dir_in_use():
        return None
    java = os.path.realpath(java)
    jars = _spark_home() / "jars"
    digest = hashlib.sha256()
    digest.update(f"{java} {os.stat(java).st_mtime_ns} {jars}".encode())
    with contextlib.suppress(OSError):
        for jar in sorted(os.scandir(jars), key=lambda e: e.name):
            digest.update(f"{jar.name} {jar.stat().st_size}".encode())
    digest.update(" ".join(JIT_OPTIONS).encode())
    return cds_dir() / f"spark-{digest.hexdigest()[:16]}.jsa"


def cache_root() -> Path:
    """$XDG_CACHE_HOME (else ~/.cache)/stedi-lakehouse: this user's folders, never /tmp."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stedi-lakehouse"


def cds_dir() -> Path:
    """A per-user cache folder: an archive in a shared /tmp could be planted by anyone and
    would be loaded into the JVM."""
    return cache_root() / "cds"


def user_dir(name: str) -> Path:
    """cache_root()/name, made mode 0700 if missing, refused unless this user's alone.

    Spark's warehouse, Derby's home and the local-cluster Spark home live here: in a shared
    /tmp another local user could create them first, own what Spark writes there, and put
    their jars on this user's executors."""
    folder = cache_root() / name
    if not (private_dir(folder.parent) and private_dir(folder)):
        raise LakehouseError(
            f"{folder} is not a folder of yours alone (owned by you, mode 0700, not a "
            "symbolic link): remove it, or set XDG_CACHE_HOME to a folder of yours"
        )
    return folder


def _private(path: Path, *, directory: bool) -> bool:
    """Ours alone: owned by this user, not a symbolic link, writable by nobody else."""
    import stat

    try:
        info = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    return kind and info.st_uid == os.getuid() and not info.st_mode & 0o022


def private_dir(folder: Path) -> bool:
    """Create `folder` mode 0700 if missing, tighten it if ours; False if it is not ours."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.lstat(folder).st_uid == os.getuid() and not folder.is_symlink():
            os.chmod(folder, 0o700)
    except OSError:
        return False
    return _private(folder, directory=True)


def _remove_old_keys(archive: Path) -> None:
    """Archives of other Java builds or jar sets are never mapped again: 130-160 MB each."""
    for old in archive.parent.glob("spark-*.jsa"):
        if old.name != archive.name:
            with contextlib.suppress(OSError):
                old.unlink()


# An archive chosen by the process that started this one (a grade's sandboxed child maps its
# grader's archive, read-only, and records none).
CDS_ARCHIVE_ENV = "STEDI_CDS_ARCHIVE"


def _cds_options(archive: Path | None) -> tuple[list[str], Path | None]:
    """JVM options for the archive, and the file a recording session writes (or None).

    Nothing is mapped or recorded unless the folder is this user's alone (mode 0700) and the
    archive is this user's file, writable by no one else."""
    given = os.environ.get(CDS_ARCHIVE_ENV)
    if given:
        return ([f"-XX:SharedArchiveFile={given}", "-Xlog:cds*=off"] if os.path.isfile(given)
                else []), None  # fmt: skip
    if archive is None or not private_dir(archive.parent):
        return [], None
    _remove_old_keys(archive)
    quiet = "-Xlog:cds*=off"  # never print archive notices into a user's run
    if archive.is_file() or archive.is_symlink():
        if not _private(archive, directory=False):
            return [], None
        return [f"-XX:SharedArchiveFile={archive}", quiet], None
    with contextlib.suppress(OSError):
        for stale in archive.parent.glob("*.part"):  # left by a JVM killed while writing
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink()
        recording = archive.with_name(f"{archive.name}.{os.getpid()}.part")
        return [f"-XX:ArchiveClassesAtExit={recording}", quiet], recording
    return [], None


# Run detached when the session's process exits: wait for the JVM to finish writing the
# archive, check that a JVM maps it, then publish it (standard library only).
_PUBLISHER = """
import os, subprocess, sys, time
pid, recording, archive, java, classpath = sys.argv[1:6]
deadline = time.monotonic() + 300
try:
    while time.monotonic() < deadline:
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        sys.exit(0)
    check = [java, "-Xshare:on", "-XX:SharedArchiveFile=" + recording, "-cp", classpath, "-version"]
    if os.path.isfile(recording) and subprocess.run(check, capture_output=True).returncode == 0:
        os.replace(recording, archive)
finally:
    if os.path.exists(recording):
        os.remove(recording)
"""


def _publish_at_exit(spark, recording: Path, archive: Path) -> None:
    """When this process exits its JVM records the archive; a detached helper publishes it."""
    import atexit
    import subprocess

    try:
        pid = spark.sparkContext._gateway.proc.pid  # spark-submit execs into the JVM
        classpath = spark.sparkContext._jvm.System.getProperty("java.class.path")
    except Exception:  # noqa: BLE001 - no JVM handle, no archive
        return
    args = [sys.executable, "-c", _PUBLISHER, str(pid), str(recording), str(archive)]
    args += [_java_binary(), classpath]

    def publish() -> None:
        with contextlib.suppress(Exception):  # an archive is an optimisation, never an error
            subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )

    atexit.register(publish)


def get_spark(master: str | None = None):
    """The active session, or a new one configured by spark_conf()."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    problem = java_problem()
    if problem:
        raise LakehouseError(problem)
    # A laptop whose hostname resolves to loopback makes Spark warn on every start.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # Python workers must be this interpreter (the venv), not whatever `python3` is on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    conf = spark_conf(master)
    if conf["spark.master"].startswith("local-cluster") and "SPARK_HOME" not in os.environ:
        os.environ["SPARK_HOME"] = cluster_spark_home()
    archive = cds_archive()
    cds, recording = _cds_options(archive)
    if cds:
        conf["spark.driver.extraJavaOptions"] += " " + " ".join(cds)
    builder = SparkSession.builder
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if recording is not None:
        _publish_at_exit(spark, recording, archive)
    return spark


@contextlib.contextmanager
def job_session(spark):
    """A new Spark session for one job run, active for the block; the previous one after.

    Glue gives every job run its own cluster: a job's SQL conf, temp views and UDFs never
    reach the next job. `newSession()` shares the SparkContext (the JVM starts once) and
    nothing else but cached data, which is cleared when the job ends. Both pyspark's
    getActiveSession() (SparkSession._activeSession) and builder.getOrCreate()
    (_instantiatedSession) answer the job's session while it runs.
    """
    from pyspark.sql import SparkSession

    session = spark.newSession()
    jvm = spark.sparkContext._jvm
    saved = SparkSession._activeSession, SparkSession._instantiatedSession
    SparkSession._activeSession = SparkSession._instantiatedSession = session
    jvm.SparkSession.setActiveSession(session._jsparkSession)
    jvm.SparkSession.setDefaultSession(session._jsparkSession)
    try:
        yield session
    finally:
        SparkSession._activeSession, SparkSession._instantiatedSession = saved
        if not stopped(spark):
            spark.catalog.clearCache()  # cached frames are shared by every session
            jvm.SparkSession.setActiveSession(spark._jsparkSession)
            jvm.SparkSession.setDefaultSession(spark._jsparkSession)


def stopped(spark) -> bool:
    """Whether Spark was stopped (a job may call `spark.stop()`)."""
    sc = spark.sparkContext
    return sc._jsc is None or sc._jsc.sc().isStopped()
