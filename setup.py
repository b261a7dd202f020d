"""What pyproject.toml cannot say: the repository's top-level data folders as package data.

sql/, expectations/, studio_jobs/ and iam/ stay where learners edit them; a wheel carries
them as stedi/_data/<folder>/ (stedi/resources.py finds either). Packages and data subfolders
are found, not listed, so a new one needs no entry here.
"""

from setuptools import find_namespace_packages, find_packages, setup

DATA_FOLDERS = ("expectations", "iam", "sql", "studio_jobs")  # = stedi.resources.DATA_FOLDERS
CODE = ["localglue*", "stedi*", "validation*", "grading*", "lakehouse*"]

# stedi._data.<folder>[.<subfolder>] -> <folder>[/<subfolder>], every file in it as data.
data = {
    f"stedi._data.{name}" + (f".{sub}" if sub else ""): "/".join(
        [name, *sub.split(".")] if sub else [name]
    )
    for name in DATA_FOLDERS
    for sub in ["", *find_namespace_packages(where=name, exclude=["*__pycache__*", ".*"])]
}

# Data Docs' vendored assets (validation/data_docs_assets/): folders of files, not code.
assets = [
    "validation.data_docs_assets" + (f".{sub}" if sub else "")
    for sub in ["", *find_namespace_packages(where="validation/data_docs_assets")]
]

setup(
    packages=find_packages(include=CODE) + assets + list(data),
    package_dir=data,
    package_data={
        "localglue": ["log4j2.properties"],
        **{package: ["*"] for package in [*assets, *data]},
    },
)
