"""The suites' expectations as plain SQL on the validation engine: the verdict without GX.

`import great_expectations` alone takes 5-6 s, most of a cold `python -m validation.run`; the
checks themselves are a few SQL queries. The suites in expectations/ use eight expectation
types, each computed here the way GX 1.24 computes it on a SQL datasource:

- expect_table_columns_to_match_set(column_set, exact_match=True): an unquoted name matches
  case-insensitively, a "quoted" one exactly; observed: the table's columns, and the mismatch
  ({"unexpected", "missing"}) as the sample.
- expect_column_to_exist(column): the name, exactly.
- expect_table_row_count_to_be_between(min_value, max_value, strict_min, strict_max):
  observed: the row count.
- expect_column_values_to_not_be_null(column): unexpected: the null rows.
- expect_column_values_to_be_between(column, min_value, max_value, strict_min, strict_max):
  unexpected: non-null values outside the bounds; a string or boolean column is an error
  (GX refuses to compare one with bounds).
- expect_column_values_to_be_unique(column): unexpected: the non-null rows whose value occurs
  more than once.
- expect_compound_columns_to_be_unique(column_list): unexpected: the rows (all-null rows
  ignored) whose combination occurs more than once; nulls compare equal, as in GROUP BY.
- unexpected_rows_expectation(unexpected_rows_query): `{batch}` filled in with str.format, as
  GX does; observed: the query's row count.

A check of a column the table lacks fails with an error, as in GX. An expectation type or
keyword argument not listed here is a SuiteError (exit 2) naming it. Severity is the
expectation's "severity" (GX's default: critical). tests/test_validation_paths.py runs GX and
these checks on every planted violation and finds the same failing checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from validation.suites import SuiteError, SuiteSpec

# type -> (required kwargs, optional kwargs)
BOUNDS = frozenset({"min_value", "max_value", "strict_min", "strict_max"})
KWARGS: dict[str, tuple[frozenset, frozenset]] = {
    "expect_table_columns_to_match_set": (frozenset({"column_set"}), frozenset({"exact_match"})),
    "expect_column_to_exist": (frozenset({"column"}), frozenset()),
    "expect_table_row_count_to_be_between": (frozenset(), BOUNDS),
    "expect_column_values_to_not_be_null": (frozenset({"column"}), frozenset()),
    "expect_column_values_to_be_between": (frozenset({"column"}), BOUNDS),
    "expect_column_values_to_be_unique": (frozenset({"column"}), frozenset()),
    "expect_compound_columns_to_be_unique": (frozenset({"column_list"}), frozenset()),
    "unexpected_rows_expectation": (frozenset({"unexpected_rows_query"}), frozenset()),
}
# Column types GX will not compare with numeric bounds (its INVALID_COLUMN_TYPES, by prefix).
NOT_COMPARABLE = ("VARCHAR", "CHAR", "NVARCHAR", "NCHAR", "TEXT", "STRING", "BOOL", "BIT")
SAMPLE_ROWS = 3


@dataclass
class Outcome:
    """One expectation's result, in the report's failure shape (validation/report.py)."""

    name: str
    type: str
    severity: str
    description: str | None
    kwargs: dict
    success: bool = True
    observed: object = None
    unexpected_count: int | None = None
    sample: list = field(default_factory=list)
    error: str | None = None

    def failure(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "severity": self.severity,
            "description": self.description,
            "observed": self.observed,
            "unexpected_count": self.unexpected_count,
            "sample": self.sample,
            "error": self.error,
            "kwargs": self.kwargs,
        }


def refuse_unsupported(spec: SuiteSpec) -> None:
    """SuiteError naming every expectation these checks cannot run as written."""
    bad = []
    for exp in spec.expectations:
        kinds = KWARGS.get(exp.get("type"))
        given = set(exp.get("kwargs") or {})
        if kinds is None:
            why = "not an expectation type the SQL checks know"
        elif kinds[0] - given:
            why = f"missing {', '.join(sorted(kinds[0] - given))}"
        elif given - kinds[0] - kinds[1]:
            why = f"unsupported argument(s) {', '.join(sorted(given - kinds[0] - kinds[1]))}"
        elif exp["type"].endswith("_between") and not given & {"min_value", "max_value"}:
            why = "neither min_value nor max_value"
        else:
            continue
        bad.append(f"{exp['meta']['name']} ({exp.get('type')}) in {exp['_file']}: {why}")
    if bad:
        raise SuiteError(
            f"suite {spec.name}: {len(spec.expectations)} expectations declared, "
            f"{len(spec.expectations) - len(bad)} can be checked; not checkable: {'; '.join(bad)}"
        )


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value) -> str:
    if isinstance(value, bool) or value is None:
        raise SuiteError(f"a bound must be a number or a string, not {value!r}")
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _outcome(exp: dict) -> Outcome:
    return Outcome(
        name=exp["meta"]["name"],
        type=exp["type"],
        severity=str(exp.get("severity") or "critical"),
        description=exp.get("description"),
        kwargs=dict(exp["kwargs"]),
    )


def _within(column: str, kw: dict) -> str:
    """The SQL condition of a value within the bounds (GX's, strict_* included)."""
    parts = []
    if kw.get("min_value") is not None:
        parts.append(f"{column} {'>' if kw.get('strict_min') else '>='} {literal(kw['min_value'])}")
    if kw.get("max_value") is not None:
        parts.append(f"{column} {'<' if kw.get('strict_max') else '<='} {literal(kw['max_value'])}")
    return " AND ".join(parts)


def _in_range(value: int, kw: dict) -> bool:
    low, high = kw.get("min_value"), kw.get("max_value")
    if low is not None and (value <= low if kw.get("strict_min") else value < low):
        return False
    return not (high is not None and (value >= high if kw.get("strict_max") else value > high))


class _Table:
    """One table's columns and the SQL of its row-level checks."""

    def __init__(self, engine, table: str):
        self.engine, self.table = engine, table
        self.columns = engine.columns(table)  # [(name, type or None)]
        self.types = dict(self.columns)

    def unexpected(self, exp: dict) -> tuple[str, str] | str:
        """(SQL of the unexpected count, SQL of a sample of unexpected values), or an error."""
        kw, t = exp["kwargs"], self.table
        wanted = kw.get("column_list") or [kw.get("column")]
        missing = [c for c in wanted if c not in self.types]
        if missing:
            return f"column(s) {', '.join(missing)} not in {t} (columns: {', '.join(self.types)})"
        cols = [quote(c) for c in wanted]
        kind = exp["type"]
        if kind == "expect_column_values_to_not_be_null":
            where = f"{cols[0]} IS NULL"
            return (
                f"count(CASE WHEN {where} THEN 1 END)",
                f"SELECT {cols[0]} FROM {t} WHERE {where}",
            )
        if kind == "expect_column_values_to_be_between":
            column_type = (self.types[wanted[0]] or "").upper()
            if column_type.startswith(NOT_COMPARABLE):
                return f"column {wanted[0]} of type {column_type} cannot be compared with bounds"
            where = f"{cols[0]} IS NOT NULL AND NOT ({_within(cols[0], kw)})"
            return (
                f"count(CASE WHEN {where} THEN 1 END)",
                f"SELECT {cols[0]} FROM {t} WHERE {where}",
            )
        # unique, one column or a combination: rows whose (non-null) values occur twice or more
        listed = ", ".join(cols)
        kept = " AND ".join(f"{c} IS NULL" for c in cols)
        repeated = (
            f"SELECT {listed}, count(*) AS n FROM {t} WHERE NOT ({kept}) "
            f"GROUP BY {listed} HAVING count(*) > 1"
        )
        same = " AND ".join(f"d.{c} IS NOT DISTINCT FROM r.{c}" for c in cols)
        return (
            f"(SELECT coalesce(sum(n), 0) FROM ({repeated}) d)",
            f"SELECT {', '.join(f'r.{c}' for c in cols)} FROM {t} r JOIN ({repeated}) d ON {same}",
        )


def check_suite(engine, spec: SuiteSpec, samples: bool = False) -> list[Outcome]:
    """Every expectation of the suite on `engine`, in the suite's order.

    samples: fetch a few unexpected values of a failed row-level check (GX keeps none unless
    --show-rows); the SQL checks' sample rows are fetched by the caller (run.py)."""
    refuse_unsupported(spec)
    table = _Table(engine, spec.table)
    outcomes = [_outcome(exp) for exp in spec.expectations]
    counts: dict[int, str] = {}  # outcome index -> its count SQL (one query for them all)
    sample_sql: dict[int, str] = {}
    for i, (exp, out) in enumerate(zip(spec.expectations, outcomes, strict=True)):
        kind, kw = exp["type"], exp["kwargs"]
        if kind == "expect_table_columns_to_match_set":
            _match_set(out, [c for c, _ in table.columns], kw)
        elif kind == "expect_column_to_exist":
            out.success = kw["column"] in table.types
        elif kind == "expect_table_row_count_to_be_between":
            counts[i] = "count(*)"
        elif kind == "unexpected_rows_expectation":
            _unexpected_rows(engine, spec.table, out, kw["unexpected_rows_query"])
        else:
            sql = table.unexpected(exp)
            if isinstance(sql, str):
                out.success, out.error = False, sql
            else:
                counts[i], sample_sql[i] = sql
    for i, value in _counts(engine, spec.table, counts).items():
        out, exp = outcomes[i], spec.expectations[i]
        if isinstance(value, Exception):
            out.success, out.error = False, _first_line(value)
        elif exp["type"] == "expect_table_row_count_to_be_between":
            out.observed, out.success = value, _in_range(value, exp["kwargs"])
        else:
            out.unexpected_count, out.success = value, value == 0
            if value and samples:
                _, rows = engine.query(f"SELECT * FROM ({sample_sql[i]}) s LIMIT {SAMPLE_ROWS}")
                out.sample = [r[0] if len(r) == 1 else list(r) for r in rows]
    return outcomes


def _counts(engine, table: str, counts: dict[int, str]) -> dict[int, int | Exception]:
    """All the counts in one query; one at a time if it fails, so an error is its check's."""
    if not counts:
        return {}
    try:
        _, [row] = engine.query(f"SELECT {', '.join(counts.values())} FROM {table}")
        return {i: int(v) for i, v in zip(counts, row, strict=True)}
    except Exception:  # noqa: BLE001 - find the check whose SQL fails
        found: dict[int, int | Exception] = {}
        for i, sql in counts.items():
            try:
                _, [(value,)] = engine.query(f"SELECT {sql} FROM {table}")
                found[i] = int(value)
            except Exception as exc:  # noqa: BLE001 - the check fails with this error
                found[i] = exc
        return found


def _match_set(out: Outcome, actual: list[str], kw: dict) -> None:
    def is_quoted(name: str) -> bool:
        return len(name) > 1 and name[0] == name[-1] == '"'

    expected = list(kw["column_set"] or [])
    quoted = {c[1:-1]: c for c in expected if is_quoted(c)}
    plain = {c.lower(): c for c in expected if not is_quoted(c)}
    missing, unexpected = set(expected), []
    for column in actual:
        match = quoted.get(column) or plain.get(column.lower())
        if match is None:
            unexpected.append(column)
        missing.discard(match)
    out.observed = sorted(actual)
    exact = kw.get("exact_match", True)
    out.success = not missing and (not unexpected or not exact)
    mismatched = {"unexpected": sorted(unexpected), "missing": sorted(missing)}
    if missing or unexpected:
        out.sample = [{k: v for k, v in mismatched.items() if v}]


def _unexpected_rows(engine, table: str, out: Outcome, query: str) -> None:
    try:
        sql = query.rstrip("; \t\r\n\v\f").format(batch=table)
        _, [(count,)] = engine.query(f"SELECT count(*) FROM ({sql}) unexpected_rows")
    except Exception as exc:  # noqa: BLE001 - the check fails with this error
        out.success, out.error = False, _first_line(exc)
        return
    out.observed, out.success = int(count), count == 0
