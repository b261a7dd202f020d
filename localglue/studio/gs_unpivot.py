"""Unpivot Columns To Rows: each of the `colList` columns becomes a row holding the column's
name (in `unpivotColName`, "name" unless given) and its value (in `unpivotColValue`,
"value" unless given); the other columns are repeated. The columns must share a type.
(Parameter names inferred: no public Glue Studio export with this node was found.)"""

from pyspark.sql import functions as F

from localglue.studio.gs_common import as_list, enrich_df


def unpivot(self, colList, unpivotColName="name", unpivotColValue="value"):  # noqa: N803
    columns = as_list(colList)
    kept = [c for c in self.columns if c not in columns]
    return self.unpivot(
        [F.col(f"`{c}`") for c in kept] or None,
        [F.col(f"`{c}`") for c in columns],
        unpivotColName,
        unpivotColValue,
    )


enrich_df("gs_unpivot", unpivot)
