"""Extract JSON Path: values at JSON paths ("prop_1, $.a.b, $['a. a']", comma separated) of a
string column become string columns named by `newCols` (comma separated, in the same
order); `dropCol` drops the JSON column afterwards. A path that is absent gives null.
(Module and parameter names inferred: no public Glue Studio export with this node was
found.)"""

from pyspark.sql import functions as F

from localglue.errors import LakehouseError
from localglue.studio.gs_common import enrich_df, split_string_list


def _json_path(path: str) -> str:
    return path if path.startswith("$") else f"$.{path}"


def extract_json_path(self, colName, paths, newCols, dropCol=False):  # noqa: N803
    wanted, names = split_string_list(paths), split_string_list(newCols)
    if len(wanted) != len(names):
        raise LakehouseError(
            f"gs_extract_json_path: {len(wanted)} path(s) but {len(names)} column name(s)"
        )
    out = self
    for path, name in zip(wanted, names, strict=True):
        out = out.withColumn(name, F.get_json_object(F.col(colName), _json_path(path)))
    return out.drop(colName) if dropCol else out


enrich_df("gs_extract_json_path", extract_json_path)
