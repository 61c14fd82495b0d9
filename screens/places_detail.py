"""Practical information, step 2: one place. Its address, open or closed now and until when,
today's hours in words, how far it is on foot and how long the walk takes, its phone number,
and its hours for the next seven days. Where the body band cannot hold all of it (the seated
layout, large text), the week is one button away instead of below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.flows.places import PlacesContent, ShowWeek
from kiosk.core.i18n import translate
from kiosk.core.places import format_phone
from kiosk.core.places_text import status_text, today_text, walk_text, week_lines
from kiosk.core.view import View
from screens.fitting import body_width, button_height, measured
from screens.flow_screen import FlowScreen, content_of
from screens.widgets import KioskText, send


class DetailLine(KioskText):
    """One line of what is known about the place."""


class StatusLine(KioskText):
    """Open or closed now, larger and bold."""


class WeekLine(KioskText):
    """One day of the week's hours."""


class WeekHeading(KioskText):
    """"The next 7 days", bold."""


class WeekBlock(BoxLayout):
    """The week's heading and its seven lines, packed like a table (no gap between lines)."""

    def height_at(self, width: float) -> float:
        """Its height once its lines are wrapped at `width`."""
        return sum(measured(line, width) for line in self.children)


class PlacesDetailScreen(FlowScreen):
    """A place: how to get there and when it is open."""

    _shown: tuple[Any, ...] | None = None
    #: whether the week shares the screen with today (else it is behind the toggle)
    both_fit = True
    _toggle_ref: Any = None

    def show(self, view: View) -> None:
        """The place of the flow, as of the flow's moment."""
        super().show(view)
        flow = content_of(view, PlacesContent)
        chosen = flow.chosen if flow is not None else None
        if chosen is None:
            if self._shown is not None:
                self._shown = None
                self.ids.reading.question = ""
                self.ids.content.clear_widgets()
            return
        app: Any = App.get_running_app()
        key = (view.language, app.text_size, app.layout, flow.uid, flow.week,
               flow.as_of.replace(second=0, microsecond=0))
        if key == self._shown:
            return
        self._shown = key
        place, lang, now = chosen.place, view.language, flow.as_of
        self.ids.reading.question = place.name
        summary: list[KioskText] = [
            DetailLine(text=translate("places.address", lang, address=place.address)),
            StatusLine(text=status_text(place.hours, now, lang)),
        ]
        today = today_text(place.hours, now, lang)
        if today:
            summary.append(DetailLine(text=today))
        summary.append(DetailLine(text=walk_text(chosen.walk, lang)))
        if place.phone:
            summary.append(DetailLine(text=translate("places.phone", lang,
                                                     phone=format_phone(place.phone))))
        lines = week_lines(place.hours, now, lang)
        week = None
        if lines:
            week = WeekBlock()
            week.add_widget(WeekHeading(text=translate("places.week_title", lang)))
            for line in lines:
                week.add_widget(WeekLine(text=line))
        self._fill(summary, week, flow.week, lang)

    def _fill(self, summary: list[KioskText], week: WeekBlock | None, week_asked: bool,
              lang: str) -> None:
        app: Any = App.get_running_app()
        gap, width = app.layout.gap, body_width()
        toggle, actions = self._toggle(), self.ids.actions
        summary_h = sum(measured(w, width) for w in summary) + gap * (len(summary) - 1)
        actions_h = max(button_height(b, (width - gap) / 2) for b in (toggle, self.ids.to_list))
        space = app.layout.body.height - actions_h - gap
        week_h = week.height_at(width) if week else 0.0
        self.both_fit = week is None or summary_h + gap + week_h <= space
        # At the largest sizes in the low seated band, the last lines (phone, walk, today) are
        # read in the reading zone, under the place's name, rather than run past the band.
        moved: list[str] = []
        while not self.both_fit and len(summary) > 2 and summary_h > space:
            line = summary.pop()
            moved.insert(0, line.text)
            summary_h = sum(measured(w, width) for w in summary) + gap * (len(summary) - 1)
        if week_asked:
            moved = []  # the summary's lines are not shown with the week
        shown: list[Widget]
        if self.both_fit:
            shown = [*summary, *([week] if week else [])]
            if toggle.parent is not None:
                toggle.focus = False
                actions.remove_widget(toggle)
        else:
            if week_asked:
                # The smallest panels at the largest text: the heading is read above, in the
                # reading zone, then as many of the first days as the band needs, the others
                # keeping the band, in the week's order (at XL the days are as large as the
                # text farthest from the eye needs, docs/accessibility.md C2).
                while week_h > space and len(week.children) > 1:
                    first = week.children[-1]
                    week.remove_widget(first)
                    moved.append(first.text)
                    week_h = week.height_at(width)
            shown = [week] if week_asked else list(summary)
            toggle.role = "places.show_today" if week_asked else "places.show_week"
            toggle.text = translate(toggle.role, lang)
            toggle.asks_week = not week_asked
            if toggle.parent is None:
                actions.add_widget(toggle, index=len(actions.children))
        self.ids.reading.explanation = "\n".join(moved)
        actions.height = actions_h
        content = self.ids.content
        content.clear_widgets()
        for widget in shown:
            content.add_widget(widget)

    def toggle_week(self) -> None:
        """Today's summary or the week (where both do not fit)."""
        send(ShowWeek(bool(self._toggle().asks_week)))

    def _toggle(self) -> Any:
        # ids hold weak references: the toggle must stay alive while it is out of the tree.
        if self._toggle_ref is None:
            self._toggle_ref = self.ids.toggle.__self__
        return self._toggle_ref

    def first_focus(self) -> Widget | None:
        """The week (or today) where it is one button away, else back to the list."""
        toggle = self._toggle()
        return toggle if toggle.parent is not None else self.ids.to_list


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
