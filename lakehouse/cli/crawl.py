"""`python -m lakehouse crawl PATH [--database DB] [--table NAME] [--lake DIR]`.

PATH is a folder of JSON (s3://bucket/prefix/ mapped through the lake, or a local folder):
the table is built as a Glue crawler builds it. PATH may also be a .sql file holding an
Athena `CREATE EXTERNAL TABLE` statement: the table is registered as Athena would.
"""

from __future__ import annotations

from pathlib import Path

from localglue.errors import LakehouseError


def register(sub) -> None:
    parser = sub.add_parser(
        "crawl",
        help="register a catalog table from a JSON folder (like a Glue crawler) or an Athena DDL file",
        description="Register a table in the local Glue Data Catalog, from a folder of JSON "
        "(s3://... or local) as a Glue crawler would, or from an Athena CREATE EXTERNAL TABLE .sql file.",
    )
    parser.add_argument(
        "path", metavar="PATH", help="s3://bucket/prefix/, a local folder, or a .sql DDL file"
    )
    parser.add_argument("--database", help="Glue database (default: the DDL's, else stedi)")
    parser.add_argument("--table", help="table name (default: the DDL's, else the folder name)")
    parser.add_argument("--lake", help="lake root (default: $STEDI_LAKE, else ./lake)")
    parser.set_defaults(func=run)


def crawl(
    path: str, lake, database: str | None = None, table: str | None = None
) -> tuple[str, dict]:
    """Build and upsert the table (and, for a folder, its `k=v` partitions, as a crawler
    adds them); returns (database, stored Table)."""
    from localglue.catalog import Catalog, partition_keys
    from localglue.crawler import crawl_json, partition_values, table_input_from_ddl
    from localglue.lake import S3_SCHEMES

    if path.lower().endswith(".sql"):
        sql_file = Path(path)
        if not sql_file.is_file():
            raise LakehouseError(f"DDL file {sql_file} does not exist")
        ddl_db, table_input = table_input_from_ddl(sql_file.read_text())
        if table:
            table_input["Name"] = table.lower()
        database = database or ddl_db or "stedi"
    else:
        if path.startswith(S3_SCHEMES):
            location = path if path.endswith("/") else path + "/"
            folder = Path(lake.local_path(location))
        else:
            folder = Path(path).resolve()
            try:
                location = lake.s3_uri(folder) + "/"
            except ValueError:
                location = folder.as_uri() + "/"
        if not folder.is_dir():
            raise LakehouseError(f"{path} is not a folder in the lake ({folder}); run ingest first")
        table_input = crawl_json(folder, location, table or folder.name)
        database = database or "stedi"
        catalog = Catalog(lake)
        stored = catalog.upsert_table(database, table_input)
        values = partition_values(folder, partition_keys(stored))
        catalog.batch_create_partition(database, stored["Name"], values)
        return database.lower(), stored
    return database.lower(), Catalog(lake).upsert_table(database, table_input)


def run(args) -> int:
    from localglue.catalog import Catalog, table_columns, table_format, table_location
    from localglue.lake import Lake

    lake = Lake(args.lake)
    database, stored = crawl(args.path, lake, args.database, args.table)
    print(
        f"{database}.{stored['Name']}: {len(table_columns(stored))} columns, "
        f"{table_format(stored)} at {table_location(stored)}"
    )
    if stored.get("PartitionKeys"):
        count = len(Catalog(lake).get_partitions(database, stored["Name"]))
        keys = ", ".join(k["Name"] for k in stored["PartitionKeys"])
        print(f"  partitioned by {keys}: {count} partition(s) registered")
        if not count and args.path.lower().endswith(".sql"):
            print(
                "  a CREATE TABLE registers no partition: from_catalog reads none until they "
                "are added (on AWS: MSCK REPAIR TABLE or a crawler; here: crawl the folder)"
            )
    return 0
