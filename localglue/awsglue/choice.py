"""ResolveChoice: turn choice fields (several value types) into one shape.

Actions, per Glue: cast:TYPE (every value cast), project:TYPE (keep only values that had
TYPE, others null), make_cols (one column per type, named field_type), make_struct (a
struct with one member per type), match_catalog (cast to the catalog table's column type).
cast/project/match_catalog also apply to a field that is not a choice (a plain cast).
"""

from __future__ import annotations

from pyspark.sql import functions as F

from localglue import gluetypes
from localglue.errors import LakehouseError
from localglue.fieldpaths import _col, quote, split_path
from localglue.json_source import ABSENT, kind_column

_GLUE_NAME = {
    "bigint": "long",
    "integer": "int",
    "smallint": "short",
    "tinyint": "byte",
    "bool": "boolean",
}


def _glue_name(type_name: str) -> str:
    t = type_name.strip().lower()
    return _GLUE_NAME.get(t, t)


def _catalog_types(frame, database, table_name) -> dict[str, str]:
    if not database or not table_name:
        raise LakehouseError("resolveChoice match_catalog needs database= and table_name=")
    from localglue.catalog import Catalog, table_columns
    from localglue.lake import current

    table = Catalog(current()).get_table(database, table_name)
    return {name.lower(): hive for name, hive in table_columns(table)}


def _without(arr, name: str):
    return F.filter(arr, lambda x: x != F.lit(name))


def resolve(frame, specs=None, choice="", database=None, table_name=None):

    if specs is None and not choice:
        raise LakehouseError("resolveChoice: parameter specs and choice are both missing, add one")
    if specs is not None and choice:
        raise LakehouseError(
            "resolveChoice: parameter specs and choice are both specified, choose one"
        )
    if isinstance(specs, tuple):
        specs = [specs]
    if specs is None:
        specs = [(name, choice) for name in frame._choices]
    catalog = None
    df, choices = frame._df, dict(frame._choices)
    for path, action in specs:
        parts = split_path(path.replace("[]", ""))
        top = frame._resolve(parts[0])
        if top is None:
            continue
        verb, _, arg = action.partition(":")
        verb = verb.strip().lower()
        if verb == "match_catalog":
            catalog = (
                catalog if catalog is not None else _catalog_types(frame, database, table_name)
            )
            target = catalog.get(top.lower())
            if target is None:
                continue
            verb, arg = "cast", target
        if verb not in ("cast", "project", "make_cols", "make_struct"):
            raise LakehouseError(
                f"resolveChoice action {action!r} for {path!r}: use cast:TYPE, project:TYPE, make_cols, make_struct or match_catalog"
            )
        if len(parts) > 1:
            if verb == "cast":
                value = _col(top, *parts[1:]).cast(gluetypes.spark_type_name(arg))
                df = df.withColumn(
                    top, F.col(quote(top)).withField(".".join(quote(p) for p in parts[1:]), value)
                )
            continue
        kinds = choices.get(top)
        kind = F.col(quote(kind_column(top))) if kinds else None
        if verb == "cast":
            df = df.withColumn(top, F.col(quote(top)).cast(gluetypes.spark_type_name(arg)))
        elif verb == "project":
            target = gluetypes.spark_type_name(arg)
            if kinds:
                df = df.withColumn(
                    top, F.when(kind == _glue_name(arg), F.col(quote(top)).cast(target))
                )
            else:
                df = df.withColumn(top, F.col(quote(top)).cast(target))
        elif not kinds:
            continue  # make_cols / make_struct leave a single-typed field alone
        elif verb == "make_struct":
            members = [
                F.when(kind == k, F.col(quote(top)).cast(gluetypes.spark_type_name(k))).alias(k)
                for k in kinds
            ]
            df = df.withColumn(top, F.struct(*members))
        else:  # make_cols: field_<type> per type, in the field's place
            new_cols = []
            for c in df.columns:
                if c != top:
                    new_cols.append(F.col(quote(c)))
                    continue
                for k in kinds:
                    new_cols.append(
                        F.when(
                            kind == k, F.col(quote(top)).cast(gluetypes.spark_type_name(k))
                        ).alias(f"{top}_{k}")
                    )
            df = df.select(*new_cols)
            if ABSENT in df.columns:
                others = F.filter(
                    F.array(
                        *[F.when(kind.isNull() | (kind != k), F.lit(f"{top}_{k}")) for k in kinds]
                    ),
                    lambda x: x.isNotNull(),
                )
                kept = _without(F.coalesce(F.col(ABSENT), F.array()), top)
                both = F.concat(kept, others)
                df = df.withColumn(ABSENT, F.when(F.size(both) > 0, both))
        if kinds:
            df = df.drop(kind_column(top))
            del choices[top]
    return frame._derive(df, choices)
