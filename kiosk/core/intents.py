"""What screens ask of the core. A screen sends an intent; it never changes screen itself."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.state import FlowName, ScreenName


@dataclass(frozen=True)
class StartSession:
    """Someone touched the attract screen."""


@dataclass(frozen=True)
class EndSession:
    """The person said they are done."""


@dataclass(frozen=True)
class StartAgain:
    """Back to the home screen, dropping what was entered but keeping language and settings."""


@dataclass(frozen=True)
class ContinueSession:
    """The person answered the inactivity warning."""


@dataclass(frozen=True)
class Open:
    """Go to a screen inside the session."""

    screen: ScreenName


@dataclass(frozen=True)
class Back:
    """Go back one step."""


@dataclass(frozen=True)
class SetLanguage:
    """Switch the language of the session, on any screen, without losing the flow."""

    language: str


@dataclass(frozen=True)
class Remember:
    """Keep a value the person entered (a search, a form field) for this session only."""

    key: str
    value: str


@dataclass(frozen=True)
class StartFlow:
    """Begin a flow (from the home screen, or at the end of another: the survey)."""

    flow: FlowName
    #: what the flow starts from, when it is not its first step (a service id, a number)
    param: str = ""


Intent = (
    StartSession | EndSession | StartAgain | ContinueSession | Open | Back | SetLanguage
    | Remember | StartFlow
)
