"""Regex Extractor: fragments of a string column matched by a regular expression become new
columns, one per capturing group (the whole match when the expression has no group), named
by `newCols` (comma separated). A value that does not match gives an empty string, as
Spark's regexp_extract does."""

import re

from pyspark.sql import functions as F

from localglue.errors import LakehouseError
from localglue.studio.gs_common import enrich_df, split_string_list


def regex_extract(self, colName, regex, newCols):  # noqa: N803
    names = split_string_list(newCols)
    groups = re.compile(regex).groups
    if groups == 0 and len(names) == 1:
        return self.withColumn(names[0], F.regexp_extract(F.col(colName), regex, 0))
    if len(names) != groups:
        raise LakehouseError(
            f"gs_regex_extract: {regex!r} has {groups} group(s) but {len(names)} column "
            f"name(s) were given ({newCols!r}); give one name per group"
        )
    out = self
    for index, name in enumerate(names, start=1):
        out = out.withColumn(name, F.regexp_extract(F.col(colName), regex, index))
    return out


enrich_df("gs_regex_extract", regex_extract)
