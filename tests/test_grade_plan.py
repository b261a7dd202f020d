"""Grading without running: discovery, names, the plan and its errors, ingest layouts, and the
`lakehouse job` hint for a missing table. No Spark."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading import discover, names
from grading.plan import PlanError, make_plan
from lakehouse.cli.job import missing_table_hint
from localglue.errors import LakehouseError
from stedi.layout import landing_location

PROJECTS = Path(__file__).parent / "learner_projects"
STUDIO = '''from awsglue.context import GlueContext
glueContext = GlueContext(sc)
a = glueContext.create_dynamic_frame.from_catalog(database="db", table_name="{reads}")
glueContext.write_dynamic_frame.from_options(frame=a, connection_type="s3", format="json", connection_options={{"path": "s3://b/{writes}/"}})
'''  # fmt: skip


def plan_of(folder: Path, order=None):
    scripts = discover.find_scripts(folder)
    ddl, _ = discover.find_ddl(folder)
    return make_plan(folder, scripts, ddl, order)


def test_scripts_are_found_by_content_whatever_their_names(tmp_path):
    (tmp_path / "Step Trainer (v2) - final.py").write_text(STUDIO.format(reads="x", writes="y"))
    (tmp_path / "helpers.py").write_text("def f():\n    return 1\n")
    assert [p.name for p in discover.find_scripts(tmp_path)] == ["Step Trainer (v2) - final.py"]


def test_discovery_never_opens_a_fifo_nor_follows_a_link_out_of_the_project(tmp_path):
    """A cloned repository can hold a FIFO named like a script (opening it would hang the
    grader) or a link to the grader's own files; a link that stays inside is read."""
    import os

    project, outside = tmp_path / "project", tmp_path / "graders"
    project.mkdir()
    outside.mkdir()
    (outside / "secret.py").write_text(STUDIO.format(reads="x", writes="y"))
    (outside / "secret.sql").write_text("CREATE EXTERNAL TABLE s (a int) LOCATION 's3://b/s/';")
    os.mkfifo(project / "job.py")
    os.mkfifo(project / "ddl.sql")
    (project / "theirs.py").symlink_to(outside / "secret.py")
    (project / "theirs.sql").symlink_to(outside / "secret.sql")
    (project / "real.py").write_text(STUDIO.format(reads="x", writes="y"))
    (project / "alias.py").symlink_to("real.py")
    assert [p.name for p in discover.find_scripts(project)] == ["alias.py", "real.py"]
    assert discover.find_ddl(project) == ([], [])


def test_unparseable_ddl_is_reported_and_skipped_never_fatal():
    tables, skipped = discover.find_ddl(PROJECTS / "partial_ddl_two_buckets")
    assert [t.name for t in tables] == ["accelerometer_landing", "customer_landing"]
    reasons = {s.file.name: s.reason for s in skipped}
    assert list(reasons) == ["step_trainer_landing.sql"]
    assert "does not parse" in reasons["step_trainer_landing.sql"]


TEXTEDIT_RTF = (
    "{\\rtf1\\ansi\\ansicpg1252\\cocoartf2761\n{\\fonttbl\\f0\\fswiss Helvetica;}\n"
    "{\\colortbl;\\red255\\green255\\blue255;}\n{\\*\\expandedcolortbl;;}\n"
    "\\pard\\tx566\\pardirnatural\\partightenfactor0\n\n\\f0\\fs24 \\cf0 "
    "CREATE EXTERNAL TABLE stedi-db.customer_landing (\\\n  email string,\\\n"
    "  sharewithresearchasofdate bigint\\\n)\\\nLOCATION \\'91s3://b/customer/landing/\\'92\\\n"
    "TBLPROPERTIES (\\u8216?classification\\u8217? = \\'91json\\'92);}"
)
WORDPAD_RTF = (
    "{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Courier;}}\n\\f0 CREATE EXTERNAL TABLE "
    "`stedi-db`.`customer_landing` (\\par\n  `email` string,\\par\n  "
    "`sharewithresearchasofdate` bigint\\par\n)\\par\nLOCATION 's3://b/customer/landing/'\\par\n"
    "TBLPROPERTIES ('classification' = 'json');\\par\n}"
)


@pytest.mark.parametrize("rtf", [TEXTEDIT_RTF, WORDPAD_RTF], ids=["textedit", "wordpad"])
def test_ddl_saved_as_rtf_is_read_for_the_sql_inside_and_the_plan_says_so(tmp_path, rtf):
    (tmp_path / "customer_landing.rtf").write_text(rtf)
    (tmp_path / "job.py").write_text(STUDIO.format(reads="customer_landing", writes="c/trusted"))
    [table], skipped = discover.find_ddl(tmp_path)
    assert skipped == [] and table.from_rtf
    assert (table.database, table.name, table.location) == (
        "stedi-db", "customer_landing", "s3://b/customer/landing/"
    )  # fmt: skip
    assert table.columns == ["email", "sharewithresearchasofdate"]
    assert table.table_input["Parameters"]["classification"] == "json", "smart quotes made straight"
    [note] = plan_of(tmp_path).notes
    assert note.startswith("customer_landing.rtf: DDL read from an RTF document")


@pytest.mark.parametrize("head", ["CREATE EXTERNAL TABLE stedi-db.customer_landing",
                                  "create external table IF NOT EXISTS stedi-db.`customer_landing`",
                                  "CREATE EXTERNAL TABLE my-stedi-db.customer_landing"])  # fmt: skip
def test_an_unquoted_hyphenated_database_in_ddl_is_read_as_athenas_editor_runs_it(tmp_path, head):
    (tmp_path / "c.sql").write_text(
        f"{head} (\n  email string\n)\nROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
        "LOCATION 's3://b/customer/landing/';\n"
    )
    [table], skipped = discover.find_ddl(tmp_path)
    assert skipped == []
    assert (table.database, table.name) == (head.split()[-1].split(".")[0], "customer_landing")


def test_athena_generated_ddl_with_db_dot_table_in_one_pair_of_backticks_names_both(tmp_path):
    (tmp_path / "ddl").mkdir()
    (tmp_path / "ddl" / "customer_landing.sql").write_text(
        "CREATE EXTERNAL TABLE `p3db.customer_landing`(\n  `email` string)\n"
        "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'\n"
        "LOCATION 's3://p3-bucket/customer/landing/';\n"
    )
    (tmp_path / "job.py").write_text(STUDIO.format(reads="customer_landing", writes="c/trusted"))
    [table], _ = discover.find_ddl(tmp_path)
    assert (table.database, table.name, table.table_input["Name"]) == (
        "p3db",
        "customer_landing",
        "customer_landing",
    )
    landing = plan_of(tmp_path).tables["customer_landing"]
    assert (landing.how, landing.database) == ("ddl", "p3db"), "registered, not crawled"


@pytest.mark.parametrize(
    "name, table",
    [
        ("step_trusted", "step_trainer_trusted"),
        ("trainer_landing", "step_trainer_landing"),
        ("Step Trainer Trusted to ML Curated", "machine_learning_curated"),
        ("customers_curated", "customer_curated"),
        ("accelerometer_trusted1", "accelerometer_trusted"),
        ("s3://b/customer_landing/trusted/", "customer_trusted"),
        ("customer_landing_to_trusted", "customer_trusted"),
        ("notes", None),
    ],
)
def test_learner_names_mean_rubric_tables(name, table):
    assert names.rubric_table(name) == table


@pytest.mark.parametrize(
    "location, table",
    [
        ("s3://p5-customers/trusted/", "customer_trusted"),
        ("s3://p5-step-trainer/machine-learning-curated/", "machine_learning_curated"),
        ("s3://p5-accel/curated/", None),  # no accelerometer_curated in the rubric
        ("s3://stedi-customer-lake/accelerometer/trusted/", "accelerometer_trusted"),
    ],
)
def test_a_bucket_per_source_names_the_source_when_the_key_does_not(location, table):
    assert names.rubric_table(names.location_name(location)) == table


@pytest.mark.parametrize(
    ("name", "zone"),
    [("steptrainertrusted", "trusted"), ("customerlanding", "landing"),
     ("machinelearningcurated", "curated"), ("step_trainer", None)],
)  # fmt: skip
def test_a_zone_run_together_with_the_source_is_still_the_zone(name, zone):
    assert names.zone_of(name) == zone


def test_a_trusted_folder_named_in_one_word_that_no_job_writes_is_not_landing(tmp_path):
    """MazeParty's ML job reads `steptrainertrusted/`; the step trainer job writes inside it."""
    s3_job = STUDIO.replace('from_catalog(database="db", table_name="{reads}")',
                            'from_options(connection_type="s3", format="json", connection_options={{"paths": ["s3://b/{reads}/"]}})')  # fmt: skip
    (tmp_path / "trainer.py").write_text(
        s3_job.format(reads="steptrainerlanding", writes="steptrainertrusted/output")
    )
    (tmp_path / "ml.py").write_text(s3_job.format(reads="steptrainertrusted", writes="ml"))
    plan = plan_of(tmp_path)
    assert [x.location for x in plan.landing] == ["s3://b/steptrainerlanding/"]


def test_landing_locations_in_one_bucket_per_source_are_identified_by_the_bucket(tmp_path):
    s3_job = '''from awsglue.context import GlueContext
glueContext = GlueContext(sc)
a = glueContext.create_dynamic_frame.from_options(connection_type="s3", format="json", connection_options={{"paths": ["s3://p5-{source}/landing/"]}})
glueContext.write_dynamic_frame.from_options(frame=a, connection_type="s3", format="json", connection_options={{"path": "s3://p5-{source}/trusted/"}})
'''  # fmt: skip
    for source in ("customers", "step-trainer"):
        (tmp_path / f"{source}_landing_to_trusted.py").write_text(s3_job.format(source=source))
    plan = plan_of(tmp_path)
    assert {(x.location, x.source) for x in plan.landing} == {
        ("s3://p5-customers/landing/", "customer"),
        ("s3://p5-step-trainer/landing/", "step_trainer"),
    }


def test_plain_spark_reads_and_writes_place_landing_and_order_the_jobs(tmp_path):
    """Hand-written jobs that move data with spark.read/df.write (a bucket per source, paths
    with and without a trailing slash) are planned like Glue's own sources and sinks."""
    job = "from awsglue.context import GlueContext\nglueContext = GlueContext(sc)\n"
    (tmp_path / "customer_landing_to_trusted.py").write_text(
        job
        + """
df = spark.read.json("s3://p6-customers/landing")
df.filter("shareWithResearchAsOfDate IS NOT NULL").write.mode("overwrite").parquet("s3://p6-customers/trusted")
"""
    )
    (tmp_path / "accelerometer_landing_to_trusted.py").write_text(job + """
def main():
    acc = spark.read.format("json").load("s3://p6-accelerometer/landing/")
    cust = spark.read.parquet("s3://p6-customers/trusted/")
    acc.join(cust, acc.user == cust.email).write.json("s3://p6-accelerometer/trusted/")
main()
""")  # fmt: skip
    plan = plan_of(tmp_path)
    assert {(x.location, x.source) for x in plan.landing} == {
        ("s3://p6-customers/landing/", "customer"),
        ("s3://p6-accelerometer/landing/", "accelerometer"),
    }
    assert [j.name for j in plan.jobs] == [
        "customer_landing_to_trusted",
        "accelerometer_landing_to_trusted",
    ]
    [write] = plan.job("customer_landing_to_trusted").writes
    assert (write.location, write.format) == ("s3://p6-customers/trusted/", "parquet")


def test_the_job_order_follows_what_each_job_reads_not_the_file_names():
    plan = plan_of(PROJECTS / "handwritten_no_ddl")
    order = [j.name for j in plan.jobs]
    assert order.index("customer_trusted") < order.index("customer_curated")
    assert order[-1] in ("machine_learning_curated", "step_trainer_trusted")
    assert order.index("step_trainer_trusted") < order.index("machine_learning_curated")


def test_catalog_tables_nobody_defines_are_crawled_from_the_location_matched_by_name():
    plan = plan_of(PROJECTS / "handwritten_no_ddl")
    trainer = plan.tables["trainer_landing"]
    assert (trainer.how, trainer.location) == (
        "crawled",
        "s3://p3-stedi-bucket/step_trainer/landing/",
    )
    assert plan.tables["customer_trusted"].location == "s3://p3-stedi-bucket/customer/trusted/"
    created = plan.tables["machine_learning_curated"]
    assert (created.how, created.location) == (
        "created",
        "s3://p3-stedi-bucket/machine_learning_curated/",
    )


def test_landing_locations_are_read_by_no_job_and_named_after_their_source():
    plan = plan_of(PROJECTS / "partial_ddl_two_buckets")
    assert {(x.location, x.source) for x in plan.landing} == {
        ("s3://p4-raw-zone/raw/customer_landing/", "customer"),
        ("s3://p4-raw-zone/raw/accelerometer_landing/", "accelerometer"),
        ("s3://p4-raw-zone/raw/step_trainer_landing/", "step_trainer"),
    }


@pytest.mark.parametrize(
    "bucket",
    ["${{ secrets.BUCKET }}", "<your-bucket>", "YOUR_BUCKET", "your-bucket-name", "{bucket}"],
)
def test_a_placeholder_bucket_is_graded_as_a_stand_in_and_the_plan_says_so(tmp_path, bucket):
    s3_job = STUDIO.replace('from_catalog(database="db", table_name="{reads}")',
                            'from_options(connection_type="s3", format="json", connection_options={{"paths": ["s3://BUCKET/customer/landing/"]}})')  # fmt: skip
    (tmp_path / "job.py").write_text(
        s3_job.format(writes="customer/trusted").replace("s3://b/", "s3://BUCKET/").replace("BUCKET", bucket)
    )  # fmt: skip
    plan = plan_of(tmp_path)
    assert plan.stand_ins == {bucket: "stand-in-bucket"}
    assert [x.location for x in plan.landing] == [f"s3://{bucket}/customer/landing/"]
    [note] = plan.notes
    assert f"bucket {bucket!r} is a placeholder" in note and "s3://stand-in-bucket/" in note


@pytest.mark.parametrize("bucket", ["b", "p3-stedi-bucket", "my-bucket", "stedi.lake.2024"])
def test_real_bucket_names_are_not_placeholders(bucket):
    assert not names.is_placeholder(bucket)


ARGS_JOB = """import sys
from awsglue.utils import getResolvedOptions
from awsglue.context import GlueContext
args = getResolvedOptions(sys.argv, ['JOB_NAME', 'S3_SOURCE', 'S3_TARGET'])
glueContext = GlueContext(sc)
a = glueContext.create_dynamic_frame.from_options(connection_type="s3", format="json", connection_options={"paths": [args['S3_SOURCE'] + "customer/landing/"]})
glueContext.write_dynamic_frame.from_options(frame=a, connection_type="s3", format="json", connection_options={"path": f"{args['S3_TARGET']}customer/trusted/"})
"""


def test_job_args_place_the_paths_a_script_builds_from_get_resolved_options(tmp_path):
    (tmp_path / "job.py").write_text(ARGS_JOB)
    args = {"S3_SOURCE": "s3://raw-b/", "S3_TARGET": "s3://lake-b/"}
    plan = make_plan(tmp_path, discover.find_scripts(tmp_path), [], job_args=args)
    [job] = plan.jobs
    assert job.error is None
    assert [x.location for x in plan.landing] == ["s3://raw-b/customer/landing/"]
    assert [w.location for w in job.writes] == ["s3://lake-b/customer/trusted/"]
    assert plan.argv == ["--S3_SOURCE", "s3://raw-b/", "--S3_TARGET", "s3://lake-b/"]


def test_a_missing_job_arg_fails_the_job_naming_each_argument_and_the_flag(tmp_path):
    (tmp_path / "job.py").write_text(ARGS_JOB)
    plan = make_plan(
        tmp_path, discover.find_scripts(tmp_path), [], job_args={"S3_SOURCE": "s3://r/"}
    )
    [job] = plan.jobs
    assert "--S3_TARGET" in job.error and "--job-arg S3_TARGET=VALUE" in job.error
    assert "S3_SOURCE" not in job.error


CURATED_READ = STUDIO.replace(
    'from_catalog(database="db", table_name="{reads}")',
    'from_options(connection_type="s3", format="json", connection_options={{"paths": ["s3://b/{reads}/"]}})',
)  # fmt: skip


def test_a_curated_folder_one_job_reads_and_none_writes_is_not_landing(tmp_path):
    (tmp_path / "customer_trusted.py").write_text(CURATED_READ.format(reads="customer/landing", writes="customer/trusted"))  # fmt: skip
    (tmp_path / "customer_curated.py").write_text(CURATED_READ.format(reads="customer/trusted", writes="customer_curated"))  # fmt: skip
    (tmp_path / "step_trainer.py").write_text(CURATED_READ.format(reads="customer/curated", writes="step_trainer/trusted"))  # fmt: skip
    plan = plan_of(tmp_path)
    assert [(x.location, x.source) for x in plan.landing] == [
        ("s3://b/customer/landing/", "customer")
    ]
    [note] = plan.notes
    assert note.startswith("step_trainer.py line 3 reads s3://b/customer/curated/")
    assert "says curated, not landing" in note


def test_a_job_writing_a_parent_folder_does_not_write_the_landing_folders_inside_it(tmp_path):
    # a customer curated job whose target is s3://b/customer/ (files land beside landing/)
    (tmp_path / "customer_trusted.py").write_text(CURATED_READ.format(reads="customer/landing", writes="customer/trusted"))  # fmt: skip
    (tmp_path / "customer_curated.py").write_text(CURATED_READ.format(reads="customer/trusted", writes="customer"))  # fmt: skip
    (tmp_path / "step_trainer.py").write_text(CURATED_READ.format(reads="customer/curated", writes="step_trainer/trusted"))  # fmt: skip
    plan = plan_of(tmp_path)  # no cycle
    assert [j.name for j in plan.jobs] == ["customer_trusted", "customer_curated", "step_trainer"]
    assert [x.location for x in plan.landing] == ["s3://b/customer/landing/"]


def test_a_reader_of_a_partitioned_folder_runs_after_its_writer(tmp_path):
    (tmp_path / "a.py").write_text(CURATED_READ.format(reads="customer/landing", writes="customer/trusted"))  # fmt: skip
    (tmp_path / "b.py").write_text(CURATED_READ.format(reads="customer/trusted/year=2024", writes="customer/curated"))  # fmt: skip
    (tmp_path / "c.py").write_text(CURATED_READ.format(reads="customer", writes="step_trainer/trusted"))  # fmt: skip
    plan = plan_of(tmp_path)
    assert plan.job("b").after == ["a"] and plan.job("c").after == ["a", "b"]


def test_a_from_catalog_target_without_ddl_sits_where_the_jobs_that_read_it_look(tmp_path):
    (tmp_path / "step.py").write_text(
        CURATED_READ.format(reads="step_trainer/landing", writes="x")
        .replace('write_dynamic_frame.from_options(frame=a, connection_type="s3", format="json", connection_options={"path": "s3://b/x/"})',
                 'write_dynamic_frame.from_catalog(frame=a, database="db", table_name="step_trainer_trusted")')
    )  # fmt: skip
    (tmp_path / "ml.py").write_text(CURATED_READ.format(reads="step_trainer/trusted", writes="ml/curated"))  # fmt: skip
    plan = plan_of(tmp_path)
    created = plan.tables["step_trainer_trusted"]
    assert (created.how, created.location) == ("created", "s3://b/step_trainer/trusted/")
    assert [j.name for j in plan.jobs] == ["step", "ml"], "ml reads what step writes"
    assert [x.location for x in plan.landing] == ["s3://b/step_trainer/landing/"]


def test_two_scripts_writing_one_table_run_draft_first_and_the_plan_says_so():
    plan = plan_of(PROJECTS / "two_writers")
    order = [j.path.relative_to(plan.project).as_posix() for j in plan.jobs]
    draft, final = (
        "jobs/old/customer_landing_to_trusted (draft).py",
        "jobs/customer_landing_to_trusted.py",
    )
    assert (
        order.index(draft)
        < order.index(final)
        < order.index("jobs/accelerometer_landing_to_trusted.py")
    )
    [note] = plan.notes
    assert f"{draft} and {final} all write table customer_trusted" in note and "--order" in note


def test_two_writers_run_in_the_order_glue_studio_made_them(tmp_path):
    later = STUDIO.format(reads="customer_landing", writes="customer/trusted")
    earlier = later.replace("a = ", "CustomerLanding_node1743335866806 = ").replace(
        "frame=a", "frame=CustomerLanding_node1743335866806"
    )
    (tmp_path / "a_customer_trusted.py").write_text(
        later.replace("a = ", "CustomerLanding_node1743337441404 = ").replace(
            "frame=a", "frame=CustomerLanding_node1743337441404"
        )
    )
    (tmp_path / "b_customer_trusted.py").write_text(earlier)
    plan = plan_of(tmp_path)
    assert [j.name for j in plan.jobs] == ["b_customer_trusted", "a_customer_trusted"]
    assert "they ran in the order a learner would have run them" in plan.notes[0]


def test_a_script_saved_twice_is_one_glue_job_run_once(tmp_path):
    job = STUDIO.format(reads="customer_landing", writes="customer/trusted")
    for folder in ("landing zone", "trusted zone"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "customer_landing_to_trusted.py").write_text(job)
    plan = plan_of(tmp_path)
    assert [j.path.parent.name for j in plan.jobs] == ["landing zone"]
    assert plan.not_run == ["trusted zone/customer_landing_to_trusted.py"]
    [note] = plan.notes
    assert note.startswith("trusted zone/customer_landing_to_trusted.py is a copy of landing zone/")


def test_a_studio_job_exported_again_under_another_name_is_run_once(tmp_path):
    """Each export renumbers the SQL node's `SqlQuery<N>` variable; the node ids stay."""
    job = STUDIO.format(reads="accelerometer_landing", writes="accelerometer/trusted") + (
        'SqlQueryN = "select * from s"\n'
        'q_node1737332385187 = sparkSqlQuery(glueContext, query=SqlQueryN, mapping={"s": a})\n'
    )
    (tmp_path / "accelerometer_landing_to_trusted.py").write_text(job.replace("N", "1623"))
    (tmp_path / "customer_curated.py").write_text(job.replace("N", "1500"))
    plan = plan_of(tmp_path)
    assert [j.name for j in plan.jobs] == ["accelerometer_landing_to_trusted"]
    assert plan.not_run == ["customer_curated.py"]
    assert plan.notes == [
        "customer_curated.py is a copy of accelerometer_landing_to_trusted.py (the same script "
        "but for Glue Studio's SqlQuery<N> name): run once, as one Glue job"
    ]


def test_a_cycle_is_one_error_naming_the_scripts_and_the_order_flag(tmp_path):
    (tmp_path / "one.py").write_text(STUDIO.format(reads="two", writes="one"))
    (tmp_path / "two.py").write_text(STUDIO.format(reads="one", writes="two"))
    with pytest.raises(PlanError, match=r"one\.py, two\.py .*cycle.*--order"):
        plan_of(tmp_path)
    plan = plan_of(tmp_path, order=["two.py", "one.py"])
    assert [j.name for j in plan.jobs] == ["two", "one"]


def test_a_job_copying_a_parent_folder_into_landing_runs_first_and_the_plan_says_so(tmp_path):
    """A learner's own landing job reads `customer/` recursively and writes
    `customer/landing/`; later jobs write `customer/trusted/` inside the folder it reads.
    That is no cycle: it ran before them, on the delivered files laid in `customer/`."""
    (tmp_path / "customer_landing.py").write_text(CURATED_READ.format(reads="customer", writes="customer/landing"))  # fmt: skip
    (tmp_path / "customer_trusted.py").write_text(CURATED_READ.format(reads="customer/landing", writes="customer/trusted"))  # fmt: skip
    plan = plan_of(tmp_path)
    assert [j.name for j in plan.jobs] == ["customer_landing", "customer_trusted"]
    assert [(x.location, x.source) for x in plan.landing] == [("s3://b/customer/", "customer")]
    [note] = plan.notes
    assert note.startswith("customer_landing.py reads a folder that holds the output of ")
    assert "customer_trusted.py" in note


def test_a_landing_location_no_name_identifies_is_an_error(tmp_path):
    (tmp_path / "job.py").write_text(
        STUDIO.replace('from_catalog(database="db", table_name="{reads}")',
                       'from_options(connection_type="s3", format="json", connection_options={{"paths": ["s3://b/raw/"]}})')
        .format(writes="out")
    )  # fmt: skip
    with pytest.raises(PlanError, match="s3://b/raw/.*no STEDI source"):
        plan_of(tmp_path)


def test_a_folder_without_glue_scripts_is_a_setup_error(tmp_path):
    with pytest.raises(PlanError, match="no Glue job scripts"):
        plan_of(tmp_path)


def test_ingest_layout_puts_landing_under_the_learners_bucket():
    assert landing_location("s3://my-bucket/{source}/landing", "step_trainer") == (
        "s3://my-bucket/step_trainer/landing/"
    )
    with pytest.raises(LakehouseError, match="must be an s3:// location holding"):
        landing_location("s3://my-bucket/landing/", "customer")


def test_ingest_with_layout_and_database_registers_the_landing_tables_there(tmp_path):
    from localglue.catalog import Catalog, table_location
    from localglue.lake import Lake
    from stedi.generator import generate
    from stedi.ingest import ingest

    generate(tmp_path / "data", 10)
    lake = Lake(tmp_path / "lake")
    ingest(tmp_path / "data", lake, layout="s3://learner/{source}_landing/", database="stedi-db")
    table = Catalog(lake).get_table("stedi-db", "customer_landing")
    assert table_location(table) == "s3://learner/customer_landing/"
    assert any((lake.root / "learner" / "customer_landing").glob("*.json"))


def test_a_missing_table_hint_names_database_and_table_and_suggests_crawl_not_ingest():
    hint = missing_table_hint(
        "TableNotFound: table stedi-db.trainer_landing is not in the catalog at /l/_catalog; x"
    )
    assert "trainer_landing in database stedi-db" in hint and "crawl" in hint
    assert "ingest" not in hint


def test_an_output_at_a_parent_folder_holds_only_its_own_files_not_other_tables_inside_it(
    tmp_path,
):
    from grading.count import identify
    from grading.execute import SUCCEEDED, JobRun
    from localglue.lake import Lake

    project = tmp_path / "project"
    project.mkdir()
    (project / "customer_trusted.py").write_text(CURATED_READ.format(reads="customer/landing", writes="customer/trusted"))  # fmt: skip
    (project / "customer_curated.py").write_text(CURATED_READ.format(reads="customer/trusted", writes="customer"))  # fmt: skip
    plan = plan_of(project)
    lake = Lake(tmp_path / "lake")
    for key in ("customer/landing/l.json", "customer/trusted/run-1", "customer/run-2"):
        path = Path(lake.local_path(f"s3://b/{key}"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"email": "a@x"}\n')
    runs = [JobRun(j.path.name, j.name, SUCCEEDED) for j in plan.jobs]
    found = identify(plan, runs, lake, {"s3://b/customer/landing/": []})
    assert [Path(f).name for f in found["customer_curated"].files] == ["run-2"]
    assert [Path(f).name for f in found["customer_trusted"].files] == ["run-1"]


def test_a_read_of_one_file_a_past_glue_run_wrote_runs_after_the_folders_writer_and_is_noted(
    tmp_path,
):
    (tmp_path / "customer_trusted.py").write_text(CURATED_READ.format(reads="customer/landing", writes="customer/trusted"))  # fmt: skip
    (tmp_path / "step_trainer.py").write_text(
        CURATED_READ.format(reads="step_trainer/landing", writes="step_trainer/trusted").replace(
            '"paths": ["s3://b/step_trainer/landing/"]',
            '"paths": ["s3://b/step_trainer/landing/", "s3://b/customer/trusted/run-1742225156828-part-r-00000"]',
        )
    )  # fmt: skip
    plan = plan_of(tmp_path)
    assert plan.job("step_trainer").after == ["customer_trusted"]
    assert sorted(x.location for x in plan.landing) == [
        "s3://b/customer/landing/",
        "s3://b/step_trainer/landing/",
    ]
    [note] = plan.notes
    assert note == (
        "step_trainer.py line 3 reads s3://b/customer/trusted/run-1742225156828-part-r-00000, "
        "one file a Glue run wrote (2025-03-17 15:25 UTC); customer_trusted.py writes "
        "s3://b/customer/trusted/ under new file names each run, so the read finds nothing, "
        "as in a fresh account"
    )
