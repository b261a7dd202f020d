"""The one static Glue script reader (localglue/scripts.py): what a script reads, writes and
runs, and its data flow, read without running it."""

from __future__ import annotations

import textwrap

import pytest

from localglue.scripts import is_glue_script, read_script

PREAMBLE = "from awsglue.context import GlueContext\nglueContext = GlueContext(sc)\n"


def read(body: str):
    return read_script(text=PREAMBLE + textwrap.dedent(body))


def test_node_names_come_from_the_script_generated_for_node_comments():
    script = read('''
        # Script generated for node Customer Landing
        a_node1 = glueContext.create_dynamic_frame.from_options(connection_type="s3", format="json", connection_options={"paths": ["s3://b/customer/landing/"]})

        # Script generated for node Privacy Filter
        SqlQuery0 = """select * from c where x is not null"""
        b_node2 = sparkSqlQuery(glueContext, query = SqlQuery0, mapping = {"c": a_node1}, transformation_ctx = "b_node2")
    ''')  # fmt: skip
    assert [n.label for n in script.nodes.values()] == ["Customer Landing", "Privacy Filter"]
    assert script.edges() == [("a_node1", "b_node2")]
    [query] = script.queries
    assert query.sql == "select * from c where x is not null" and query.mapping == [
        ("c", "a_node1")
    ]


def test_s3_and_catalog_sources_with_their_options():
    script = read('''
        a = glueContext.create_dynamic_frame.from_options(format_options={"multiLine": "false"}, connection_type="s3", format="json", connection_options={"paths": ["s3://b/x/"], "recurse": True})
        b = glueContext.create_dynamic_frame.from_catalog(database="stedi-db", table_name="t")
        c = glue_context.create_dynamic_frame_from_catalog("db2", "u")
    ''')  # fmt: skip
    s3, catalog, positional = script.sources
    assert (s3.kind, s3.paths, s3.format, s3.format_options) == (
        "s3", ["s3://b/x/"], "json", {"multiLine": "false"})  # fmt: skip
    assert (catalog.database, catalog.table) == ("stedi-db", "t")
    assert (positional.database, positional.table) == ("db2", "u")
    assert script.databases == ["stedi-db", "db2"]


@pytest.mark.parametrize(
    "sink_code, expected",
    [
        (
            'k = glueContext.getSink(path="s3://b/out/", connection_type="s3", enableUpdateCatalog=True)\n'
            'k.setCatalogInfo(catalogDatabase="d", catalogTableName="t")\n'
            'k.setFormat("glueparquet", compression="snappy")\nk.writeFrame(a)',
            ("s3", "s3://b/out/", "glueparquet", {"compression": "snappy"}, "d", "t", True),
        ),
        (
            'glueContext.write_dynamic_frame.from_options(frame=a, connection_type="s3", '
            'format="json", connection_options={"path": "s3://b/out/"}, format_options={"compression": "gzip"})',
            ("s3", "s3://b/out/", "json", {"compression": "gzip"}, None, None, False),
        ),
        (
            'w = glueContext.write_dynamic_frame.from_catalog(frame=a, database="d", table_name="t")',
            ("catalog", None, None, {}, "d", "t", True),
        ),
        (
            'glueContext.write_dynamic_frame_from_catalog(frame=a, database="d", table_name="t", '
            'additional_options={"enableUpdateCatalog": True})',
            ("catalog", None, None, {}, "d", "t", True),
        ),
    ],
    ids=["getSink", "write_dynamic_frame.from_options", "from_catalog", "write_dynamic_frame_from_catalog"],
)  # fmt: skip
def test_every_glue_sink_style_is_read_with_its_target_and_input(sink_code, expected):
    script = read('a = glueContext.create_dynamic_frame.from_catalog(database="d", table_name="s")\n' + sink_code)  # fmt: skip
    [sink] = script.sinks
    got = (sink.kind, sink.path, sink.format, sink.format_options, sink.database, sink.table,
           sink.updates_catalog)  # fmt: skip
    assert got == expected
    assert sink.input == "a" and ("a", sink.var) in script.edges()


def test_hand_written_scripts_are_read_inside_functions_with_fstrings_and_chains():
    script = read('''
        BUCKET = "s3://my-bucket"
        def main():
            df = glue_context.create_dynamic_frame.from_catalog(database="db", table_name="t").toDF()
            df = df.dropDuplicates()
            out = DynamicFrame.fromDF(df, glue_context, "out")
            glue_context.write_dynamic_frame.from_options(frame=out, connection_type="s3",
                connection_options={"path": f"{BUCKET}/t/trusted/"}, format="parquet")
        main()
    ''')  # fmt: skip
    [source] = script.sources
    assert source.table == "t"
    [sink] = script.sinks
    assert (sink.path, sink.format) == ("s3://my-bucket/t/trusted/", "parquet")
    # the data flow runs source -> dropDuplicates -> fromDF -> sink
    path, var = [], sink.var
    while script.nodes[var].inputs:
        var = script.nodes[var].inputs[0]
        path.append(script.nodes[var].kind)
    assert path[-1] == "CatalogSource" and "fromDF" in path


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('a = spark.read.json("s3://b/accelerometer/landing")', ("s3", ["s3://b/accelerometer/landing"], "json")),
        ('a = glueContext.spark_session.read.option("multiline", True).json(path="s3://b/x/")', ("s3", ["s3://b/x/"], "json")),
        ('a = spark.read.format("csv").option("header", "true").load("s3://b/x/")', ("s3", ["s3://b/x/"], "csv")),
        ('a = spark.read.load("s3://b/x/")', ("s3", ["s3://b/x/"], "parquet")),
        ('a = spark.read.parquet("s3://b/x/").dropDuplicates()', ("s3", ["s3://b/x/"], "parquet")),
        ('spark.read.json("s3://b/x/").createOrReplaceTempView("x")', ("s3", ["s3://b/x/"], "json")),
    ],
    ids=["json-no-slash", "spark_session-option-path-kw", "format-load", "load-default", "chained", "temp-view"],
)  # fmt: skip
def test_plain_spark_reads_of_s3_are_s3_sources_with_their_format(code, expected):
    [source] = read(code).sources
    assert (source.kind, source.paths, source.format) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('df.write.mode("overwrite").json("s3://b/out")', ("s3://b/out", "json")),
        ('df.write.format("json").mode("append").save("s3://b/out/")', ("s3://b/out/", "json")),
        ('df.write.option("path", "s3://b/out/").save()', ("s3://b/out/", "parquet")),
        ('df.coalesce(1).write.parquet("s3://b/out/")', ("s3://b/out/", "parquet")),
    ],
    ids=["json-no-slash", "format-save", "option-path", "after-a-transform"],
)  # fmt: skip
def test_plain_spark_writes_to_s3_are_s3_sinks_fed_by_their_frame(code, expected):
    script = read('df = spark.read.json("s3://b/in/")\n' + code)
    [sink] = script.sinks
    assert (sink.kind, sink.path, sink.format, sink.input) == ("s3", *expected, "df")


def test_plain_spark_io_outside_s3_is_neither_source_nor_sink():
    script = read('df = spark.read.json("/tmp/x")\ndf.write.json("data/out")\nopen("f").read()')
    assert (script.sources, script.sinks) == ([], [])


def test_a_path_built_from_a_job_argument_reads_as_unknown():
    script = read('''
        a = glueContext.create_dynamic_frame.from_options(connection_type="s3", format="json", connection_options={"paths": [args["SRC"]]})
    ''')  # fmt: skip
    assert script.sources[0].paths == []


def test_glue_scripts_are_recognised_by_content():
    assert is_glue_script("from awsglue.context import GlueContext\n")
    assert not is_glue_script("import pandas\n")
