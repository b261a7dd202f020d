"""Generated STEDI-shaped data at k times the real export, cached between benchmark runs.

1x is the size of the shared STEDI export (956 customers, ~81k accelerometer rows);
100x is ~96k customers and ~8M accelerometer rows. Data comes from stedi.generator
(deterministic for a given size and seed), so a cached folder is reused when its manifest
says it was generated with the same parameters.

    python -m bench.scale 10 [--cache DIR]     generate (or reuse) the 10x folder
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

STEDI_CUSTOMERS = 956  # customers in the shared export: 1x
SEED = 7


def default_cache() -> Path:
    return Path(os.environ.get("STEDI_BENCH_CACHE") or Path(tempfile.gettempdir()) / "stedi-bench")


def folder_for(scale: int, cache: Path | None = None) -> Path:
    return (cache or default_cache()) / f"scale-{scale}x"


def _manifest(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return None


def is_ready(scale: int, cache: Path | None = None) -> bool:
    m = _manifest(folder_for(scale, cache))
    gen = (m or {}).get("generator") or {}
    return gen.get("customers") == STEDI_CUSTOMERS * scale and gen.get("seed") == SEED


def ensure(scale: int, cache: Path | None = None) -> tuple[Path, dict, float]:
    """(folder, manifest, seconds spent generating; 0 when reused)."""
    from stedi import generator

    folder = folder_for(scale, cache)
    if is_ready(scale, cache):
        return folder, _manifest(folder), 0.0
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    manifest = generator.generate(folder, n_customers=STEDI_CUSTOMERS * scale, seed=SEED)
    return folder, manifest, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("scale", type=int)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args(argv)
    folder, manifest, seconds = ensure(args.scale, args.cache)
    print(json.dumps({"folder": str(folder), "seconds": seconds, "manifest": manifest}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
