"""Maintenance, for a technician's badge, on the public screen (docs/assisted-mode.md,
"Maintenance"): every device's health, a test print, a card test, a central test, the
configuration's version, the types of the recent events (never their fields: no one's data),
and a restart. "Close", or taking the badge off, ends the visit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty

from kiosk.core.assist import Check, CheckResult, CheckStatus
from kiosk.core.assist_view import MaintenanceView
from kiosk.core.devices import DeviceHealth, DeviceKind
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.measure import longest_word_width
from screens.widgets import KioskScreen

EVENTS_SHOWN = 8
"""The newest events the screen is given; those the body's room left has no line for are left
out whole (nothing scrolls, docs/visual-design.md); "Refresh" reads them again."""


class MaintenanceScreen(KioskScreen):
    """The technician's screen."""

    title = StringProperty("")
    #: the configuration's version, then each device's health on a line of its own
    explanation = StringProperty("")
    events = StringProperty("")
    print_result = StringProperty("")
    card_result = StringProperty("")
    central_result = StringProperty("")
    restarting = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The visit as the core has it."""
        shown = view.maintenance
        if shown is None:
            return
        lang = view.language
        self.title = translate("maintenance.title", lang, badge=shown.visit.technician)
        version = translate("maintenance.version", lang,
                            version=shown.visit.config_version or "…")
        self.explanation = "\n".join([version, *self._device_lines(shown, lang)])
        self.print_result = check_text(shown.visit.result(Check.PRINT), lang)
        self.card_result = check_text(shown.visit.result(Check.CARD), lang)
        self.central_result = check_text(shown.visit.result(Check.CENTRAL), lang)
        self._event_lines = [f"{e.at}  {e.level:<7}  {e.event}"
                             for e in shown.visit.events[:EVENTS_SHOWN]]
        self._fit_events()
        self.restarting = shown.visit.restarting

    def on_kv_post(self, base_widget: Any) -> None:
        """Fit the events to their room, and the checks' words to theirs, whenever it
        changes."""
        super().on_kv_post(base_widget)
        self.ids.events.bind(size=self._fit_events, font_size=self._fit_events)
        for button in self.ids.checks.children:
            button.bind(width=self._fit_checks, font_size=self._fit_checks)

    def _fit_checks(self, button: Any, *_args: Any) -> None:
        """A check's pictogram gives its room to the words where both would break a word
        ("Impri-mer" at the largest size): the words say what it does."""
        button.words_only = longest_word_width(button.text, button.font_size,
                                               button.font_name, button.icon) > button.width

    def _fit_events(self, *_args: Any) -> None:
        """As many events, the newest first, as their room holds whole, each on as many lines
        as its width wraps it to."""
        label = self.ids.events
        shown: list[str] = []
        for line in getattr(self, "_event_lines", []):
            probe = CoreLabel(text="\n".join([*shown, line]), font_size=label.font_size,
                              font_name=label.font_name, line_height=label.line_height,
                              text_size=(max(1.0, label.width), None))
            probe.refresh()
            if probe.content_height > label.height:
                break
            shown.append(line)
        self.events = "\n".join(shown)

    @staticmethod
    def _device_lines(shown: MaintenanceView, lang: str) -> list[str]:
        lines = [device_text(kind, health, lang) for kind, health in shown.devices]
        if shown.uid_only_allowed:
            lines.append(translate("maintenance.badges_uid_only", lang))
        else:
            lines.append(translate("maintenance.badges_checked", lang))
        return lines


def device_text(kind: DeviceKind, health: DeviceHealth, lang: str) -> str:
    """"Printer: ready" or "Printer: not ready (paper-out)": a machine reason, for a
    technician."""
    names = {DeviceKind.PRINTER: translate("maintenance.device_printer", lang),
             DeviceKind.CARD_READER: translate("maintenance.device_card_reader", lang),
             DeviceKind.SCANNER: translate("maintenance.device_scanner", lang),
             DeviceKind.SPEECH: translate("maintenance.device_speech", lang),
             DeviceKind.HEADSET: translate("maintenance.device_headset", lang)}
    name = names.get(kind, kind.value)  # a device kind newer than this screen, by its name
    if health.ready:
        return translate("maintenance.device_ready", lang, device=name, reason=health.reason)
    return translate("maintenance.device_not_ready", lang, device=name, reason=health.reason)


def check_text(result: CheckResult | None, lang: str) -> str:
    """A check's last result in words."""
    if result is None:
        return ""
    if result.status is CheckStatus.RUNNING:
        return translate("maintenance.check_running", lang)
    if result.status is CheckStatus.PASSED:
        return translate("maintenance.check_passed", lang, ms=result.ms)
    return translate("maintenance.check_failed", lang, reason=result.reason or "-")


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
