"""The AWS CloudTrail operations this package implements: operation name -> handler.

Event history only (LookupEvents); trails, event data stores, Lake queries and Insights are
not implemented."""

from __future__ import annotations

from ..context import Handler
from .lookup import lookup_events

HANDLERS: dict[str, Handler] = {
    "LookupEvents": lookup_events,
}
