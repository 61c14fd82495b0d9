"""The typed messages between the station and the facilitator's console (`kiosk agent`), over
the local Unix socket: each one line of JSON written by kiosk/core/values.py
(docs/assisted-mode.md, "The link").

Station → console: `Hello` (the station's settings, once), then the console's view
(`ConsoleView`, kiosk/core/assist_console.py) at every change, and the text of the visitor's
fields (`FieldTexts`). Console → station: `AgentMessage`s: the agent's intents on the visitor's
step (`AgentAct`), and the console's own requests. The station acts on none of them while no
facilitator is signed in, and on `AgentAct` only for the intents a facilitator may send.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.core.assist import Outcome
from kiosk.core.state import ScreenName
from kiosk.settings.models import Settings

# -- station → console -------------------------------------------------------------------------


@dataclass(frozen=True)
class Hello:
    """The first message: the station's settings, so that the console draws the visitor's
    screens exactly as the station does (its panel, site, languages) and opens its own window
    where the settings say (`console`)."""

    settings: Settings


@dataclass(frozen=True)
class FieldTexts:
    """What the text fields of the visitor's current screen hold, in the order of the screen's
    widget tree: the console shows it in its copy of the screen."""

    screen: ScreenName
    texts: tuple[str, ...] = field(repr=False)


# -- console → station -------------------------------------------------------------------------


class AgentMessage:
    """Base of what the console sends."""


@dataclass(frozen=True)
class AgentAct(AgentMessage):
    """An intent the facilitator sent from the console's copy of the visitor's step (a
    button, a choice, "Next"), or from its list of procedures (`StartFlow`)."""

    intent: object


@dataclass(frozen=True)
class AgentActive(AgentMessage):
    """The facilitator touched the console's keyboard or mouse (at most once a second): their
    badge's inactivity count starts again."""


@dataclass(frozen=True)
class AskToType(AgentMessage):
    """Ask the visitor, on their screen, whether the facilitator may type for them."""


@dataclass(frozen=True)
class StopTyping(AgentMessage):
    """The facilitator stops typing for the visitor (their consent is dropped)."""


@dataclass(frozen=True)
class TypeInto(AgentMessage):
    """With the visitor's consent: the text of a field of the visitor's current screen (by its
    place in the screen's widget tree), as the facilitator typed it."""

    screen: ScreenName
    index: int
    text: str = field(repr=False)


@dataclass(frozen=True)
class WriteNote(AgentMessage):
    """The facilitator's private note, as it now reads."""

    text: str = field(repr=False)


@dataclass(frozen=True)
class CloseAssisted(AgentMessage):
    """Close the assisted session with its outcome."""

    outcome: Outcome


@dataclass(frozen=True)
class SignOutAgent(AgentMessage):
    """The facilitator leaves the desk without an outcome."""
