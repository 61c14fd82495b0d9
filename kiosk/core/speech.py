"""What the station says in speech mode, decided from the view and from the control that gets
the focus or a first touch (docs/accessibility.md H1–H9, H14, H15, G3). Pure: the shell's
speech link (kiosk/shell/speech_link.py) describes the control, hands over each new view, and
gives what comes back to the speech port.

- A screen that appears is summed up: its step, its title and purpose, what it shows from its
  flow, its problem, whether it waits, and, where a person arrives, how to use it by touch.
- The same screen changing says what changed: a problem (H8), "one moment" while the city's
  services answer, where the printing stands (H15), a new receipt (H9), a new rate or volume.
- A control is said by its name (its visible words), its role (from its kind) and its state.
- What is masked (a PIN) is never said (H6); what the person typed, and the numbers that find
  their case, are said only when a headset is in the jack (H7).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.devices import Delivery
from kiosk.core.i18n import translate
from kiosk.core.printing import same_receipt
from kiosk.core.speech_content import (
    content_parts,
    printing_lines,
    private_value,
    receipt_lines,
)
from kiosk.core.speech_screens import EXPLORE_SCREENS, RECEIPT_SCREENS, SCREEN_TEXTS
from kiosk.core.speech_settings import delivery_of
from kiosk.core.state import Overlay
from kiosk.core.view import View
from kiosk.settings.speech_steps import RATE_STEPS_PERCENT, VOLUME_LEVELS


class ControlKind(StrEnum):
    """The kinds of control, each said with its role."""

    BUTTON = "button"
    FIELD = "field"
    KEY = "key"
    """A key of the on-screen keyboard: the character it types is private."""


@dataclass(frozen=True)
class Control:
    """A control as the shell sees it on screen."""

    kind: ControlKind
    #: its visible words: a button's text, a field's example, a key's label
    name: str
    #: a field's content; a key's value (what it types)
    value: str = ""
    #: a field whose characters are hidden (a PIN), or a key that types into one
    masked: bool = False
    #: for a choice, whether it is the one chosen; None for anything else
    selected: bool | None = None
    enabled: bool = True


@dataclass(frozen=True)
class Utterance:
    """What the speech port is asked to say, in which language, how fast and how loud."""

    text: str
    lang: str
    delivery: Delivery


KEY_NAMES = {
    " ": "speech.key.space", "⌫": "speech.key.backspace", "⇧": "speech.key.shift",
    "123": "speech.key.signs", "abc": "speech.key.letters", "ABC": "speech.key.letters",
    "OK": "keyboard.ok",
}
"""Keys of the on-screen keyboard (screens/keyboard.py) that type no character, by their value,
and the words said for them; every other key types a character."""

SENTENCE_ENDS = (".", "!", "?", "…", ":")


def speaking(view: View) -> bool:
    """Whether speech is on."""
    return view.accessibility.audio


# -- a screen, whole -------------------------------------------------------------------------


def summary(view: View) -> list[str]:
    """What a screen says when it appears (H1), or the inactivity warning over it."""
    lang = view.language
    if view.overlay is Overlay.IDLE_WARNING:
        # "Continue" has the focus: the focus says it.
        return [translate("idle.title", lang),
                translate("idle.countdown", lang, seconds=view.warning_remaining_s or 0)]
    parts: list[str] = []
    flow = view.flow
    if flow is not None and flow.steps > 1:
        parts.append(translate("flow.step", lang, step=flow.step, steps=flow.steps))
    parts += [translate(key, lang) for key in SCREEN_TEXTS.get(view.screen, ())]
    if flow is not None:
        parts += content_parts(view.screen, flow.content, lang, view.headset)
        parts += problem_lines(view)
        if flow.busy:
            parts.append(translate("flow.busy", lang))
    if view.screen in RECEIPT_SCREENS and view.receipt is not None:
        parts += receipt_lines(view.receipt, lang, view.headset)
        parts += printing_lines(view.printing, lang)
    if view.screen in EXPLORE_SCREENS:
        parts.append(translate("speech.explore", lang))
    return parts


def problem_lines(view: View) -> list[str]:
    """The step's problem, naming the field and how to put it right (H8)."""
    flow = view.flow
    if flow is None or not flow.problem:
        return []
    return [translate(flow.problem, view.language, **dict(flow.problem_args))]


# -- from one view to the next ---------------------------------------------------------------


def announcements(before: View | None, after: View) -> list[str]:
    """What to say now that `after` is shown, `before` having been shown last (None at
    start). Nothing while speech is off."""
    if not speaking(after):
        return []
    lang = after.language
    parts: list[str] = []
    if before is not None and before.headset != after.headset:
        jack = "speech.headset.in" if after.headset else "speech.headset.out"
        parts.append(translate(jack, lang))
    if before is None or not speaking(before) or new_screen(before, after):
        return parts + summary(after)
    if after.accessibility.speech_rate != before.accessibility.speech_rate:
        parts.append(translate("speech.rate", lang, step=rate_step(after),
                               steps=len(RATE_STEPS_PERCENT)))
    if after.accessibility.speech_volume != before.accessibility.speech_volume:
        parts.append(translate("speech.volume", lang, level=after.accessibility.speech_volume,
                               levels=VOLUME_LEVELS))
    old, new = before.flow, after.flow
    if new is not None and (old is None or (new.problem, new.problem_args) != (
            old.problem, old.problem_args)):
        parts += problem_lines(after)
    if new is not None and new.busy and (old is None or not old.busy):
        parts.append(translate("flow.busy", lang))
    if after.screen in RECEIPT_SCREENS:
        if after.receipt is not None and not same_receipt(before.receipt, after.receipt):
            parts += receipt_lines(after.receipt, lang, after.headset)
        if after.printing.status != before.printing.status:
            parts += printing_lines(after.printing, lang)
    if before.headset != after.headset and after.headset:
        parts += summary(after)  # plugged in: the instructions again, private parts too (H14)
    return parts


def new_screen(before: View, after: View) -> bool:
    """Whether `after` is, to a listener, another screen: another screen or overlay, another
    question on the same screen (its step), another language."""
    return (before.screen != after.screen or before.overlay != after.overlay
            or before.language != after.language or step_of(before) != step_of(after))


def step_of(view: View) -> tuple[str, int] | None:
    """The flow and its step, which tell two questions of one screen apart."""
    return (view.flow.name, view.flow.step) if view.flow is not None else None


def rate_step(view: View) -> int:
    """The rate's place among the steps, from 1."""
    return RATE_STEPS_PERCENT.index(view.accessibility.speech_rate) + 1


# -- a control --------------------------------------------------------------------------------


def describe(control: Control, view: View) -> list[str]:
    """A control's name, role and state (H2); a field's content only on a headset (H7),
    never when masked (H6). A control with no words of its own (the attract screen, a start
    anywhere) is the screen itself: its summary."""
    lang = view.language
    role = translate(f"speech.role.{control.kind.value}", lang)
    match control.kind:
        case ControlKind.KEY:
            key = control.value or control.name
            if key in KEY_NAMES:
                return [f"{translate(KEY_NAMES[key], lang)}, {role}"]
            if control.masked:  # it types into a PIN: what it types is never said
                return [f"{role}, {translate('speech.key.masked', lang)}"]
            return [f"{role}, {private_value(control.name, view.headset, lang)}"]
        case ControlKind.FIELD:
            if control.masked:
                hidden = "speech.field.masked" if control.value else "speech.field.empty"
                state = translate(hidden, lang)
            elif control.value:
                state = private_value(control.value, view.headset, lang)
            else:
                state = translate("speech.field.empty", lang)
            name = control.name or question_of(view)
            return [f"{name}, {role}, {state}" if name else f"{role}, {state}"]
    if not control.name.strip():
        return summary(view)
    words = [control.name, role]
    if control.selected:
        words.append(translate("speech.state.selected", lang))
    if not control.enabled:
        words.append(translate("speech.state.unavailable", lang))
    return [", ".join(words)]


def question_of(view: View) -> str:
    """What the screen asks, which names a field that shows no words of its own: the screen's
    title, or the question its flow puts."""
    keys = SCREEN_TEXTS.get(view.screen, ())
    if keys:
        return translate(keys[0], view.language)
    flow = view.flow
    parts = content_parts(view.screen, flow.content, view.language, view.headset) if flow else []
    return parts[0] if parts else ""


# -- into one utterance ------------------------------------------------------------------------


def utterance(parts: list[str], view: View) -> Utterance | None:
    """The parts said one after the other, as sentences (a line is one too), in the view's
    language (H5) at the person's rate and volume; None when there is nothing to say or
    speech is off."""
    sentences = [line.strip() for part in parts for line in part.splitlines() if line.strip()]
    if not sentences or not speaking(view):
        return None
    text = " ".join(s if s.endswith(SENTENCE_ENDS) else f"{s}." for s in sentences)
    return Utterance(text, view.language, delivery_of(view.accessibility))
