"""`python -m validation.dqdl`: the GX suites as DQDL rulesets for Glue Studio's Evaluate Data Quality node.

    python -m validation.dqdl [--table T] [--profile rubric|strict] [--out DIR]

Each GX expectation maps to its DQDL rule(s):
  expect_column_to_exist                 -> ColumnExists "c"
  expect_table_columns_to_match_set      -> ColumnExists "c" per column (+ ColumnCount = n if exact)
  expect_table_column_count_to_equal     -> ColumnCount = n
  expect_table_row_count_to_be_between   -> RowCount >= min, RowCount <= max
  expect_table_row_count_to_equal        -> RowCount = n
  expect_column_values_to_not_be_null    -> IsComplete "c"
  expect_column_values_to_be_unique      -> IsUnique "c"
  expect_compound_columns_to_be_unique   -> IsPrimaryKey "a" "b" (also demands completeness,
                                            which the suites check separately anyway)
  expect_column_values_to_be_between     -> ColumnValues "c" >= min where "c is not null", and <= max
                                            (DQDL `between` is EXCLUSIVE, so never used; GX
                                            skips NULLs in ranges, DQDL fails them: hence where)
  expect_column_values_to_be_in_set      -> ColumnValues "c" in [...]
  unexpected_rows_expectation            -> CustomSql "SELECT COUNT(*) FROM (<query>) ..." = 0
                                            with {batch} -> primary and "ident" -> `ident`
                                            (CustomSql runs Spark SQL, where "x" is a string)
`mostly` becomes `with threshold >= mostly`. DQDL has no severity: the header lists the
warning-level checks. An expectation with no DQDL form (e.g. a query on
information_schema, which Spark SQL lacks) is listed in the header and on stderr.
CustomSql rules that name other tables (customer_landing, customer_trusted, ...) need
those tables visible to the job's Spark session (Glue: the catalog database of the job).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from stedi.tables import PROFILES, TABLE_NAMES
from validation.suites import expectations_dir, read_expectation_dicts, suite_files

INDENT = "    "


class NoDQDLForm(Exception):
    """This expectation has no DQDL rule; the message says why."""


def _num(v) -> str:
    if isinstance(v, bool):
        raise NoDQDLForm("boolean bounds have no DQDL form")
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15):
        return str(int(v))
    return repr(float(v))


def _q(name: str) -> str:
    return '"' + name.replace('"', '\\"') + '"'


def _spark_ident(name: str) -> str:
    return name if re.fullmatch(r"[a-z_][a-z0-9_]*", name) else f"`{name}`"


def _threshold(kwargs: dict) -> str:
    mostly = kwargs.get("mostly")
    return "" if mostly in (None, 1, 1.0) else f" with threshold >= {_num(mostly)}"


def spark_sql(query: str) -> str:
    """GX/ANSI SQL -> Spark SQL for CustomSql: "ident" -> `ident`, {batch} -> primary."""
    out, i = [], 0
    while i < len(query):
        ch = query[i]
        if ch == "'":  # copy string literals untouched
            j = i + 1
            while j < len(query):
                if query[j] == "'" and query[j + 1 : j + 2] == "'":
                    j += 2
                    continue
                if query[j] == "'":
                    break
                j += 1
            out.append(query[i : j + 1])
            i = j + 1
        elif ch == '"':
            j = query.index('"', i + 1)
            out.append("`" + query[i + 1 : j] + "`")
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out).replace("{batch}", "primary")


def rules_for(exp: dict) -> list[str]:
    """The DQDL rules of one GX expectation dict; raise NoDQDLForm if there is none."""
    kind, kw = exp["type"], exp.get("kwargs", {})
    t = _threshold(kw)
    if kind == "expect_column_to_exist":
        return [f"ColumnExists {_q(kw['column'])}"]
    if kind == "expect_table_columns_to_match_set":
        rules = [f"ColumnExists {_q(c)}" for c in kw["column_set"]]
        if kw.get("exact_match", True):
            rules.append(f"ColumnCount = {len(kw['column_set'])}")
        return rules
    if kind == "expect_table_column_count_to_equal":
        return [f"ColumnCount = {_num(kw['value'])}"]
    if kind == "expect_table_row_count_to_equal":
        return [f"RowCount = {_num(kw['value'])}"]
    if kind in ("expect_table_row_count_to_be_between", "expect_column_values_to_be_between"):
        table_level = kind.startswith("expect_table")
        subject = "RowCount" if table_level else f"ColumnValues {_q(kw['column'])}"
        # GX skips NULLs in column ranges; DQDL's ColumnValues fails them: filter them out.
        where = "" if table_level else f' where "{_spark_ident(kw["column"])} is not null"'
        rules = []
        if kw.get("min_value") is not None:
            op = ">" if kw.get("strict_min") else ">="
            rules.append(f"{subject} {op} {_num(kw['min_value'])}{where}{t}")
        if kw.get("max_value") is not None:
            op = "<" if kw.get("strict_max") else "<="
            rules.append(f"{subject} {op} {_num(kw['max_value'])}{where}{t}")
        if not rules:
            raise NoDQDLForm("a range with neither bound checks nothing")
        return rules
    if kind == "expect_column_values_to_not_be_null":
        if t:
            return [f"Completeness {_q(kw['column'])} >= {_num(kw['mostly'])}"]
        return [f"IsComplete {_q(kw['column'])}"]
    if kind == "expect_column_values_to_be_unique":
        if t:
            return [f"Uniqueness {_q(kw['column'])} >= {_num(kw['mostly'])}"]
        return [f"IsUnique {_q(kw['column'])}"]
    if kind == "expect_compound_columns_to_be_unique":
        return ["IsPrimaryKey " + " ".join(_q(c) for c in kw["column_list"])]
    if kind == "expect_column_values_to_be_in_set":
        values = ",".join(_q(v) if isinstance(v, str) else _num(v) for v in kw["value_set"])
        return [f"ColumnValues {_q(kw['column'])} in [{values}]{t}"]
    if kind == "unexpected_rows_expectation":
        query = kw["unexpected_rows_query"]
        if "information_schema" in query.lower():
            raise NoDQDLForm("it queries information_schema, which Spark SQL (CustomSql) lacks")
        sql = spark_sql(query)
        return [f'CustomSql "SELECT COUNT(*) FROM ({sql}) unexpected_rows" = 0']
    raise NoDQDLForm(f"GX type {kind} has no DQDL rule type")


def render(table: str, profile: str, root: Path | None = None) -> tuple[str, list[tuple[str, str]]]:
    """(DQDL ruleset text, [(check name, why no DQDL form)]) for one table and profile."""
    files = suite_files(table, profile, root)
    rules, warnings, missing = [], [], []
    for exp in read_expectation_dicts(files):
        name = exp.get("meta", {}).get("name", exp["type"])
        try:
            produced = rules_for(exp)
        except NoDQDLForm as why:
            missing.append((name, str(why)))
            continue
        rules.extend(produced)
        if exp.get("severity", "critical") != "critical":
            warnings.append(name)
    base = expectations_dir(root)
    sources = ", ".join(str(Path(f).resolve().relative_to(base.resolve().parent)) for f in files)
    scope = (
        f"{profile} profile"
        if golden_name(table, profile, root) != f"{table}.dqdl"
        else "every profile"
    )
    lines = [
        f"# stedi.{table} ({scope}): rendered by `python -m validation.dqdl` from {sources}.",
        "# Edit the GX suite, not this file. DQDL has no severity; these checks are warnings in GX:",
        f"#   {', '.join(warnings) if warnings else '(none)'}",
    ]
    if missing:
        lines.append("# No DQDL form (checked by `python -m validation.run` only):")
        lines += [f"#   {name}: {why}" for name, why in missing]
    lines.append("Rules = [")
    lines += [f"{INDENT}{r}," for r in rules[:-1]] + [f"{INDENT}{rules[-1]}"]
    lines.append("]")
    return "\n".join(lines) + "\n", missing


def golden_name(table: str, profile: str, root: Path | None = None) -> str:
    """<table>.dqdl when the suite is the same for every profile, else <table>.<profile>.dqdl."""
    profiled = any(len(suite_files(table, p, root)) > 1 for p in PROFILES)
    return f"{table}.{profile}.dqdl" if profiled else f"{table}.dqdl"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m validation.dqdl", description=__doc__.splitlines()[0]
    )
    p.add_argument("--table", choices=TABLE_NAMES, help="one table (default: all)")
    p.add_argument("--profile", choices=PROFILES, default="rubric")
    p.add_argument("--out", help="write <table>[.<profile>].dqdl files here instead of printing")
    p.add_argument("--expectations", help="suites folder (default: ./expectations)")
    p.add_argument("--json", action="store_true", help="print {table: ruleset} as JSON")
    try:
        args = p.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    root = Path(args.expectations) if args.expectations else None
    tables = [args.table] if args.table else TABLE_NAMES
    rendered = {}
    for table in tables:
        text, missing = render(table, args.profile, root)
        rendered[table] = text
        for name, why in missing:
            print(f"{table}: {name} has no DQDL form: {why}", file=sys.stderr)
        if args.out:
            out = Path(args.out)
            out.mkdir(parents=True, exist_ok=True)
            (out / golden_name(table, args.profile, root)).write_text(text)
    if args.json:
        print(json.dumps(rendered, indent=2))
    elif not args.out:
        for table in tables:
            if len(tables) > 1:
                print(f"# ---- {table}")
            print(rendered[table], end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
