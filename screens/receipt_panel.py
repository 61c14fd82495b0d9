"""The receipt panel: what the person sees of their receipt on a flow's last screen.

The receipt prints by itself as soon as the flow has one and a usable printer exists (the core
decides, kiosk/core/controller.py); the panel shows "Printing…", then "Printed — take your
receipt" only once the printer has said the job completed. When there is no usable printer, or
the job fails, it shows the number and the QR code large on screen ("You can photograph this")
with "Try again", which appears only while a usable printer exists, as does "Print again".

Placing it is one kv line, anywhere in a screen's layout (it draws from `app.view`, not from its
host): `ReceiptPanel:`; with `show_number: False` when the host already shows the number
in large digits. What it shows is `kiosk.core.printing.panel_view`, tested without a window.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.i18n import translate
from kiosk.core.printing import PanelAction, PanelMode, PrintAgain, panel_view
from kiosk.core.view import View
from screens.qr_code import QRCode  # noqa: F401  (used by receipt_panel.kv)
from screens.widgets import KioskButton, KioskText, send

QR_SIDE_MM = 70.0
"""Largest side of the on-screen QR code. A receipt's code has at most 41 modules with its quiet
zone (version 4 at error correction M holds the 62-byte tracking URLs of settings.receipts), so
each module is up to 1.7 mm: over three times the 0.5 mm that reads on paper at arm's length
(kiosk/receipts/paper.py), for a phone photographing a screen through glass, from a step back."""
QR_MIN_SIDE_MM = 30.0
"""Smallest side: 0.73 mm modules for the largest code, half as large again as what reads on
paper; a bare number (29 modules) gets 1 mm. Between the two, the code takes the room its host
screen leaves free, and on a short body (the 147 mm of a 24-inch desk panel,
kiosk/core/layout.py) no more than the height of the text beside it, so that it adds no height
to the panel."""
QR_MAX_WIDTH_SHARE = 0.3
"""On a narrow body the code takes at most this share of the width, next to its text."""
ACTION_WIDTH_SHARE = 0.34
"""The button's share of the row: "Print again" at the largest text size on two lines at most."""


class ReceiptStatusText(KioskText):
    """"Printing…", "Printed — take your receipt", "Your receipt was not printed."."""

    mode = StringProperty(PanelMode.HIDDEN.value)


class ReceiptProblemText(KioskText):
    """Why it did not print, or what is wrong with the printer now."""


class ReceiptNumberText(KioskText):
    """The number in large digits, when the host screen does not show it already."""


class ReceiptHintText(KioskText):
    """"You can photograph this"."""


class ReceiptActionButton(KioskButton):
    """Try again, Print again, or Print: each asks the core to print the session's receipt."""

    def on_release(self) -> None:
        """The core prints the session's receipt again (or ignores a late tap)."""
        send(PrintAgain())


class ReceiptPanel(BoxLayout):
    """The receipt of the session: its printing, or the number and QR code on screen. One row,
    as low as it can be on a short body: the code, what happened, the one button."""

    shown = ObjectProperty(None, allownone=True)
    """The View on display (bound to `app.view` in receipt_panel.kv)."""
    show_number = BooleanProperty(True)
    """False when the host screen already shows the number in large digits."""
    offered = BooleanProperty(True)
    """False when what the host screen shows left no receipt (a cancellation): the session's
    last receipt, of something else, is not shown there."""
    mode = StringProperty(PanelMode.HIDDEN.value)
    """The panel's state (kiosk.core.printing.PanelMode), for tests and speech."""
    qr_side = NumericProperty(0)
    """The code's side in pixels (see QR_MIN_SIDE_MM)."""
    action_share = ACTION_WIDTH_SHARE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._fit_trigger = Clock.create_trigger(self._fit_code)
        self._host: Widget | None = None
        self.status = ReceiptStatusText()
        self.problem = ReceiptProblemText()
        self.label = KioskText()
        self.number = ReceiptNumberText()
        self.hint = ReceiptHintText()
        self.action = ReceiptActionButton()

    def on_kv_post(self, _base_widget: Widget) -> None:
        """Keep the code and the column, which the panel takes out of the tree and back."""
        self.qr = self.ids.qr.__self__
        self.column = self.ids.column.__self__
        self.bind(width=self._fit_trigger, parent=self._watch_host)
        self.column.bind(height=self._fit_trigger)
        self._watch_host(self, self.parent)
        self.show(self.shown)

    def _watch_host(self, _widget: Widget, parent: Widget | None) -> None:
        if self._host is not None:
            self._host.unbind(height=self._fit_trigger, minimum_height=self._fit_trigger)
        self._host = parent if hasattr(parent, "minimum_height") else None
        if self._host is not None:
            self._host.bind(height=self._fit_trigger, minimum_height=self._fit_trigger)
        self._fit_trigger()

    def _fit_code(self, *_args: Any) -> None:
        """As large as the room the host leaves (its height less what its other children
        take), between QR_MIN_SIDE_MM and QR_SIDE_MM; never wider than its share."""
        app = App.get_running_app()
        room = float("inf")
        if self._host is not None:
            room = self._host.height - self._host.minimum_height + self.height
        self.qr_side = min(app.mm(QR_SIDE_MM), self.width * QR_MAX_WIDTH_SHARE,
                           max(app.mm(QR_MIN_SIDE_MM), self.column.height, room))

    def on_shown(self, _widget: Widget, view: View | None) -> None:
        """Redraw for the view on display (once the kv rules have built the panel)."""
        if hasattr(self, "column"):
            self.show(view)

    def on_offered(self, _widget: Widget, _offered: bool) -> None:
        """Redraw when the host screen changes what it shows."""
        self.on_shown(self, self.shown)

    def show(self, shown: View | None) -> None:
        """What to show: nothing without a receipt in the session; otherwise the printing
        status, the problem, the code on screen and the one button, as panel_view says."""
        receipt = shown.receipt if shown is not None and self.offered else None
        if shown is None or receipt is None:
            self.mode = PanelMode.HIDDEN.value
            self._forget()
            self._arrange(code=False, parts=[])
            return
        lang = shown.language
        view = panel_view(shown.printing, shown.printer, has_receipt=True)
        self.mode = self.status.mode = view.mode.value
        self.status.text = translate(view.message, lang) if view.message else ""
        self.problem.text = translate(view.problem, lang) if view.problem else ""
        parts: list[Widget] = [self.status] if view.message else []
        if view.problem:
            parts.append(self.problem)
        if view.show_code:
            self.qr.content = receipt.qr_content
            if self.show_number:
                self.label.text = translate(f"receipt.number.{receipt.number_kind.value}",
                                            lang)
                self.number.text = receipt.printed_number
                parts += [self.label, self.number]
            self.hint.text = translate("print.photograph", lang)
            parts.append(self.hint)
        else:
            self._forget()
        if view.action is not None:
            self.action.text = translate(f"print.action.{view.action.value}", lang)
            self.action.role = f"receipt.{view.action.value}"
            self.action.kind = "secondary" if view.action is PanelAction.PRINT_AGAIN else "primary"
            parts.append(self.action)
        self._arrange(code=view.show_code, parts=parts)

    def _forget(self) -> None:
        """No number left in a widget once it is not shown (docs/architecture.md, rule 4)."""
        self.qr.content = ""
        self.number.text = ""

    def _arrange(self, code: bool, parts: list[Widget]) -> None:
        """Only the parts shown are in the tree: hidden ones take no room, no focus and no
        touch, and tests and speech never find them."""
        row = [self.qr, self.column] if code else [self.column]
        if self.action in parts:
            parts = [part for part in parts if part is not self.action]
            row.append(self.action)
        if list(reversed(self.column.children)) != parts:
            self.column.clear_widgets()
            for part in parts:
                self.column.add_widget(part)
        if list(reversed(self.children)) != row:
            if self.action.focus and self.action not in row:
                self.action.focus = False
            self.clear_widgets()
            for part in row:
                self.add_widget(part)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
