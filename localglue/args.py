"""The arguments the running job resolved (getResolvedOptions), for the runtime to read.

Glue keeps them process-wide; bookmarks ask for --job-bookmark-option here. A module of its
own so that the runtime below `awsglue` can read them without importing `awsglue`.
"""

from __future__ import annotations

resolved: dict = {}
