"""GlueTransform: the base of every awsglue.transforms class (`X.apply(frame=..., ...)`)."""

from __future__ import annotations

import inspect

from localglue.exact_names import with_exact_names


class GlueTransform:
    @classmethod
    @with_exact_names
    def apply(cls, *args, **kwargs):
        """Instantiate the transform and call it, as Glue's generated scripts do."""
        return cls()(*args, **kwargs)

    @classmethod
    def name(cls) -> str:
        return cls.__name__

    @classmethod
    def describeArgs(cls) -> list[dict]:  # noqa: N802
        params = list(inspect.signature(cls.__call__).parameters.values())[1:]
        return [
            {
                "name": p.name,
                "optional": p.default is not inspect.Parameter.empty,
                "default": None if p.default is inspect.Parameter.empty else repr(p.default),
            }
            for p in params
            if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
        ]

    @classmethod
    def describeReturn(cls) -> dict:  # noqa: N802
        return {"type": "DynamicFrame"}

    @classmethod
    def describeTransform(cls) -> str:  # noqa: N802
        return (cls.__doc__ or "").strip()

    @classmethod
    def describeErrors(cls) -> list:  # noqa: N802
        return []

    @classmethod
    def describe(cls) -> dict:
        return {
            "transform": {"name": cls.name(), "description": cls.describeTransform()},
            "args": cls.describeArgs(),
            "returns": cls.describeReturn(),
            "raises": cls.describeErrors(),
        }
