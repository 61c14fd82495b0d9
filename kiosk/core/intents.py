"""What screens ask of the core. A screen sends an intent; it never changes screen itself."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True)
class SetSpeech:
    """Turn speech on or off, or change its rate or volume, for this session (or, before a
    session, for the one about to start); each returns to the station's default when the
    session ends. A field left None stays as it is."""

    on: bool | None = None
    #: one of the rate steps, in per cent (kiosk/settings/speech_steps.py)
    rate: int | None = None
    #: a volume level, 1 to 9
    volume: int | None = None


class SpeechAction(StrEnum):
    """What a person can ask of the speech being said."""

    REPEAT = "repeat"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


@dataclass(frozen=True)
class SpeechCommand:
    """Repeat, pause, resume or stop what is being said. It changes nothing in the state: the
    shell's speech link carries it out (kiosk/shell/speech_link.py)."""

    action: SpeechAction


Intent = (
    StartSession | EndSession | StartAgain | ContinueSession | Open | Back | SetLanguage
    | Remember | StartFlow | SetSpeech | SpeechCommand
)
