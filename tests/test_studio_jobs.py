"""Every committed Glue Studio job: its script says what its visual DAG says.

A learner edits the DAG in Glue Studio and Glue regenerates the script; here both are
committed, so they can drift apart. Each script is parsed with `ast` (never regexes over the
file) into the same node graph the DAG describes, and compared: sources (S3 paths, catalog
tables), SQL text and aliases, custom code, join keys, targets (path, format, compression,
catalog database/table, schema update policy) and the edges between nodes. The DAG itself is
checked against botocore's Glue service model (CodeGenConfigurationNode shapes).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlglot
from sqlglot import expressions as exp

from localglue.scripts import read_script

REPO = Path(__file__).resolve().parents[1]
JOBS_DIR = REPO / "studio_jobs"
SCRIPTS = sorted(JOBS_DIR.glob("*/*.py"))
PROFILES = ("rubric", "strict")
JOB_ORDER = (
    "customer_landing_to_trusted",
    "accelerometer_landing_to_trusted",
    "customer_trusted_to_curated",
    "step_trainer_trusted",
    "machine_learning_curated",
)
BUCKET = "s3://stedi-lake-house"
# The contract: which table each job writes, and where.
TARGET = {
    "customer_landing_to_trusted": ("customer_trusted", f"{BUCKET}/customer/trusted/"),
    "accelerometer_landing_to_trusted": (
        "accelerometer_trusted",
        f"{BUCKET}/accelerometer/trusted/",
    ),
    "customer_trusted_to_curated": ("customer_curated", f"{BUCKET}/customer/curated/"),
    "step_trainer_trusted": ("step_trainer_trusted", f"{BUCKET}/step_trainer/trusted/"),
    "machine_learning_curated": ("machine_learning_curated", f"{BUCKET}/step_trainer/curated/"),
}
# Join keys each job's SQL must use (column pairs, lower case), per profile.
JOIN_KEYS = {
    "rubric": {
        "customer_landing_to_trusted": set(),
        "accelerometer_landing_to_trusted": {("email", "user")},
        "customer_trusted_to_curated": {("email", "user")},
        "step_trainer_trusted": {("serialnumber", "serialnumber")},
        "machine_learning_curated": {("sensorreadingtime", "timestamp")},
    },
    "strict": {
        "customer_landing_to_trusted": {("email", "email")},
        "accelerometer_landing_to_trusted": {("email", "user")},
        "customer_trusted_to_curated": {("email", "user")},
        "step_trainer_trusted": {("serialnumber", "serialnumber"), ("email", "email")},
        "machine_learning_curated": {
            ("serialnumber", "serialnumber"),
            ("email", "user"),
            ("sensorreadingtime", "timestamp"),
        },
    },
}

GLUE_STUDIO_PREAMBLE = """import sys
from awsglue.transforms import *
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from awsglue.context import GlueContext
from awsglue.job import Job
"""
SPARK_SQL_QUERY = """def sparkSqlQuery(glueContext, query, mapping, transformation_ctx) -> DynamicFrame:
    for alias, frame in mapping.items():
        frame.toDF().createOrReplaceTempView(alias)
    result = spark.sql(query)
    return DynamicFrame.fromDF(result, glueContext, transformation_ctx)
"""
JOB_INIT = """args = getResolvedOptions(sys.argv, ['JOB_NAME'])
sc = SparkContext()
glueContext = GlueContext(sc)
spark = glueContext.spark_session
job = Job(glueContext)
job.init(args['JOB_NAME'], args)
"""


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


# -- the script as a graph (read by localglue.scripts, the one static reader) ------------------

KINDS = {"SqlQuery": "SparkSQL"}  # the reader's node kinds, as the DAG names them


class ScriptGraph:
    """Nodes keyed by variable name: {"kind", "inputs": [var], ...params}."""

    def __init__(self, path: Path):
        script = read_script(path)
        self.script = script
        self.strings = script.strings
        self.functions = script.functions
        self.commits = script.commits
        self.nodes: dict[str, dict] = {}
        self.dq = {
            frame: {"ruleset": kw["ruleset_var"], "publishing_options": kw["publishing_options"]}
            for frame, kw in script.data_quality.items()
        }
        for var, node in script.nodes.items():
            self.nodes[var] = self._node(script, node)

    def function_source(self, name: str) -> str:
        return self.script.function_source(name)

    def _node(self, script, node) -> dict:
        kw = node.options
        base = {"kind": KINDS.get(node.kind, node.kind), "inputs": list(node.inputs)}
        if node.kind == "S3Source":
            keys = ("format", "connection_type", "connection_options", "format_options")
            return {**base, **{k: kw[k] for k in keys}, "ctx": kw["transformation_ctx"]}
        if node.kind == "CatalogSource":
            return {
                **base,
                "database": kw["database"],
                "table": kw["table_name"],
                "ctx": kw["transformation_ctx"],
            }
        if node.kind == "SqlQuery":
            [query] = [q for q in script.queries if q.var == node.var]
            return {
                **base,
                "aliases": query.mapping,
                "query": query.sql,
                "ctx": kw["transformation_ctx"],
            }
        if node.kind == "CustomCode":
            return {**base, "class": node.call, "keys": kw["collection_keys"]}
        if node.kind == "SelectFromCollection":
            return {**base, "index": kw["index"], "ctx": kw["transformation_ctx"]}
        if node.kind == "S3Sink":
            [sink] = [s for s in script.sinks if s.var == node.var]
            return {
                **base,
                **kw,
                "catalog": {"catalogDatabase": sink.database, "catalogTableName": sink.table},
                "format": sink.format,
                "format_options": sink.format_options,
            }
        raise AssertionError(f"unrecognised node {node.var} = {node.call}(...)")


# -- the DAG ----------------------------------------------------------------------------------


def load_dag(script: Path) -> dict:
    return json.loads(script.with_suffix(".json").read_text())


def dag_nodes(doc: dict) -> dict[str, tuple[str, dict]]:
    out = {}
    for node_id, wrapper in doc["codeGenConfigurationNodes"].items():
        assert len(wrapper) == 1, f"{node_id} must hold exactly one node type"
        [(kind, body)] = wrapper.items()
        out[node_id] = (kind, body)
    return out


def script_var(node_id: str, name: str) -> str:
    """Glue Studio's variable for a node: the name without spaces/symbols + _node + id digits."""
    return re.sub(r"[^A-Za-z0-9_]", "", name) + "_node" + node_id.removeprefix("node-")


def join_pairs(sql: str) -> set[tuple[str, str]]:
    """Column pairs equated in the ON clauses of the query (and its subqueries)."""
    pairs = set()
    for join in sqlglot.parse_one(sql, read="spark").find_all(exp.Join):
        on = join.args.get("on")
        for eq in on.find_all(exp.EQ) if on is not None else []:
            left, right = eq.this, eq.expression
            if isinstance(left, exp.Column) and isinstance(right, exp.Column):
                pairs.add(tuple(sorted((left.name.lower(), right.name.lower()))))
    # Correlated EXISTS subqueries are joins too.
    for exists in sqlglot.parse_one(sql, read="spark").find_all(exp.Exists):
        where = exists.this.args.get("where")
        for eq in where.find_all(exp.EQ) if where is not None else []:
            left, right = eq.this, eq.expression
            if isinstance(left, exp.Column) and isinstance(right, exp.Column):
                pairs.add(tuple(sorted((left.name.lower(), right.name.lower()))))
    return pairs


# -- the agreement ------------------------------------------------------------------------------


def test_every_profile_has_the_five_jobs_with_script_and_dag():
    for profile in PROFILES:
        names = {p.stem for p in (JOBS_DIR / profile).glob("*.py")}
        dags = {p.stem for p in (JOBS_DIR / profile).glob("*.json")}
        assert names == dags == set(JOB_ORDER), profile


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_script_agrees_with_its_dag(script: Path):
    graph = ScriptGraph(script)
    nodes = dag_nodes(load_dag(script))
    var_of = {node_id: script_var(node_id, body["Name"]) for node_id, (_, body) in nodes.items()}
    assert set(var_of.values()) == set(graph.nodes), "DAG nodes and script nodes differ"

    for node_id, (kind, body) in nodes.items():
        node = graph.nodes[var_of[node_id]]
        inputs = [var_of[i] for i in body.get("Inputs", [])]
        assert node["inputs"] == inputs, f"edges of {body['Name']}"
        if kind == "S3JsonSource":
            assert node["kind"] == "S3Source" and node["format"] == "json"
            assert node["connection_options"]["paths"] == body["Paths"]
            assert node["connection_options"]["recurse"] == body.get("Recurse", False)
            multiline = "true" if body.get("Multiline") else "false"
            assert node["format_options"] == {"multiLine": multiline}
            assert node["ctx"] == var_of[node_id]
        elif kind == "CatalogSource":
            assert node["kind"] == "CatalogSource"
            assert (node["database"], node["table"]) == (body["Database"], body["Table"])
        elif kind == "SparkSQL":
            assert node["kind"] == "SparkSQL"
            assert node["query"].strip() == body["SqlQuery"].strip()
            expected = [(a["Alias"], var_of[a["From"]]) for a in body["SqlAliases"]]
            assert node["aliases"] == expected
        elif kind == "CustomCode":
            assert node["kind"] == "CustomCode" and node["class"] == body["ClassName"]
            assert graph.function_source(body["ClassName"]).strip() == body["Code"].strip()
            assert node["keys"] == inputs, "the collection is keyed by the input node variables"
        elif kind == "SelectFromCollection":
            assert node["kind"] == "SelectFromCollection" and node["index"] == body["Index"]
        elif kind == "S3GlueParquetTarget":
            policy = body["SchemaChangePolicy"]
            assert node["kind"] == "S3Sink"
            assert node["path"] == body["Path"] and node["connection_type"] == "s3"
            assert node["format"] == "glueparquet"
            assert node["format_options"] == {"compression": body["Compression"]}
            assert node["partitionKeys"] == [k[0] for k in body.get("PartitionKeys", [])]
            assert node["enableUpdateCatalog"] is policy["EnableUpdateCatalog"]
            assert node["updateBehavior"] == policy["UpdateBehavior"]
            assert node["catalog"] == {
                "catalogDatabase": policy["Database"],
                "catalogTableName": policy["Table"],
            }
            dq = body.get("AutoDataQuality", {})
            if dq.get("IsEnabled"):
                [frame] = inputs
                assert (
                    graph.dq[frame]["publishing_options"]["dataQualityEvaluationContext"]
                    == (dq["EvaluationContext"])
                )
        else:
            raise AssertionError(f"node type {kind} has no script check yet: add one")


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_script_is_laid_out_as_glue_studio_writes_it(script: Path):
    text = script.read_text()
    graph = ScriptGraph(script)
    assert text.startswith(GLUE_STUDIO_PREAMBLE)
    assert SPARK_SQL_QUERY + JOB_INIT in text
    assert text.rstrip().endswith("job.commit()") and graph.commits == 1
    for var, node in graph.nodes.items():
        assert "\n# Script generated for node " in text
        if "ctx" in node:
            assert node["ctx"] == var, "transformation_ctx is the node's variable name"


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_job_writes_its_contract_table_and_purges_exactly_that_folder_first(script: Path):
    table, path = TARGET[script.stem]
    graph = ScriptGraph(script)
    [sink] = [n for n in graph.nodes.values() if n["kind"] == "S3Sink"]
    assert (sink["path"], sink["catalog"]["catalogTableName"]) == (path, table)
    assert sink["catalog"]["catalogDatabase"] == "stedi"
    assert sink["format"] == "glueparquet" and sink["format_options"]["compression"] == "snappy"
    # The frame the sink writes comes out of the purge transform (through SelectFromCollection).
    upstream = graph.nodes[sink["inputs"][0]]
    assert upstream["kind"] == "SelectFromCollection"
    purge_node = graph.nodes[upstream["inputs"][0]]
    assert purge_node["kind"] == "CustomCode"
    func = graph.functions[purge_node["class"]]
    purges = [p for p in graph.script.purges if func.lineno <= p[2] <= func.end_lineno]
    assert [(path, options) for path, options, _ in purges] == [(path, {"retentionPeriod": 0})], (
        "purge exactly the target folder, with retention 0 (the default 168 h keeps new files)"
    )


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_sql_joins_on_the_documented_keys(script: Path):
    graph = ScriptGraph(script)
    pairs = set()
    for node in graph.nodes.values():
        if node["kind"] == "SparkSQL":
            pairs |= join_pairs(node["query"])
    assert pairs == JOIN_KEYS[script.parent.name][script.stem]


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_sources_read_landing_from_s3_and_downstream_from_the_catalog(script: Path):
    graph = ScriptGraph(script)
    produced = {table for table, _ in TARGET.values()}
    earlier = {TARGET[j][0] for j in JOB_ORDER[: JOB_ORDER.index(script.stem)]}
    for node in graph.nodes.values():
        if node["kind"] == "S3Source":
            [path] = node["connection_options"]["paths"]
            assert re.fullmatch(rf"{BUCKET}/(customer|accelerometer|step_trainer)/landing/", path)
        elif node["kind"] == "CatalogSource":
            assert node["database"] == "stedi"
            assert node["table"] in produced and node["table"] in earlier, (
                f"{node['table']} must come from a job that runs earlier"
            )


# -- the DAG against the Glue API model -------------------------------------------------------


@pytest.fixture(scope="module")
def glue_model():
    import botocore.session

    return botocore.session.get_session().get_service_model("glue")


def _check_shape(value, shape, where: str) -> None:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), where
        unknown = set(value) - set(shape.members)
        assert not unknown, f"{where}: {sorted(unknown)} not in {shape.name}"
        missing = set(shape.required_members) - set(value)
        assert not missing, f"{where}: {shape.name} requires {sorted(missing)}"
        for key, item in value.items():
            _check_shape(item, shape.members[key], f"{where}.{key}")
    elif kind == "list":
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            _check_shape(item, shape.member, f"{where}[{i}]")
    elif kind == "map":
        assert isinstance(value, dict), where
        for key, item in value.items():
            _check_shape(key, shape.key, f"{where} key")
            _check_shape(item, shape.value, f"{where}[{key}]")
    elif kind == "string":
        assert isinstance(value, str), where
        if shape.enum:
            assert value in shape.enum, f"{where}: {value!r} not in {shape.enum}"
    elif kind == "boolean":
        assert isinstance(value, bool), where
    elif kind in ("integer", "long"):
        assert isinstance(value, int) and not isinstance(value, bool), where


def _pascal(doc):
    """The job file's camelCase top level as the Glue API's CreateJob names it."""
    out = {}
    for key, value in doc.items():
        pascal = key[0].upper() + key[1:]
        if key in ("command", "executionProperty"):
            value = {k[0].upper() + k[1:]: v for k, v in value.items()}
        out[pascal] = value
    return out


@pytest.mark.parametrize("script", SCRIPTS, ids=_id)
def test_dag_is_a_valid_glue_create_job_request(script: Path, glue_model):
    doc = load_dag(script)
    assert doc["name"] == script.stem
    assert doc["command"]["scriptLocation"] == f"{BUCKET}/scripts/{script.stem}.py"
    assert (doc["glueVersion"], doc["jobMode"]) == ("5.0", "VISUAL")
    assert doc["defaultArguments"]["--job-bookmark-option"] == "job-bookmark-disable"
    request = {"Role": "arn:aws:iam::123456789012:role/stedi-glue", **_pascal(doc)}
    shape = glue_model.operation_model("CreateJob").input_shape
    _check_shape(request, shape, script.stem)


def test_shape_check_catches_a_misspelt_node_field(glue_model):
    """The validator above must be able to fail: a wrong member name is reported."""
    node = glue_model.shape_for("CodeGenConfigurationNode")
    bad = {"S3GlueParquetTarget": {"Name": "t", "Inputs": ["n"], "Path": "s3://b/", "Table": "x"}}
    with pytest.raises(AssertionError, match="Table"):
        _check_shape(bad, node, "bad")


PLANTED_DRIFTS = {
    "catalog table": ('table_name="accelerometer_trusted"', 'table_name="accelerometer_landing"'),
    "sql text": ("on c.email = a.user", "on c.email = a.email"),
    "sink path": (
        'getSink(path="s3://stedi-lake-house/customer/curated/"',
        'getSink(path="s3://stedi-lake-house/customer/trusted/"',
    ),
    "catalog target": (
        'catalogTableName="customer_curated"',
        'catalogTableName="customer_trusted"',
    ),
    "purge retention": ('{"retentionPeriod": 0}', "{}"),
    "parquet compression": ('compression="snappy"', 'compression="gzip"'),
}


@pytest.mark.parametrize("drift", PLANTED_DRIFTS, ids=str)
def test_a_planted_script_drift_is_caught(tmp_path, drift):
    """Edit the script only (as if someone hand-edited a generated job) and see a test fail."""
    old, new = PLANTED_DRIFTS[drift]
    src = JOBS_DIR / "rubric" / "customer_trusted_to_curated.py"
    assert old in src.read_text()
    script = tmp_path / "rubric" / src.name
    script.parent.mkdir()
    script.write_text(src.read_text().replace(old, new))
    script.with_suffix(".json").write_text(src.with_suffix(".json").read_text())
    checks = (
        test_script_agrees_with_its_dag,
        test_job_writes_its_contract_table_and_purges_exactly_that_folder_first,
    )
    failures = 0
    for check in checks:
        try:
            check(script)
        except AssertionError:
            failures += 1
    assert failures, f"the {drift} drift went unnoticed"
