"""The real window described as a `Scene`: every control, text and picture the current screen
(or the inactivity warning over it) shows, in window pixels, where each text is drawn, the
capital height its font renders, and the order Tab visits the controls in.

Runs inside the app's process, after its frames have settled; the checks themselves never see
a widget (kiosk/audit/scene.py).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any

from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window
from kivy.graphics import Rectangle
from kivy.uix.behaviors import ButtonBehavior, FocusBehavior
from kivy.uix.label import Label
from kivy.uix.layout import Layout
from kivy.uix.stencilview import StencilView
from kivy.uix.textinput import TextInput
from kivy.uix.widget import Widget
from kivy.weakproxy import WeakProxy

from kiosk.audit.focus_checks import words
from kiosk.audit.scene import Box, Holder, Node, Scene
from screens.measure import words_of

# Below this opacity (its own times its parents') a widget is not seen.
SEEN_OPACITY = 0.05
# A glyph's pixel belongs to it when at least half covered.
OPAQUE_ALPHA = 128
# The proxies Kivy's rules hold widgets by (kivy.weakproxy, and Python's own).
PROXIES = (WeakProxy, weakref.ProxyType, weakref.CallableProxyType)
# Rules of dropped widgets are forgotten in rounds (see use_theme): a few are enough.
MAX_THEME_TRIES = 5
#: the rules use_theme forgot, for the cell's record
FORGOTTEN_RULES: list[int] = []
# How many widgets Tab may visit on one screen before the walk counts as a loop.
MAX_TAB_STOPS = 500


def window_box(widget: Widget) -> Box:
    """The widget's box in window coordinates."""
    x, y = widget.to_window(widget.x, widget.y)
    return Box(float(x), float(y), float(widget.width), float(widget.height))


def _instructions(widget: Widget) -> list[Any]:
    out = []
    for canvas in (widget.canvas.before, widget.canvas, widget.canvas.after):
        out.extend(canvas.children)
    return out


def drawn_text_box(label: Label) -> Box | None:
    """Where the label's text texture is drawn, from its own canvas (the kv rule decides)."""
    texture = label.texture
    if texture is None:
        return None
    for instruction in _instructions(label):
        if isinstance(instruction, Rectangle) and instruction.texture is texture:
            x, y = label.to_window(*instruction.pos)
            width, height = instruction.size
            return Box(float(x), float(y), float(width), float(height))
    return None


def shown_hint(field: TextInput) -> str:
    """The example a field shows while empty: none where it is too narrow to show it whole
    (`KioskTextInput.example_hidden`)."""
    return "" if getattr(field, "example_hidden", False) else str(field.hint_text)


def field_text_box(field: TextInput) -> Box | None:
    """The part of a field its text (or hint) is drawn in: its box inside the padding."""
    if not (field.text or shown_hint(field)):
        return None
    left, top, right, bottom = field.padding
    box = window_box(field)
    return Box(box.x + left, box.y + bottom, max(0.0, box.width - left - right),
               max(0.0, box.height - top - bottom))


def text_needs(label: Label) -> float | None:
    """The height the label's whole text needs at its width, where its text size fixes a
    height (Kivy then drops the lines that do not fit) or it shortens its text."""
    width, height = label.text_size
    if (height is None and not label.shorten) or label.markup or label._label is None:
        return None
    options = {**label._label.options, "text": label.text, "text_size": (width, None),
               "shorten": False, "max_lines": 0}
    options.pop("usersize", None)
    core = CoreLabel(**options)
    core.refresh()
    return float(core.texture.size[1]) if core.texture is not None else None


@dataclass
class CapRuler:
    """Measures the capital height fonts render, once per font, size and weight, and the
    width of words."""

    measured: dict[tuple[str, float, bool], float | None] = field(default_factory=dict)
    #: the width of words drawn on one line, by word, font, size and weight
    words: dict[tuple[str, str, float, bool], float] = field(default_factory=dict)

    def cap_px(self, font_name: str, font_size: float, bold: bool) -> float | None:
        """Rows of pixels a capital H covers (None if the font draws no H: a pictogram font)."""
        key = (font_name, round(float(font_size), 2), bold)
        if key not in self.measured:
            core = CoreLabel(text="H", font_name=font_name, font_size=font_size, bold=bold)
            core.refresh()
            texture = core.texture
            rows = 0
            if texture is not None:
                width, height = texture.size
                alpha = texture.pixels[3::4]
                rows = sum(1 for r in range(height)
                           if max(alpha[r * width:(r + 1) * width], default=0) >= OPAQUE_ALPHA)
            self.measured[key] = float(rows) if rows else None
        return self.measured[key]

    def word_px(self, word: str, font_name: str, font_size: float, bold: bool) -> float:
        """How wide `word` is drawn on one line, measured once per font, size and weight."""
        key = (word, font_name, round(float(font_size), 2), bold)
        width = self.words.get(key)
        if width is None:
            core = CoreLabel(text=word, font_name=font_name, font_size=font_size, bold=bold)
            core.refresh()
            width = self.words[key] = float(core.content_width)
        return width

    def widest_word(self, label: Label) -> tuple[float, float] | None:
        """The widest of the label's words and the width its text is wrapped at, where one
        is set: Kivy breaks lines at spaces only, so a wider word leaves the box or, in a
        label that shortens, is cut to an ellipsis on its one line."""
        width = label.text_size[0]
        text = label.text
        if width is None or label.markup or not text.strip():
            return None
        bold = bool(getattr(label, "bold", False))
        widest = max(self.word_px(word, label.font_name, label.font_size, bold)
                     for word in words_of(text))
        return widest, float(width)


def _is_graphic(widget: Widget) -> bool:
    """A picture: a leaf widget that draws a texture of its own (a QR code, an image)."""
    if widget.children or isinstance(widget, (Label, TextInput)):
        return False
    return any(isinstance(i, Rectangle) and i.texture is not None
               for i in _instructions(widget))


def _label_of(field: TextInput) -> str:
    """The words that name a field on screen: the kiosk's fields say it themselves
    (`KioskTextInput.label_words`, which speech says too); else the last text before it in
    its layout, else its hint while it is drawn."""
    own = getattr(field, "label_words", None)
    if own is not None:
        return str(own(shown_only=True))
    parent = field.parent
    before = ""
    if parent is not None:
        for sibling in reversed(parent.children):  # in the order they were added
            if sibling is field:
                break
            if isinstance(sibling, Label) and sibling.opacity > 0 and words(sibling.text):
                before = sibling.text
    return before or shown_hint(field)


@dataclass
class _Walk:
    """What the description has gathered so far."""

    ruler: CapRuler
    nodes: list[Node] = field(default_factory=list)
    #: node index by the id of its widget
    index_of: dict[int, int] = field(default_factory=dict)


def _describe(widget: Widget, walk: _Walk, opacity: float, inside: tuple[int, ...],
              holders: tuple[Holder, ...], viewport: Box | None) -> None:
    opacity *= widget.opacity
    if opacity < SEEN_OPACITY:
        return
    box = window_box(widget)
    node_index = None
    text = widget.text if isinstance(widget, (Label, TextInput)) else ""
    is_field = isinstance(widget, TextInput)
    is_control = isinstance(widget, (ButtonBehavior, TextInput))
    shows_text = isinstance(widget, Label) and bool(words(text) or text.strip())
    if is_field or is_control or shows_text or _is_graphic(widget):
        if is_field:
            text_box = field_text_box(widget)
            text = widget.text or shown_hint(widget)
        elif shows_text:
            text_box = drawn_text_box(widget)
        else:
            text_box = None
        pictogram = bool(text) and not any(c.isalnum() for c in words(text))
        cap = None
        if text_box is not None and not pictogram:
            cap = walk.ruler.cap_px(widget.font_name, widget.font_size,
                                    bool(getattr(widget, "bold", False)))
        node_index = len(walk.nodes)
        walk.nodes.append(Node(
            index=node_index, widget=type(widget).__name__, box=box,
            role=str(getattr(widget, "role", "") or ""), text=text, control=is_control,
            field=is_field,
            focusable=isinstance(widget, FocusBehavior) and widget.is_focusable,
            disabled=bool(widget.disabled),
            backdrop=is_control and isinstance(widget, Layout),
            text_box=text_box,
            text_needs=text_needs(widget) if shows_text else None,
            widest_word=walk.ruler.widest_word(widget) if shows_text and not pictogram else None,
            cap_px=cap, label=_label_of(widget) if is_field else "",
            inside=inside, holders=holders, viewport=viewport,
        ))
        walk.index_of[id(widget)] = node_index
        inside = (*inside, node_index)
    if isinstance(widget, StencilView):  # a list that scrolls shows only its own box
        viewport = box if viewport is None else (viewport.intersection(box) or Box(0, 0, 0, 0))
        # what it hides is the scroll check's; inside, its own layouts hold what they hold
        holders = ()
    elif isinstance(widget, Layout):
        holders = (Holder(type(widget).__name__, box), *holders)
    for child in reversed(widget.children):  # in the order they were added: reading order
        _describe(child, walk, opacity, inside, holders, viewport)


def _itself(widget: Any) -> Any:
    """The widget a kv id (a proxy) stands for; anything else as it is."""
    return widget.__ref__() if type(widget) is WeakProxy else widget


def _name(widget: Widget) -> str:
    role = getattr(widget, "role", "")
    return str(role) if role else type(widget).__name__


def _focus_order(view: Widget, first: Widget | None,
                 walk: _Walk) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """The nodes Tab visits from the screen's first focus, and what it visits that is not a
    node of the scene (a hidden widget, or one outside the view)."""
    candidates = [w for w in view.walk(restrict=True)
                  if isinstance(w, FocusBehavior) and w.is_focusable and not w.disabled]
    first = _itself(first)
    if first is None or not any(w is first for w in candidates):
        first = next((w for w in candidates if id(w) in walk.index_of), None)
    if first is None:
        return (), ()
    order, current = [first], first
    for _ in range(MAX_TAB_STOPS):
        following = _itself(current.get_focus_next())  # focus_next may name a kv id
        if following is None or any(following is w for w in order):
            break
        order.append(following)
        current = following
    indexes = tuple(walk.index_of[id(w)] for w in order if id(w) in walk.index_of)
    escapes = tuple(_name(w) for w in order if id(w) not in walk.index_of)
    return indexes, escapes


def settled(app: Any) -> bool:
    """Whether the window holds only what is on display: a dismissed warning fades out for a
    tenth of a second before Kivy takes it away, and Tab could still land in it meanwhile."""
    return len(Window.children) == (2 if app.overlay_open else 1)


def describe(app: Any, ruler: CapRuler) -> Scene:
    """The scene the window shows now: the inactivity warning when it is up (what lies under
    it cannot be touched), else the current screen."""
    overlay = app.overlay_open
    view = app._overlay if overlay else app._manager.current_screen
    first = view.ids.get("keep") if overlay else view.first_focus()
    walk = _Walk(ruler)
    _describe(view, walk, 1.0, (), (), None)
    order, escapes = _focus_order(view, first, walk)
    keys_shown = any(n.role.startswith("key.") for n in walk.nodes)
    screen = app.current_screen + (" + idle_warning" if overlay else "")
    return Scene(screen, Box(0.0, 0.0, float(Window.width), float(Window.height)),
                 tuple(walk.nodes), order, escapes, keys_shown)


def use_theme(app: Any, theme: str) -> None:
    """Show the app in `theme`, as a person who chose it would see it (the station's theme is
    a setting; a choice on screen comes with the accessibility panel). The kv rules of widgets
    Kivy has dropped without telling their rules (the destructor of a widget freed in a cycle
    may never run) still listen to the theme, and raise ReferenceError: when one does, the
    rules whose widget is gone are forgotten and the change told again."""
    for _ in range(MAX_THEME_TRIES):
        try:
            if app.theme_name != theme:
                app.theme_name = theme
            else:
                app.property("theme_name").dispatch(app)
            return
        except ReferenceError:
            for callback, largs, _kwargs, _is_ref, uid in app.get_property_observers(
                    "theme_name", args=True):
                if uid is not None and _rule_of_dead_widget(callback, largs):
                    app.unbind_uid("theme_name", uid)
                    FORGOTTEN_RULES.append(uid)
    raise RuntimeError(f"the theme could not be changed to {theme}")


def _rule_of_dead_widget(callback: Any, largs: tuple[Any, ...]) -> bool:
    """Whether a kv rule sets a property of a widget that no longer exists: its element, or
    the widget the rule was applied to (kivy/lang/builder.py: `call_fn` gets the rule's
    arguments first, `update_intermediates` sixth)."""
    name = getattr(callback, "__name__", "")
    if name in ("call_fn", "delayed_call_fn") and largs:
        rule = largs[0]
    elif name == "update_intermediates" and len(largs) > 5:
        rule = largs[5]
    else:
        return False
    element, idmap = rule[0], rule[4]
    return _dead(element) or (isinstance(idmap, dict) and _dead(idmap.get("self")))


def _dead(value: Any) -> bool:
    """Whether `value` is a proxy of an object that no longer exists. Only the type is looked
    at first: a dead proxy raises on anything asked of it, isinstance included."""
    if type(value) not in PROXIES:
        return False
    try:
        value.__class__  # noqa: B018 -- a dead proxy raises
    except ReferenceError:
        return True
    return False
