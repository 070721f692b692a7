"""Telling apps above when an LAO's data changed, without importing them (DESIGN.md §2).

A lower app's service calls `data_changed(...)` when a step changes what higher apps compute from
(a plan enacted, a progress report accepted); an app above registers a listener in its
`AppConfig.ready()` (benchmarks recomputes the LAO's indicators). Listeners run after the
transaction commits, so they never see a change that is rolled back and a slow listener never
holds the writer's locks. No signals: the caller names the change explicitly.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class DataChange:
    """What changed: a name (e.g. "budget_plan_enacted"), the LAO and the fiscal year."""

    what: str
    lao_id: int
    fiscal_year: int


Listener = Callable[[DataChange], None]

_listeners: dict[str, Listener] = {}


def register_data_change_listener(name: str, listener: Listener) -> None:
    """Add (or replace, by name: ready() may run twice) a listener of data changes."""
    _listeners[name] = listener


def data_changed(*, what: str, lao_id: int, fiscal_year: int) -> None:
    """Tell every listener, once the current transaction commits, that an LAO's data of a
    fiscal year changed."""
    change = DataChange(what=what, lao_id=lao_id, fiscal_year=fiscal_year)
    for listener in list(_listeners.values()):
        transaction.on_commit(lambda listener=listener: listener(change))
