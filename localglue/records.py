"""Record-level code that runs on Spark's Python workers (Filter and Map functions).

This module imports nothing from this project, and dynamicframe.py registers it with
cloudpickle to be shipped BY VALUE: Python workers may run an interpreter that cannot
import this project (another working directory, PYSPARK_PYTHON outside the venv).
"""

from __future__ import annotations

import json

# Hidden bookkeeping columns (json_source.py and dynamicframe.py use the same names).
HIDDEN_PREFIX = "__glue_"
ABSENT = "__glue_absent"
KIND_PREFIX = "__glue_kind__"


def kind_column(name: str) -> str:
    """Hidden column holding the per-record type of choice field `name`."""
    return KIND_PREFIX + name


NONE_RESULT = "User-specified function returned None instead of DynamicRecord"


class DynamicRecord(dict):
    """A record as Glue hands it to Filter/Map functions: only the keys it has.

    As in awsglue.gluetypes.DynamicRecord, fields also read as attributes (row.email);
    a missing one raises KeyError, which a Filter treats as "drop this record".
    """

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return self[attr]

    def __setattr__(self, attr, value):
        self[attr] = value


def to_python(value):
    if hasattr(value, "asDict"):
        return DynamicRecord({k: to_python(v) for k, v in value.asDict().items()})
    if isinstance(value, list):
        return [to_python(v) for v in value]
    return value


def json_default(value):
    import datetime as dt
    import decimal

    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def record_builder(data_names: list[str], choices: dict[str, tuple[str, ...]]):
    """A function Row -> DynamicRecord holding the record's present keys only."""
    choice_names = set(choices)

    def build(row) -> DynamicRecord:
        values = row.asDict()
        absent = values.get(ABSENT) or ()
        rec = DynamicRecord()
        for name in data_names:
            if name in absent:
                continue
            value = to_python(values[name])
            if name in choice_names and value is not None:
                kind = values.get(KIND_PREFIX + name)
                if kind == "long":
                    value = int(float(value)) if isinstance(value, str) else int(value)
                elif kind == "double":
                    value = float(value)
            rec[name] = value
        return rec

    return build


def filter_judge(f, build):
    """(keep, error) per row, as Glue's Python filter wrapper decides.

    KeyError/ValueError/TypeError from f mean "drop the record"; any other exception
    makes an error record.
    """

    def judge(row):
        try:
            return (bool(f(build(row))), None)
        except (KeyError, ValueError, TypeError):
            return (False, None)
        except Exception as exc:  # noqa: BLE001 - Glue turns these into error records
            return (False, f"{type(exc).__name__}: {exc}")

    return judge


def map_apply(f, build):
    """(json of the new record, error) per row, as Glue's Python map wrapper decides."""

    def apply(row):
        try:
            out = f(build(row))
        except Exception as exc:  # noqa: BLE001
            return (None, f"{type(exc).__name__}: {exc}")
        if not out:  # Glue's map treats any falsy result (None, {}) this way
            return (None, NONE_RESULT)
        try:
            return (json.dumps(dict(out), default=json_default), None)
        except (TypeError, ValueError) as exc:
            return (None, f"{type(exc).__name__}: {exc}")

    return apply
