"""The whole configuration of a station: frozen dataclasses, which pydantic validates
(`kiosk.settings.validation`).

Every field carries a docstring: it becomes the field's description in `kiosk config schema`
and in the configuration reference (docs/configuration.md), so an IT team reads the same
words everywhere. Values arrive from TOML files and environment variables and are validated
strictly (a string is never silently turned into a number).

This module imports no pydantic: a running station gets its settings validated in a child
process (`kiosk.settings.apart`) and never holds pydantic's 9 MiB itself. Constraints are the
markers of `kiosk.settings.constraints`, which pydantic reads; checks across fields are
`__post_init__`, which pydantic calls after validating the fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ClassVar
from urllib.parse import urlsplit

from kiosk.settings.colour import brand_colour
from kiosk.settings.constraints import Check, Interval, Len, Pattern
from kiosk.settings.field_docs import describe_fields
from kiosk.settings.scan_timing import MAX_SCAN_GAP_S, MIN_SCAN_CHARS
from kiosk.settings.speech_steps import (
    DEFAULT_RATE_PERCENT,
    DEFAULT_VOLUME_LEVEL,
    VOLUME_LEVELS,
    check_rate,
)

# WCAG 2.2 SC 2.2.1 "Timing Adjustable": at least 20 s to extend with a simple action.
MIN_WARNING_S = 20
# docs/accessibility.md §3: warning dialog for 45 s (VVSG 20–45 s).
DEFAULT_WARNING_S = 45
# docs/accessibility.md §3: inactivity 120–300 s; below 30 s nobody can read a screen.
MIN_IDLE_S = 30
DEFAULT_IDLE_S = 120
# How often a station tells the fleet how it is: OpenTelemetry's default metric export
# interval is 60 s (OTEL_METRIC_EXPORT_INTERVAL, SDK environment variables); safe mode uses the
# same (kiosk/safe_mode.py). Beyond a day the fleet cannot tell a station that died.
DEFAULT_HEARTBEAT_S = 60
MIN_HEARTBEAT_S = 1
MAX_HEARTBEAT_S = 86400
# A panel edge more than 3 m above the floor is a typing error, not a kiosk.
MAX_PANEL_HEIGHT_MM = 3000
# Square pixels: horizontal and vertical pitch may differ by 1 % at most (docs/accessibility.md A5).
MAX_PITCH_MISMATCH = 0.01
# CUPS queue names: at most 127 printable characters, no space, tab, "/", "\\", "#", quote
# (lpadmin(8), "-p destination"); kept to a portable subset.
CUPS_QUEUE_PATTERN = r"^[A-Za-z0-9_.-]{1,127}$"
# What a receipt's tracking URL template must hold: the number it is filled with.
NUMBER_PLACEHOLDER = "{number}"

LanguageCode = Annotated[str, Pattern(r"^[a-z]{2}(_[A-Za-z]+)?$")]


def http_url(value: str) -> str:
    """An http(s) URL with a host. (pydantic's HttpUrl would do, but importing it costs a
    twentieth of the station's start-up budget.)"""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host name")
    return value


HttpUrl = Annotated[str, Len(8, 2000), Check(http_url)]


def tracking_url_template(value: str) -> str:
    """An http(s) URL holding `{number}` once and no other brace, so that filling it in can
    never fail on a receipt (a station finds out at start, not at the first print)."""
    if value.count(NUMBER_PLACEHOLDER) != 1:
        raise ValueError(f"must hold {NUMBER_PLACEHOLDER} exactly once")
    if "{" in value.replace(NUMBER_PLACEHOLDER, "") or "}" in value.replace(NUMBER_PLACEHOLDER, ""):
        raise ValueError(f"must hold no brace other than {NUMBER_PLACEHOLDER}")
    http_url(value.replace(NUMBER_PLACEHOLDER, "0"))
    return value


TrackingUrl = Annotated[str, Len(8, 2000), Check(tracking_url_template)]


def absolute_path(value: Path) -> Path:
    """A path that means the same whatever the working directory of the station."""
    if not value.is_absolute():
        raise ValueError("must be an absolute path")
    return value


AbsolutePath = Annotated[Path, Check(absolute_path)]

BrandColour = Annotated[str, Pattern(r"^#[0-9A-Fa-f]{6}$"), Check(brand_colour)]


class Profile(StrEnum):
    """The kind of station (docs/architecture.md, "What it is, who uses it")."""

    TOTEM = "totem"
    DESK = "desk"
    DESK_ASSISTED = "desk-assisted"


class DeviceDriver(StrEnum):
    """Which implementation of a device port the station uses."""

    REAL = "real"
    SIM = "sim"


class CardReaderDriver(StrEnum):
    """Which implementation of the badge reader port the station uses."""

    PCSC = "pcsc"
    SIM = "sim"


class SpeechDriver(StrEnum):
    """Which implementation of the speech port the station uses."""

    REAL = "real"
    SIM = "sim"
    RECORDING = "recording"


class TextSize(StrEnum):
    """The four text sizes of docs/accessibility.md C3 (small, medium, large, extra large)."""

    S = "S"
    M = "M"
    L = "L"
    XL = "XL"


class Theme(StrEnum):
    """Colour themes; the high-contrast ones are pure black and white (docs/accessibility.md D1)."""

    DEFAULT = "default"
    HIGH_LIGHT = "high-light"
    HIGH_DARK = "high-dark"


class PaperSize(StrEnum):
    """The paper receipts are printed on."""

    THERMAL_80 = "thermal-80"
    A5 = "a5"
    A4 = "a4"


class _Section:
    """Every section is a dataclass, frozen (nothing changes settings behind the core's back)
    and built by keyword (so that required fields may follow fields with defaults)."""

    #: How pydantic validates every section: an unknown key is an error. In the JSON schema,
    #: each field's docstring is its description.
    __pydantic_config__: ClassVar[dict[str, object]] = {
        "extra": "forbid", "json_schema_extra": describe_fields}


@dataclass(frozen=True, kw_only=True)
class StationSettings(_Section):
    """Who this station is."""

    id: Annotated[str, Pattern(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")]
    """Station identifier, unique in the city's fleet; printed on references and the out-of-order
    screen (letters, digits and dashes, at most 32)."""
    name: Annotated[str, Len(1, 80)]
    """Human name of the station, shown to technicians (for example "Borne parvis mairie")."""


@dataclass(frozen=True, kw_only=True)
class Location(_Section):
    """Where the station stands."""

    lat: Annotated[float, Interval(ge=-90, le=90)]
    """Latitude in decimal degrees (WGS 84)."""
    long: Annotated[float, Interval(ge=-180, le=180)]
    """Longitude in decimal degrees (WGS 84)."""
    address: Annotated[str, Len(1, 200)]
    """Postal address of the station, used as the default location of street reports."""


@dataclass(frozen=True, kw_only=True)
class SiteSettings(_Section):
    """The city and the place the station belongs to."""

    city: Annotated[str, Len(1, 80)]
    """Name of the city, shown on screens and receipts."""
    name: Annotated[str, Len(1, 80)]
    """Name of the place (town hall, library, street corner)."""
    location: Location
    """Position and address of the station."""
    timezone: str = "Europe/Paris"
    """IANA time zone used for dates shown and printed."""
    logo: AbsolutePath | None = None
    """The city's mark on screens (PNG, absolute path), beside its name on the attract screen
    and at the top of every screen; the name alone when unset. Receipts have their own
    (`receipts.logo`), since paper is printed in black."""
    brand_colour: BrandColour | None = None
    """The city's one primary colour, `#RRGGBB`, for primary buttons, the stepper and the
    city's name in the default theme (the high-contrast themes stay black and white). It must
    reach 7:1 against the background and behind its button text: `kiosk config check` says
    the ratio a colour reached when it does not."""


@dataclass(frozen=True, kw_only=True)
class PanelGeometry(_Section):
    """The physical panel: all sizes on screen are computed from it, never from the DPI the OS
    reports (docs/accessibility.md §5)."""

    name: Annotated[str, Len(1, 80)]
    """Name of the panel model, for people (for example "43 in portrait totem")."""
    width_px: Annotated[int, Interval(gt=0, le=16384)]
    """Horizontal resolution of the panel in pixels, as the app window uses it."""
    height_px: Annotated[int, Interval(gt=0, le=16384)]
    """Vertical resolution of the panel in pixels."""
    active_width_mm: Annotated[float, Interval(gt=0, le=3000)]
    """Width of the active (lit) area in millimetres, from the panel's data sheet."""
    active_height_mm: Annotated[float, Interval(gt=0, le=3000)]
    """Height of the active area in millimetres, from the panel's data sheet."""
    bottom_edge_mm: Annotated[float, Interval(ge=0, le=MAX_PANEL_HEIGHT_MM)]
    """Height of the bottom edge of the active area above the floor, in millimetres (0 would be
    at floor level; it cannot be below the floor)."""
    tilt_deg: Annotated[float, Interval(ge=0, lt=90)] = 0
    """Backward tilt of the panel from vertical, in degrees (0 = upright, towards 90 = flat)."""
    left_px: Annotated[int, Interval(ge=0)] = 0
    """X position of the app window on the X screen (for stations with two panels)."""
    top_px: Annotated[int, Interval(ge=0)] = 0
    """Y position of the app window on the X screen."""

    def __post_init__(self) -> None:
        pitch_w = self.active_width_mm / self.width_px
        pitch_h = self.active_height_mm / self.height_px
        if abs(pitch_w - pitch_h) / max(pitch_w, pitch_h) > MAX_PITCH_MISMATCH:
            raise ValueError(
                f"pixels are not square: {pitch_w:.3f} mm/px across but {pitch_h:.3f} mm/px "
                "down; check width_px, height_px and the active area"
            )
        top = self.bottom_edge_mm + self.active_height_mm * math.cos(math.radians(self.tilt_deg))
        if top > MAX_PANEL_HEIGHT_MM:
            raise ValueError(f"the top of the panel would be {top:.0f} mm above the floor")


class Open311Format(StrEnum):
    """The format an Open311 server is spoken in (GeoReport v2: XML always, JSON optionally)."""

    JSON = "json"
    XML = "xml"
    AUTO = "auto"


@dataclass(frozen=True, kw_only=True)
class Open311Endpoint(_Section):
    """An Open311 GeoReport v2 server (docs/central-systems.md)."""

    base_url: HttpUrl
    """Base URL of the GeoReport v2 API (the part before services.json)."""
    jurisdiction_id: str | None = None
    """jurisdiction_id sent with every call when the server serves several cities."""
    format: Open311Format = Open311Format.AUTO
    """`json`, `xml` (the format every GeoReport v2 server offers), or `auto` (the default):
    JSON, and XML if the server answers no JSON (tried once, then kept)."""
    idempotency_keys: bool = False
    """Whether this server honours the Idempotency-Key header (it is not part of GeoReport
    v2: most servers ignore it, so the default is false). When it does not, a request whose
    answer was lost is looked up at the server by its station reference before it is sent
    again."""


@dataclass(frozen=True, kw_only=True)
class PublikEndpoint(_Section):
    """A Publik service (w.c.s. or Chrono) reached with signed URLs."""

    base_url: HttpUrl
    """Base URL of the service's API (for example https://demarches.ville.fr/api/)."""


class PeerTrait(StrEnum):
    """One way the reference peer's Open311 side can stray from the spec, as servers written
    by others do (docs/central-systems.md; kiosk/peer/personality.py)."""

    #: the Idempotency-Key header is ignored: it is not part of GeoReport v2
    NO_IDEMPOTENCY = "no-idempotency"
    #: POST requests stores the request, then answers 500 (a failure on the way out)
    ERROR_AFTER_STORING = "5xx-after-storing"
    #: POST requests stores the request, then closes the connection without an answer
    DROP_AFTER_STORING = "drop-after-storing"
    #: POST requests stores the request, then sends its answer one byte every half second
    TIMEOUT_AFTER_STORING = "timeout-after-storing"
    #: GET requests and servicerequestupdates ignore their parameters: the first answers its
    #: default list (the last 90 days, at most 1000), the second its whole feed
    IGNORED_FILTERS = "ignored-filters"
    #: the .json routes do not exist (404); discovery announces text/xml only
    XML_ONLY = "xml-only"
    #: every Open311 answer starts with a UTF-8 byte-order mark (some Windows-hosted servers)
    BOM = "bom"


#: Traits that each decide how a POST that stored a request ends: one at most.
PEER_AFTER_STORING = (PeerTrait.ERROR_AFTER_STORING, PeerTrait.DROP_AFTER_STORING,
                      PeerTrait.TIMEOUT_AFTER_STORING)


def check_peer_traits(traits: frozenset[PeerTrait]) -> None:
    """ValueError when traits exclude each other."""
    chosen = [t.value for t in PEER_AFTER_STORING if t in traits]
    if len(chosen) > 1:
        raise ValueError(f"choose one of {', '.join(chosen)}: a POST ends one way")


class RequestSystem(StrEnum):
    """Which central system takes requests and tracks them."""

    OPEN311 = "open311"
    WCS = "wcs"


@dataclass(frozen=True, kw_only=True)
class CentralSettings(_Section):
    """The city's central systems. Secrets never live here: they are read from
    `credentials_file`."""

    open311: Open311Endpoint | None = None
    """Open311 GeoReport v2 server for requests and street reports, if the city runs one."""
    wcs: PublikEndpoint | None = None
    """Publik w.c.s. forms API, if the city runs one."""
    chrono: PublikEndpoint | None = None
    """Publik Chrono agendas API for appointments, if the city runs one."""
    fleet_url: HttpUrl | None = None
    """Fleet endpoint receiving enrolment and heartbeats."""
    heartbeat_s: Annotated[float, Interval(ge=MIN_HEARTBEAT_S, le=MAX_HEARTBEAT_S)] = (
        DEFAULT_HEARTBEAT_S)
    """How often the running station sends its heartbeat (health and usage counts) to
    `fleet_url`, in seconds; the token is `[fleet] token` of `credentials_file`."""
    credentials_file: Path | None = None
    """File holding API keys and signing keys, readable by the kiosk user only."""
    embedded_peer: bool = False
    """Start the embedded reference peer on loopback and use it (demos and tests only); the
    endpoints above are then ignored and its credentials are used."""
    requests: RequestSystem = RequestSystem.OPEN311
    """Which system takes requests and tracks them when both `open311` and `wcs` are set
    (with the embedded peer: which of its two is used). Survey answers go to w.c.s. when it
    is set; appointments always go to Chrono."""
    answer_wait_s: Annotated[float, Interval(gt=0, le=30)] = 4.0
    """How long the screen waits for the central's number after a request is stored in the
    outbox, in seconds; after that the person leaves with the station reference."""
    timeout_s: Annotated[float, Interval(gt=0, le=120)] = 10.0
    """Time limit of one call to a central system, in seconds."""
    peer_personality: tuple[PeerTrait, ...] = ()
    """With `embedded_peer` (demos and tests): how the peer's Open311 side strays from the
    spec, as `kiosk peer --personality` (for example ["xml-only", "bom"])."""

    def __post_init__(self) -> None:
        check_peer_traits(frozenset(self.peer_personality))

    @property
    def takes_surveys(self) -> bool:
        """Whether a central form takes survey answers: w.c.s., or the peer that serves it."""
        return self.embedded_peer or self.wcs is not None


@dataclass(frozen=True, kw_only=True)
class DeviceSettings(_Section):
    """One device of the station."""

    driver: DeviceDriver = DeviceDriver.SIM
    """`real` for the hardware driver, `sim` for the shipped simulator."""
    required: bool = False
    """If true, the station shows the out-of-order screen while this device is not ready."""


class ScannerMode(StrEnum):
    """How the real scanner's codes reach the station."""

    EVDEV = "evdev"
    WEDGE = "wedge"


class ScannerKeymap(StrEnum):
    """The keyboard layout a scanner in keyboard mode is configured to type for."""

    US = "us"
    FR = "fr"


# A scanner's keys are ~1–20 ms apart, a person's rarely under 50 ms twice in a row
# (kiosk/settings/scan_timing.py, MAX_SCAN_GAP_S): the wedge gap must stay between the two.
MIN_WEDGE_GAP_MS = 5
MAX_WEDGE_GAP_MS = 45


@dataclass(frozen=True, kw_only=True)
class ScannerSettings(DeviceSettings):
    """The QR code and barcode scanner: the common device fields, and how the real one is read."""

    # The common fields again, with what they mean for a scanner.
    driver: DeviceDriver = DeviceDriver.SIM
    """`real` for the scanner itself (read as `mode` says), `sim` for the shipped simulator."""
    required: bool = False
    """If true, the station shows the out-of-order screen while the scanner is not ready (not
    in mode `wedge`: a keyboard-wedge scanner cannot be seen)."""
    mode: ScannerMode = ScannerMode.EVDEV
    """With driver `real`: `evdev` reads the scanner's own input device, grabbed so that its
    keys never reach a text field (needs `device` or `match`); `wedge` takes the scanner as an
    ordinary keyboard and tells its scans from typing by their speed (for scanners that can
    only be a keyboard; it cannot be `required`, as its presence cannot be seen)."""
    device: AbsolutePath | None = None
    """evdev mode: the scanner's input device, for example
    /dev/input/by-id/usb-Honeywell_Imaging_1900-event-kbd or a udev symlink (absolute path)."""
    match: Annotated[str, Len(1, 100), Pattern(r"^[^/]+$")] | None = None
    """evdev mode, when `device` is unset: part of the scanner's name under /dev/input/by-id
    (case ignored), for example "Honeywell"; the first keyboard node whose name holds it is
    used."""
    keymap: ScannerKeymap = ScannerKeymap.US
    """evdev mode: the keyboard layout the scanner is configured for, `us` (the usual factory
    setting) or `fr` (AZERTY); it must match the scanner's own setting."""
    wedge_max_gap_ms: Annotated[int, Interval(ge=MIN_WEDGE_GAP_MS, le=MAX_WEDGE_GAP_MS)] = round(
        MAX_SCAN_GAP_S * 1000)
    """wedge mode: longest pause between two keys of a scan, in milliseconds (5–45: a scanner
    sends keys a few ms apart, a person rarely under 50 ms)."""
    wedge_min_chars: Annotated[int, Interval(ge=1, le=64)] = MIN_SCAN_CHARS
    """wedge mode: fewest characters before Enter for a fast burst to count as a scan."""

    def __post_init__(self) -> None:
        if self.driver is not DeviceDriver.REAL:
            return
        if self.mode is ScannerMode.EVDEV and self.device is None and self.match is None:
            raise ValueError('the real scanner in mode "evdev" needs `device` or `match`')
        if self.mode is ScannerMode.WEDGE and self.required:
            raise ValueError('a scanner in mode "wedge" cannot be required: a keyboard-wedge '
                             "scanner cannot be seen, so its absence cannot be reported")


@dataclass(frozen=True, kw_only=True)
class CardReaderSettings(_Section):
    """The contactless reader for staff badges (docs/badges.md)."""

    driver: CardReaderDriver = CardReaderDriver.SIM
    """`pcsc` for a PC/SC reader through pcscd, `sim` for the shipped simulator."""
    required: bool = False
    """If true, the station shows the out-of-order screen while the reader is not ready."""
    reader: Annotated[str, Len(1, 200)] | None = None
    """With driver `pcsc`: the reader's name as pcscd lists it (`pcsc_scan` shows it), or its
    beginning, for example "ACS ACR122U" (the first reader whose name begins with it)."""

    def __post_init__(self) -> None:
        if self.driver is CardReaderDriver.PCSC and self.reader is None:
            raise ValueError('the card reader with driver "pcsc" needs `reader`, its name')


ALSA_DEVICE_PATTERN = r"^[A-Za-z0-9_:,=.-]{1,200}$"
"""An ALSA PCM name as `aplay -L` lists them ("default", "plughw:CARD=PCH,DEV=0"): no space,
no quote, nothing a shell or ALSA's configuration parser would read as more than a name."""

INPUT_NAME_PATTERN = r"^[^/\n]{1,100}$"


@dataclass(frozen=True, kw_only=True)
class SpeechSettings(_Section):
    """Speech output (docs/devices.md, "The espeak-ng speech driver")."""

    driver: SpeechDriver = SpeechDriver.SIM
    """`real` speaks through espeak-ng and ALSA, `sim` is the shipped simulator, `recording`
    keeps what would be said in memory for tests (never on a station: it holds what it said
    until the process ends)."""
    required: bool = False
    """If true, the station shows the out-of-order screen while speech is not ready."""
    alsa_device: Annotated[str, Pattern(ALSA_DEVICE_PATTERN)] = "default"
    """With driver `real`: the ALSA output speech plays through, as `aplay -L` names it; a
    headset plugged into the station's jack takes the sound of the card it belongs to."""


@dataclass(frozen=True, kw_only=True)
class HeadsetSettings(_Section):
    """The headphone jack: a headset plugged in turns speech on, and only then is private
    information read aloud (docs/accessibility.md H7, H14)."""

    driver: DeviceDriver = DeviceDriver.SIM
    """`real` reads the jack's switch from the Linux input layer (the sound card's "Headphone"
    input device), `sim` is the shipped simulator."""
    required: bool = False
    """If true, the station shows the out-of-order screen while the jack cannot be read."""
    device: AbsolutePath | None = None
    """With driver `real`: the jack's input device (/dev/input/eventN or a udev symlink). When
    unset, the first input device with a headphone switch, or the first whose name holds
    `match`."""
    match: Annotated[str, Pattern(INPUT_NAME_PATTERN)] | None = None
    """With driver `real` and no `device`: part of the jack's input device name, as
    /proc/bus/input/devices lists it (case ignored), for example "Front Headphone"."""


@dataclass(frozen=True, kw_only=True)
class DevicesSettings(_Section):
    """The station's devices."""

    printer: DeviceSettings = DeviceSettings()
    """Receipt printer."""
    card_reader: CardReaderSettings = CardReaderSettings()
    """Contactless reader for staff badges."""
    scanner: ScannerSettings = ScannerSettings()
    """QR code and barcode scanner."""
    speech: SpeechSettings = SpeechSettings()
    """Speech synthesis."""
    headset: HeadsetSettings = HeadsetSettings()
    """The headphone jack."""
    poll_s: Annotated[float, Interval(gt=0, le=60)] = 2.0
    """How often device status is read, in seconds."""


@dataclass(frozen=True, kw_only=True)
class ReceiptSettings(_Section):
    """Paper receipts: where they are printed, on what, and what their QR code holds."""

    queue: Annotated[str, Pattern(CUPS_QUEUE_PATTERN)] = "receipt"
    """Name of the CUPS queue receipts are sent to when `devices.printer.driver` is `real`."""
    paper: PaperSize = PaperSize.THERMAL_80
    """`thermal-80` for an 80 mm roll (a PNG, 72 mm printable), `a5` or `a4` for sheets (a PDF)."""
    tracking_url: TrackingUrl | None = None
    """The city's tracking page, with `{number}` where the number goes; the QR code holds this
    URL. When unset, the QR code holds the bare number (the kiosk's own scanner reads it)."""
    logo: AbsolutePath | None = None
    """Image printed at the top of receipts (PNG or JPEG, absolute path); none when unset."""


@dataclass(frozen=True, kw_only=True)
class SessionSettings(_Section):
    """Timings of a citizen session (docs/accessibility.md E1–E3)."""

    idle_s: Annotated[int, Interval(ge=MIN_IDLE_S, le=3600)] = DEFAULT_IDLE_S
    """Seconds without any touch or key before the inactivity warning appears."""
    warning_s: Annotated[int, Interval(ge=MIN_WARNING_S, le=600)] = DEFAULT_WARNING_S
    """Seconds the inactivity warning stays before the session ends (at least 20, WCAG 2.2.1)."""


@dataclass(frozen=True, kw_only=True)
class BadgeSettings(_Section):
    """Staff badges: where the enrolled badges are kept and how they are checked
    (docs/badges.md)."""

    file: AbsolutePath = Path("/etc/kiosk/badges.json")
    """The station's enrolled badges (written by `kiosk badge enrol`), readable by the kiosk
    user only: it holds each badge's key."""
    lockout_s: Annotated[int, Interval(ge=1, le=86400)] = 300
    """Seconds a badge stays locked out after 5 wrong PINs in a row."""
    legacy_uid_only: bool = False
    """Let in badges enrolled without a key on their UID alone (and their PIN). Anyone can copy
    a UID: for old badges only, until they are replaced; the station reports it in its health."""
    idle_s: Annotated[int, Interval(ge=60, le=7200)] = 600
    """Seconds a signed-in badge holder may leave the station untouched (no click or key at the
    facilitator's console, no touch on the maintenance screen) before their badge is signed out:
    the desk goes back to self-service, the visitor's session kept, and the badge must be taken
    off and presented again (docs/assisted-mode.md)."""


@dataclass(frozen=True, kw_only=True)
class ConsoleSettings(_Section):
    """The facilitator's console of a `desk-assisted` station, `kiosk agent`, on the second
    screen of the one X server (docs/assisted-mode.md)."""

    left_px: Annotated[int, Interval(ge=0)] | None = None
    """X position of the console's window on the X screen; unset: right of the public panel."""
    top_px: Annotated[int, Interval(ge=0)] = 0
    """Y position of the console's window on the X screen."""
    width_px: Annotated[int, Interval(ge=800, le=16384)] = 1920
    """Width of the console's window in pixels (the second screen's resolution)."""
    height_px: Annotated[int, Interval(ge=600, le=16384)] = 1080
    """Height of the console's window in pixels."""


@dataclass(frozen=True, kw_only=True)
class LanguageSettings(_Section):
    """Languages offered to the public."""

    default: LanguageCode = "fr"
    """Language of the attract screen and of every new session."""
    available: Annotated[tuple[LanguageCode, ...], Len(1)] = ("fr", "en")
    """Languages offered, in the order they are shown."""

    def __post_init__(self) -> None:
        if self.default not in self.available:
            raise ValueError(f"default language {self.default!r} is not in available")
        if len(set(self.available)) != len(self.available):
            raise ValueError("a language is listed twice in available")


@dataclass(frozen=True, kw_only=True)
class AccessibilitySettings(_Section):
    """Accessibility settings every session starts with (and returns to when it ends)."""

    text_size: TextSize = TextSize.M
    """Text size at the start of a session."""
    theme: Theme = Theme.DEFAULT
    """Colour theme at the start of a session."""
    seated_layout: bool = False
    """Start sessions in the low, seated layout (controls inside the 900–1100 mm reach band)."""
    audio: bool = False
    """Start sessions with speech output on."""
    speech_rate: Annotated[int, Check(check_rate)] = DEFAULT_RATE_PERCENT
    """Speech rate at the start of a session, in per cent of the normal 125 words a minute:
    one of 50, 65, 80, 100, 125, 150, 175, 200 (docs/accessibility.md H13)."""
    speech_volume: Annotated[int, Interval(ge=1, le=VOLUME_LEVELS)] = DEFAULT_VOLUME_LEVEL
    """Speech volume at the start of a session, from 1 to 9, each level 4 dB above the one
    below; calibrate the speaker so that this level gives at most 65 dBA (docs/accessibility.md
    H12)."""
    reduced_motion: bool = False
    """No motion at all: the attract screen's slow pulse stays still (WCAG 2.3.3)."""


#: A key as Kivy names it: "tab", "enter", "spacebar", "f13", a letter or a digit.
KeyName = Annotated[str, Pattern(r"^[a-z0-9]{1,16}$")]


@dataclass(frozen=True, kw_only=True)
class InputSettings(_Section):
    """Keys and switches: how people who do not touch the screen move and choose
    (docs/accessibility.md F1–F3, F7, F8)."""

    move_keys: Annotated[tuple[KeyName, ...], Len(1)] = ("tab",)
    """Keys that move the focus to the next control, in reading order, wrapping at the end: a
    switch interface's "move" switch sends one of these (many send "spacebar" or "1")."""
    select_keys: Annotated[tuple[KeyName, ...], Len(1)] = ("enter", "numpadenter")
    """Keys that activate the focused control: a switch interface's "select" switch."""
    debounce_s: Annotated[float, Interval(ge=0, le=0.5)] = 0.0
    """A second press of the same key sooner than this many seconds is ignored (tremor;
    EN 301 549 5.8 asks that it can be set up to 0.5 s). 0 keeps every press."""
    repeat_delay_s: Annotated[float, Interval(ge=0, le=5)] = 0.0
    """A key held down repeats only after this many seconds; 0: a held key never repeats
    (EN 301 549 5.7: no function depends on key repeat)."""
    auto_scan_s: Annotated[float, Interval(ge=0, le=10)] = 0.0
    """With one switch: the focus moves on by itself every this many seconds and a select key
    chooses. 0 turns scanning off."""

    def __post_init__(self) -> None:
        both = set(self.move_keys) & set(self.select_keys)
        if both:
            raise ValueError(f"{', '.join(sorted(both))}: a key cannot both move and select")


@dataclass(frozen=True, kw_only=True)
class PlacesSettings(_Section):
    """Practical information: the city's public places (town halls, libraries, swimming pools,
    waste centres) with their hours and walking distance from the station."""

    file: Path = Path("places.csv")
    """CSV file of the places, in the SCDL "équipements collectifs publics" open-data schema
    (hours in `EQUIP_OUVERTURE`, OpenStreetMap `opening_hours` syntax); a relative path is read
    from the packaged `config/` directory. Read at start: a file the kiosk cannot use stops it
    with a message naming the row, the place, the column and the reason. A change to an
    absolute file is read again and applies at the next attract screen, or is refused."""


class NightMode(StrEnum):
    """What the panel does outside the hours the station is used (docs/installation.md,
    "Screen power")."""

    #: lit all the time
    ON = "on"
    #: the attract screen dimmed to `power.dim_level`
    DIM = "dim"
    #: the panel turned off through DPMS (black where the X server has no DPMS)
    OFF = "off"


# docs/visual-design.md, "The attract screen": panels lit for years suffer burn-in; dim at
# night. A dimmed screen keeps a fifth of its brightness by default: still seen to be on.
DEFAULT_DIM_LEVEL = 0.2


@dataclass(frozen=True, kw_only=True)
class PowerSettings(_Section):
    """Screen power: when the panel rests, and how (docs/installation.md, "Screen power").
    Never while a session is open; a touch or a key wakes it."""

    night: NightMode = NightMode.ON
    """`on` (the panel stays lit), `dim` (the attract screen dimmed) or `off` (the panel turned
    off through DPMS) outside the station's hours."""
    hours: Annotated[str, Len(1, 500)] | None = None
    """When the station is used, in the OpenStreetMap `opening_hours` syntax (for example
    "Mo-Sa 07:00-20:00"); unset: the hours of the station's own place in the places file
    (`place`, or the place where the station stands), and with none, always."""
    place: Annotated[str, Len(1, 100)] | None = None
    """`EQUIP_UID` of the station's own place in the places file, whose hours it keeps; unset:
    the place within 60 m of `site.location`."""
    margin_min: Annotated[int, Interval(ge=0, le=240)] = 30
    """Minutes the panel is lit before the first opening and after the last closing of a day."""
    dim_level: Annotated[float, Interval(ge=0.05, le=0.9)] = DEFAULT_DIM_LEVEL
    """Brightness of the dimmed attract screen, from 0.05 to 0.9 of full."""
    wake_s: Annotated[int, Interval(ge=10, le=3600)] = 60
    """Seconds a touch or a key keeps the panel lit at night, after the last one."""


@dataclass(frozen=True, kw_only=True)
class Settings(_Section):
    """The configuration of one station."""

    profile: Profile = Profile.TOTEM
    """Kind of station: `totem`, `desk` or `desk-assisted`; selects the profile defaults."""
    station: StationSettings
    """Identity of the station."""
    site: SiteSettings
    """City and place of the station."""
    panel: PanelGeometry
    """Geometry of the public panel."""
    central: CentralSettings = CentralSettings()
    """Central systems the station talks to."""
    devices: DevicesSettings = DevicesSettings()
    """Devices and their drivers."""
    receipts: ReceiptSettings = ReceiptSettings()
    """Paper receipts."""
    badges: BadgeSettings = BadgeSettings()
    """Staff badges."""
    console: ConsoleSettings = ConsoleSettings()
    """The facilitator's console (`desk-assisted`)."""
    session: SessionSettings = SessionSettings()
    """Session timings."""
    languages: LanguageSettings = LanguageSettings()
    """Languages."""
    accessibility: AccessibilitySettings = AccessibilitySettings()
    """Accessibility defaults."""
    input: InputSettings = InputSettings()
    """Keys and switches."""
    places: PlacesSettings = PlacesSettings()
    """Public places shown under "Practical information"."""
    power: PowerSettings = PowerSettings()
    """Screen power: dimming or turning the panel off outside the station's hours."""
    data_dir: AbsolutePath = Path("/var/lib/kiosk")
    """Directory for the station's own data: the outbox and simulator state."""
