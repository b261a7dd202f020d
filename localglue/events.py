"""In-process runtime events: sinks report what they wrote, the runner listens.

Glue reports rows written per sink in its job metrics; locally the runner collects
these events into its JobResult. Kept deliberately tiny: a list of subscribers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

_lock = threading.Lock()
_subscribers: list[Callable[[Event], None]] = []


@dataclass(frozen=True)
class Event:
    kind: str
    data: dict = field(default_factory=dict)

    def __getitem__(self, key):
        return self.data[key]

    def get(self, key, default=None):
        return self.data.get(key, default)


def emit(kind: str, **data) -> Event:
    """Send an event to every current subscriber (none: it is dropped)."""
    event = Event(kind, data)
    with _lock:
        subscribers = list(_subscribers)
    for callback in subscribers:
        callback(event)
    return event


def subscribe(callback: Callable[[Event], None]) -> Callable[[], None]:
    """Register a callback; returns a function that unsubscribes it."""
    with _lock:
        _subscribers.append(callback)

    def unsubscribe() -> None:
        with _lock, contextlib.suppress(ValueError):
            _subscribers.remove(callback)

    return unsubscribe


@contextlib.contextmanager
def collect(kind: str | None = None):
    """`with collect("write") as seen:` gathers events emitted inside the block."""
    seen: list[Event] = []
    unsubscribe = subscribe(lambda e: seen.append(e) if kind in (None, e.kind) else None)
    try:
        yield seen
    finally:
        unsubscribe()
