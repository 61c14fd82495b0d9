"""Tracking, step 2: where the request stands, in plain words, with its history. The status is
written out, never shown by a colour alone."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.widget import Widget

from kiosk.core.dates import long_date
from kiosk.core.flows.tracking import TrackingContent
from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.flow_screen import FlowScreen, content_of
from screens.paging import PagedChoices
from screens.widgets import KioskText

__all__ = ["PagedChoices", "TrackingResultScreen"]  # the list is used in the .kv


class TrackingResultScreen(FlowScreen):
    """Your request no. …"""

    def show(self, view: View) -> None:
        """Title, current status and the history, newest last."""
        super().show(view)
        content = content_of(view, TrackingContent)
        report = content.report if content is not None else None
        history = self.ids.history
        if report is None:
            self.ids.reading.question = ""
            self.ids.reading.explanation = ""
            history.set_widgets((), view.language)
            return
        lang = view.language
        self.ids.reading.question = translate("tracking.result_title", lang,
                                              number=report.number)
        # Where the request stands is what the person came to read: in the reading zone.
        current = translate("tracking.current", lang,
                            status=translate(f"status.{report.status.value}", lang))
        self.ids.reading.explanation = f"{report.service_name}\n{current}"
        lines = []
        for step in report.history:
            line = translate("tracking.history_line", lang, date=long_date(step.at, lang),
                             status=translate(f"status.{step.status.value}", lang))
            lines.append(f"{line}\n{step.note}" if step.note else line)

        def make(width: float) -> list[tuple[Widget, float]]:
            made = []
            for text in lines:
                label = KioskText(text=text, width=width)
                label.texture_update()
                made.append((label, float(label.texture_size[1])))
            return made

        history.make = make
        history.set_widgets((report.number, lang, *lines), lang)

    def first_focus(self) -> Widget | None:
        """Keyboard users start at "Look up another number", then Tab reaches the survey's
        offer (with no first widget, Tab had nothing to start from on this screen)."""
        return self.ids.another


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
