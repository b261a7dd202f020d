"""Job transactions: a job's purges, writes and catalog updates land together or not at all.

On Glue a purge deletes at once and a sink writes at once, so a job killed between its purge
node and its sink leaves an empty or half-written table. A job run by the runner is a
transaction instead (purge and write keep their Glue meaning; only *when* they show changes):

- `purge_s3_path` picks the files to delete when it is called (the retentionPeriod rule is
  evaluated then, as on Glue) and deletes nothing yet; reads later in the job no longer see them;
- sinks let Spark write into `<lake>/_staging/<run id>/` and plan each part file's final,
  Glue-style name in the target;
- catalog tables and bookmark state written during the job are staged as documents.

`apply()` (called by `job.commit()` and at the end of a successful script) commits:
  1. write `<lake>/_staging/<run id>/journal.json` (every move, delete and document) and fsync
     it: this is the commit point;
  2. rename the staged files into place, delete the purged files, replace the documents;
  3. remove the journal and the staging folder.
A failed script discards its staging folder, so the previous table stays as it was.
`recover(lake)`, called under the lake lock by every run, job and ingest, rolls a leftover
journal forward (every step is idempotent) and removes staging folders that have no journal.
Outside a runner (plain API use) there is no transaction: purges and writes act at once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("localglue.transaction")

JOURNAL = "journal.json"


def new_run_id() -> str:
    """A Glue-style job run id (jr_ + hex)."""
    return "jr_" + uuid.uuid4().hex[:20]


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Replace a file's content in one rename (a reader sees the old or the new text)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _inside(path: str | os.PathLike, root: str | os.PathLike) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
    except ValueError:
        return False
    return True


@dataclass
class Transaction:
    """The staged changes of one job run on one lake (see the module docstring)."""

    lake: object  # localglue.lake.Lake
    run_id: str
    moves: dict[str, str] = field(default_factory=dict)  # final path -> staged path
    deletes: set[str] = field(default_factory=set)
    documents: dict[str, str] = field(default_factory=dict)  # final path -> text
    prune: set[str] = field(default_factory=set)  # roots whose empty sub-folders go
    _writes: int = 0

    @property
    def dir(self) -> Path:
        return Path(self.lake.staging_dir) / self.run_id

    def owns(self, path: str | os.PathLike) -> bool:
        return _inside(path, self.lake.root)

    def empty(self) -> bool:
        return not (self.moves or self.deletes or self.documents)

    # -- staging -----------------------------------------------------------------------
    def new_write_dir(self) -> str:
        """A fresh folder (not yet created) for Spark to write one sink's output into."""
        self._writes += 1
        parent = self.dir / f"write-{self._writes:04d}"
        parent.mkdir(parents=True, exist_ok=True)
        return str(parent / "out")

    def taken(self, final: str) -> bool:
        """Whether a final name is in use: on disk (even if purged: the journal renames before
        it deletes) or planned."""
        final = os.path.abspath(final)
        return final in self.moves or os.path.exists(final)

    def stage_move(self, staged: str, final: str) -> None:
        """Plan a staged file into place; it replaces a file purged at the same path (the
        journal renames before it deletes, so the purge must not take the new file)."""
        self.deletes.discard(os.path.abspath(final))
        self.moves[os.path.abspath(final)] = os.path.abspath(staged)

    def stage_delete(self, path: str) -> None:
        self.deletes.add(os.path.abspath(path))

    def stage_prune(self, root: str) -> None:
        self.prune.add(os.path.abspath(root))

    def stage_document(self, path: str | os.PathLike, text: str) -> None:
        self.deletes.discard(os.path.abspath(path))
        self.documents[os.path.abspath(path)] = text

    def stage_document_delete(self, path: str | os.PathLike) -> None:
        """A state file that goes at commit (a catalog partition whose files were purged)."""
        self.documents.pop(os.path.abspath(path), None)
        self.deletes.add(os.path.abspath(path))

    def document(self, path: str | os.PathLike) -> str | None:
        return self.documents.get(os.path.abspath(path))

    def writes_under(self, root: str | os.PathLike) -> bool:
        """Whether this job has a file staged to land under root."""
        return any(_inside(final, root) for final in self.moves)

    def deleted(self, path: str | os.PathLike) -> bool:
        return os.path.abspath(path) in self.deletes

    def purge(self, root: str, cutoff: float) -> list[str]:
        """Stage deleting the files under root older than cutoff; returns their paths.

        Files this job already staged for root count too (on Glue they are in S3 by now), so
        a purge after a write in the same job removes that write, as on Glue."""
        root = os.path.abspath(root)
        chosen: list[str] = []
        if os.path.isfile(root):
            if os.path.getmtime(root) < cutoff and root not in self.deletes:
                chosen.append(root)
        elif os.path.isdir(root):
            for dirpath, _dirs, names in os.walk(root):
                for name in sorted(names):
                    path = os.path.join(dirpath, name)
                    if path not in self.deletes and os.path.getmtime(path) < cutoff:
                        chosen.append(path)
        for path in chosen:
            self.deletes.add(path)
        for final, staged in list(self.moves.items()):
            if _inside(final, root) and os.path.getmtime(staged) < cutoff:
                del self.moves[final]
                chosen.append(final)
        self.prune.add(root)
        return chosen

    # -- commit / discard ----------------------------------------------------------------
    def journal(self) -> dict:
        root = Path(self.lake.root)

        def rel(path: str) -> str:
            return Path(path).relative_to(root).as_posix()

        return {
            "run_id": self.run_id,
            "moves": [[rel(staged), rel(final)] for final, staged in sorted(self.moves.items())],
            "deletes": sorted(rel(p) for p in self.deletes),
            "prune": sorted(rel(p) for p in self.prune),
            "documents": {rel(p): text for p, text in sorted(self.documents.items())},
        }

    def apply(self) -> None:
        """Commit everything staged so far (journal first, then the renames); then reset."""
        if self.empty():
            self.discard()
            return
        journal = self.journal()
        self.dir.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.dir / JOURNAL, json.dumps(journal, indent=1) + "\n")
        _fsync_dir(self.dir)
        roll_forward(self.lake, journal)
        self.discard()

    def discard(self) -> None:
        """Forget everything staged and remove the staging folder."""
        self.moves.clear()
        self.deletes.clear()
        self.documents.clear()
        self.prune.clear()
        shutil.rmtree(self.dir, ignore_errors=True)


def roll_forward(lake, journal: dict) -> None:
    """Apply a journal; safe to repeat after a crash at any step (every step is idempotent)."""
    root = Path(lake.root)
    for staged, final in journal.get("moves", []):
        src, dst = root / staged, root / final
        if src.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    for path in journal.get("deletes", []):
        with contextlib.suppress(FileNotFoundError, IsADirectoryError):
            (root / path).unlink()
    for prune_root in journal.get("prune", []):
        _remove_empty_dirs(root / prune_root)
    for path, text in journal.get("documents", {}).items():
        write_text_atomic(root / path, text)


def _remove_empty_dirs(root: Path) -> None:
    if not root.is_dir():
        return
    for dirpath, _dirs, _names in os.walk(root, topdown=False):
        if Path(dirpath) != root:
            with contextlib.suppress(OSError):
                os.rmdir(dirpath)


def recover(lake) -> list[str]:
    """Finish or drop what crashed runs left in <lake>/_staging/. Call with the lake lock held.

    A run folder with a journal crashed while committing: its journal is rolled forward.
    One without a journal never committed: it is removed, the tables keep their previous files.
    Returns one line per run folder handled."""
    staging = Path(lake.staging_dir)
    if not staging.is_dir():
        return []
    done = []
    for entry in sorted(staging.iterdir()):
        if _active is not None and entry == _active.dir:
            continue
        journal_path = entry / JOURNAL
        if journal_path.is_file():
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            roll_forward(lake, journal)
            done.append(f"rolled forward the commit of job run {entry.name}")
        else:
            done.append(f"discarded the uncommitted writes of job run {entry.name}")
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    for line in done:
        log.warning("%s: %s", lake.root, line)
    return done


# -- the current transaction ------------------------------------------------------------------
_active: Transaction | None = None


def active_for(path: str | os.PathLike) -> Transaction | None:
    """The running job's transaction if it covers path (a path inside its lake), else None."""
    txn = _active
    if txn is not None and txn.owns(path):
        return txn
    return None


def current() -> Transaction | None:
    return _active


@contextlib.contextmanager
def job_transaction(lake, run_id: str | None = None):
    """Make a transaction current for the block (the runner wraps each script in one).

    The caller decides: `txn.apply()` on success, `txn.discard()` on failure; anything still
    staged when the block exits is discarded."""
    global _active
    previous = _active
    txn = Transaction(lake, run_id or new_run_id())
    _active = txn
    try:
        yield txn
    finally:
        _active = previous
        txn.discard()


def commit_current() -> None:
    """job.commit(): apply the running job's transaction, if there is one."""
    if _active is not None:
        _active.apply()


def write_document(path: str | os.PathLike, text: str) -> None:
    """Write a small state file (catalog table, bookmark): staged inside a job, else at once."""
    txn = active_for(path)
    if txn is not None:
        txn.stage_document(path, text)
    else:
        write_text_atomic(path, text)


def delete_document(path: str | os.PathLike) -> None:
    """Remove a state file: staged inside a job, else at once."""
    txn = active_for(path)
    if txn is not None:
        txn.stage_document_delete(path)
    else:
        Path(path).unlink(missing_ok=True)


def read_document(path: str | os.PathLike) -> str | None:
    """A state file's text as the running job sees it (its own staged version first)."""
    txn = active_for(path)
    if txn is not None:
        staged = txn.document(path)
        if staged is not None:
            return staged
        if txn.deleted(path):
            return None
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def visible(files: list[str]) -> list[str]:
    """Drop files the running job has purged (they are gone for the rest of the job)."""
    txn = _active
    if txn is None or not txn.deletes:
        return list(files)
    return [f for f in files if not txn.deleted(f)]
