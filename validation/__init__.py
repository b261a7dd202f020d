"""Validation of the STEDI lake: GX suites + row counts on DuckDB (local) or Athena.

run.py            `python -m validation.run`: the checks, the exit code, the reports
suites.py         load the versioned GX suites (counted: GX drops what it cannot build)
                  and the expected row counts
checks.py         the row-count check (same SQL text on every engine)
gx_runner.py      GX SQL datasource + checkpoint + Data Docs
gx_duckdb_compat  GX 1.24 on duckdb-engine (persisted connection)
engines/          local.py (DuckDB views over the lake, found through the catalog), athena.py
report.py         report.json (schema documented there), report.md, terminal table
dqdl.py           `python -m validation.dqdl`: the same suites as Glue DQDL rulesets
"""
