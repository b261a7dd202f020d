"""Glue's exclusion globs (`"exclusions": "[\"**.pdf\"]"`) as regular expressions.

The syntax is the one the Glue developer guide documents for exclude patterns ("Include and
Exclude Patterns"): `/` separates key components; `*` matches within one component, `**`
across components; `?` one character; `[abc]`, `[a-z]`, `[!a-c]` one character of a set;
`{csv,avro}` one of several sub-patterns (not nested); `\\` escapes; a leading dot is an
ordinary character. Patterns are matched against S3 keys, never local file paths.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=256)
def compile_glob(pattern: str) -> re.Pattern:
    out, i, group = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "*":
            if pattern.startswith("**", i):
                out.append(".*")
                i += 2
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end]
                negate = body.startswith("!")
                body = body[1:] if negate else body
                body = body.replace("\\", "\\\\").replace("^", "\\^")
                out.append(f"[{'^' if negate else ''}{body}]")
                i = end + 1
                continue
        elif ch == "{" and not group:
            group = True
            out.append("(?:")
        elif ch == "}" and group:
            group = False
            out.append(")")
        elif ch == "," and group:
            out.append("|")
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + r"\Z", re.DOTALL)


def excluded(key_forms: tuple[str, ...], patterns: list[str]) -> bool:
    """Whether any pattern matches any form of an object's key (its full s3:// URI, or the
    key relative to the path the job named)."""
    return any(compile_glob(p).match(form) for p in patterns for form in key_forms)
