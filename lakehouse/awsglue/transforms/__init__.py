"""awsglue.transforms: `from awsglue.transforms import *` gives every transform class."""

from lakehouse.awsglue.transforms.apply_mapping import ApplyMapping
from lakehouse.awsglue.transforms.drop_fields import DropFields
from lakehouse.awsglue.transforms.drop_null_fields import DropNullFields
from lakehouse.awsglue.transforms.filter import Filter
from lakehouse.awsglue.transforms.join import Join
from lakehouse.awsglue.transforms.map import Map
from lakehouse.awsglue.transforms.rename_field import RenameField
from lakehouse.awsglue.transforms.resolve_choice import ResolveChoice
from lakehouse.awsglue.transforms.select_fields import SelectFields
from lakehouse.awsglue.transforms.select_from_collection import SelectFromCollection
from lakehouse.awsglue.transforms.transform import GlueTransform
from lakehouse.awsglue.transforms.union import Union

__all__ = [
    "ApplyMapping",
    "DropFields",
    "DropNullFields",
    "Filter",
    "GlueTransform",
    "Join",
    "Map",
    "RenameField",
    "ResolveChoice",
    "SelectFields",
    "SelectFromCollection",
    "Union",
]
