"""STEDI lakehouse: a faithful local AWS Glue runtime, local lake and Data Catalog."""

__version__ = "0.1.0"
