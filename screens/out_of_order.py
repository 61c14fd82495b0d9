"""The out-of-order screen: the station cannot serve; where to go instead, in every offered
language, and the station's id for reporting it. Nothing to touch. On a landscape panel the
other languages stand in a column beside the current one: one under the other, they are taller
than its short glass at the largest size."""

from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty

from kiosk.core.i18n import translate
from kiosk.core.view import View
from screens.widgets import KioskScreen


class OutOfOrderScreen(KioskScreen):
    """Temporarily out of order."""

    #: every language's message: the current one first, then each other with its title
    message = StringProperty("")
    #: the current language's message, and the others', for the landscape panel
    current = StringProperty("")
    others = StringProperty("")
    others_beside = BooleanProperty(False)

    def show(self, view: View) -> None:
        """The message in each offered language, current one first."""
        app = App.get_running_app()
        app_values = {"site": app.site_name, "address": app.site_address}
        order = [view.language, *(lang for lang in view.languages if lang != view.language)]
        # The title says it in the current language; the others follow, each with its title.
        blocks = [translate("out_of_order.body", view.language, **app_values)] + [
            translate("out_of_order.title", lang) + "\n" + translate("out_of_order.body", lang,
                                                                     **app_values)
            for lang in order[1:]
        ]
        blocks = list(dict.fromkeys(blocks))
        self.current, self.others = blocks[0], "\n\n".join(blocks[1:])
        self.message = "\n\n".join(blocks)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
