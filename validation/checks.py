"""Row-count checks: the graders' numbers, with the same SQL text on every engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from validation.engines.base import count_sql

PASSED, FAILED, NO_EXPECTATION = "passed", "failed", "no expectation"


@dataclass
class CountCheck:
    table: str
    sql: str
    actual: int
    expected: int | None
    status: str  # passed | failed | no expectation
    name: str = "count.expected_rows"
    severity: str = "critical"

    def to_dict(self) -> dict:
        return asdict(self)


def count_check(engine, table: str, expected: dict[str, int] | None) -> CountCheck:
    sql = count_sql(table)
    actual = engine.count(table)
    want = None if expected is None else expected.get(table)
    status = NO_EXPECTATION if want is None else PASSED if actual == want else FAILED
    return CountCheck(table=table, sql=sql, actual=actual, expected=want, status=status)
