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


def test_unparseable_and_rtf_ddl_is_reported_and_skipped_never_fatal():
    tables, skipped = discover.find_ddl(PROJECTS / "partial_ddl_two_buckets")
    assert [t.name for t in tables] == ["customer_landing"]
    reasons = {s.file.name: s.reason for s in skipped}
    assert "RTF" in reasons["accelerometer_landing.rtf"]
    assert "does not parse" in reasons["step_trainer_landing.sql"]


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


def test_a_cycle_is_one_error_naming_the_scripts_and_the_order_flag(tmp_path):
    (tmp_path / "one.py").write_text(STUDIO.format(reads="two", writes="one"))
    (tmp_path / "two.py").write_text(STUDIO.format(reads="one", writes="two"))
    with pytest.raises(PlanError, match=r"one\.py, two\.py .*cycle.*--order"):
        plan_of(tmp_path)
    plan = plan_of(tmp_path, order=["two.py", "one.py"])
    assert [j.name for j in plan.jobs] == ["two", "one"]


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
