"""`awsglue.gluetypes` for scripts: Glue's type classes (implemented in localglue/gluetypes.py)."""

from localglue.gluetypes import *  # noqa: F403
from localglue.gluetypes import __all__  # noqa: F401
