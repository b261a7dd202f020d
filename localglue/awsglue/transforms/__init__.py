"""awsglue.transforms: `from awsglue.transforms import *` gives every transform class."""

from localglue.awsglue.transforms.apply_mapping import ApplyMapping
from localglue.awsglue.transforms.drop_fields import DropFields
from localglue.awsglue.transforms.drop_null_fields import DropNullFields
from localglue.awsglue.transforms.filter import Filter
from localglue.awsglue.transforms.join import Join
from localglue.awsglue.transforms.map import Map
from localglue.awsglue.transforms.rename_field import RenameField
from localglue.awsglue.transforms.resolve_choice import ResolveChoice
from localglue.awsglue.transforms.select_fields import SelectFields
from localglue.awsglue.transforms.select_from_collection import SelectFromCollection
from localglue.awsglue.transforms.spigot import Spigot
from localglue.awsglue.transforms.split_fields import SplitFields
from localglue.awsglue.transforms.transform import GlueTransform
from localglue.awsglue.transforms.union import Union

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
    "Spigot",
    "SplitFields",
    "Union",
]
