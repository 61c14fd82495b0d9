"""The event catalogue and the one logging call that records events.

Logs hold event types and identifiers, never what a person typed or said: `record` only
writes values of types that cannot carry free text (see `Ident`), and redacts anything else.
"""

from __future__ import annotations

import logging
from enum import Enum, StrEnum

LOGGER = logging.getLogger("kiosk.events")


class EventType(StrEnum):
    """Everything the station logs, by name."""

    APP_STARTED = "app.started"
    APP_READY = "app.ready"
    APP_STOPPING = "app.stopping"
    APP_CALLBACK_ERROR = "app.callback_error"
    CONFIG_LOADED = "config.loaded"
    CONFIG_REJECTED = "config.rejected"
    # Hot reload (kiosk/shell/reload.py): a valid change waits for the session to end, then
    # applies; what only a restart can apply is said.
    CONFIG_PENDING = "config.pending"
    CONFIG_RELOADED = "config.reloaded"
    CONFIG_RESTART_PENDING = "config.restart_pending"
    CONFIG_UNWATCHED = "config.unwatched"
    SCREEN_SHOWN = "screen.shown"
    OVERLAY_SHOWN = "overlay.shown"
    OVERLAY_HIDDEN = "overlay.hidden"
    SESSION_STARTED = "session.started"
    SESSION_WARNED = "session.idle_warning"
    SESSION_EXTENDED = "session.extended"
    SESSION_ENDED = "session.ended"
    LANGUAGE_CHANGED = "session.language_changed"
    # Speech on or off, its rate or volume (docs/accessibility.md H12–H14): never what is said.
    SPEECH_CHANGED = "session.speech_changed"
    FLOW_STARTED = "flow.started"
    EFFECT_REQUESTED = "effect.requested"
    EFFECT_DONE = "effect.done"
    EFFECT_FAILED = "effect.failed"
    EFFECT_DROPPED = "effect.dropped"
    CONNECTIVITY = "central.connectivity"
    CENTRAL_LINKED = "central.linked"
    CENTRAL_UNAVAILABLE = "central.unavailable"
    # A central answered in a way the kiosk worked around (an XML-only server, a broken feed).
    CENTRAL_FALLBACK = "central.fallback"
    OUTBOX_ATTEMPT_FAILED = "outbox.attempt_failed"
    # Found at the central after an answer was lost, instead of being sent twice.
    OUTBOX_RECONCILED = "outbox.reconciled"
    # Kept for a technician: the central keeps failing, or whether it took it cannot be told.
    OUTBOX_HELD = "outbox.held"
    OUTBOX_WITHDRAWN = "outbox.withdrawn"
    OUTBOX_PURGED = "outbox.purged"
    KEY_BLOCKED = "lockdown.key_blocked"
    CLOSE_REFUSED = "lockdown.close_refused"
    DEVICE_STATUS = "device.status"
    HEADSET = "device.headset"
    # Printing: never the receipt's number (it is private, kiosk/core/receipt.py).
    PRINT_REQUESTED = "print.requested"
    PRINT_COMPLETED = "print.completed"
    PRINT_FAILED = "print.failed"
    PRINTER_STATE = "printer.state_changed"
    OUT_OF_ORDER = "station.out_of_order"
    BACK_IN_SERVICE = "station.back_in_service"
    SAFE_MODE_SHOWN = "station.safe_mode"
    # Screen power (kiosk/shell/power.py): lit, dimmed or off, and the DPMS command's outcome.
    PANEL_POWER = "panel.power"
    HEARTBEAT_SENT = "fleet.heartbeat_sent"
    HEARTBEAT_FAILED = "fleet.heartbeat_failed"
    # The badge reader's link to the card service (devices/pcsc_card_reader.py).
    CARD_SERVICE_LOST = "card_reader.service_lost"
    CARD_SERVICE_BACK = "card_reader.service_back"
    CARD_READER_ERROR = "card_reader.error"
    # Staff badges (kiosk/core/badge_auth.py): the badge's number, never its UID, key or PIN.
    BADGE_CHALLENGED = "badge.challenged"
    BADGE_REFUSED = "badge.refused"
    BADGE_PROVED = "badge.proved"
    BADGE_UID_ONLY = "badge.uid_only"
    BADGE_PIN_FAILED = "badge.pin_failed"
    BADGE_LOCKED_OUT = "badge.locked_out"
    BADGE_SIGNED_IN = "badge.signed_in"
    BADGE_ENDED = "badge.ended"
    BADGE_UID_ONLY_ALLOWED = "badge.uid_only_allowed"
    BADGE_ENROLLED = "badge.enrolled"


class Ident(str):
    """A string that is an identifier or a code (session id, screen name, language code),
    never free text: the only kind of string `record` writes."""

    __slots__ = ()


Loggable = bool | int | float | Enum | Ident


def _safe(value: object) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool | int | float | Ident):
        return str(value)
    return f"<redacted {type(value).__name__}>"


def format_event(event: EventType, fields: dict[str, object]) -> str:
    """One log line: the event name then key=value pairs of loggable values only."""
    parts = [event.value, *(f"{key}={_safe(value)}" for key, value in sorted(fields.items()))]
    return " ".join(parts)


def record(event: EventType, level: int = logging.INFO, **fields: Loggable) -> None:
    """Log one event with its identifiers."""
    LOGGER.log(level, format_event(event, fields))
