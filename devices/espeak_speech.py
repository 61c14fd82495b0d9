"""The real speech engine: espeak-ng synthesises, ALSA's aplay plays (docs/devices.md, "The
espeak-ng speech driver").

Every call returns at once: a thread of the driver's own synthesises each utterance
(`espeak-ng --stdout`, about 20 ms for several seconds of speech), sets its volume, and feeds
it to `aplay` on the configured ALSA output a quarter of a second ahead of what is heard, so
that pause, resume and stop take effect within that time. A new utterance interrupts the one
being said. The text goes to espeak-ng on its standard input, never on its command line, which
any user of the machine can read in /proc: what is said may be private.

Voices: French (`fr-fr`), English (`en-gb`), and easy-to-read French, which is the French voice
at four fifths of the chosen rate (100 words a minute at the normal rate, 125): easy-to-read
texts are for people who need time to take each word in (docs/accessibility.md I4). Rates below
espeak-ng's slowest, 80 words a minute, are reached with a pause between words (`-g`).

Volume: level 8 plays espeak-ng's own amplitude; each level below is 4 dB quieter, level 9 is
4 dB louder (kiosk/settings/speech_steps.py). The gain is applied to the samples, so that each
step is exactly 4 dB, which espeak-ng's own amplitude option is not at low values.

Nothing physical raises: a missing program, a synthesis or an output that fails is a health
reason, and the next utterance tries again.
"""

from __future__ import annotations

import array
import contextlib
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.core.devices import (
    NORMAL_DELIVERY,
    UNKNOWN_HEALTH,
    Delivery,
    DeviceHealth,
    DeviceKind,
)
from kiosk.core.events import EventType, Ident, record
from kiosk.settings.speech_steps import NORMAL_WORDS_PER_MINUTE, VOLUME_STEP_DB

ESPEAK = "espeak-ng"
APLAY = "aplay"

VOICES = {"fr": "fr-fr", "en": "en-gb", "fr_FALC": "fr-fr"}
"""espeak-ng's voice for each language of the station; another language uses the voice named
by its first part ("de_CH" → "de")."""
FALC = "fr_FALC"
FALC_RATE_FACTOR = 0.8
"""Easy-to-read French is said at four fifths of the chosen rate."""

ESPEAK_MIN_WPM = 80
"""espeak-ng's slowest rate (espeak-ng(1), -s): slower ones are made with word gaps."""
WORD_GAP_UNIT_S = 0.035
"""What one unit of espeak-ng's `-g` adds between two words at 80 words a minute, measured
with espeak-ng 1.51 (docs/devices.md §5)."""
REFERENCE_LEVEL = 8
"""The volume level at which espeak-ng's samples are played as they come (0 dB)."""

CHUNK_S = 0.05
"""Audio is handed to aplay in pieces of 50 ms."""
LEAD_S = 0.25
"""How far ahead of what is heard aplay is fed: the longest a pause or stop takes to be heard,
and the longest the driver's thread may be held up (by the UI's own work) without a gap."""
SYNTH_TIMEOUT_S = 10.0
"""espeak-ng takes tens of milliseconds; one that hangs is given up."""
DRAIN_MARGIN_S = 2.0
"""Once all audio is handed over, how much longer than what is left to hear aplay may take."""
STOP_WAIT_S = 2.0

ESPEAK_MISSING = "espeak-ng-missing"
APLAY_MISSING = "aplay-missing"
SYNTHESIS_FAILED = "speech-synthesis-failed"
OUTPUT_FAILED = "audio-output-failed"
READY = DeviceHealth(ready=True)


def voice_of(lang: str) -> str:
    """espeak-ng's voice for a station language."""
    return VOICES.get(lang, lang.split("_")[0].lower())


def words_per_minute(lang: str, delivery: Delivery) -> float:
    """The rate asked for, in words a minute."""
    factor = FALC_RATE_FACTOR if lang == FALC else 1.0
    return NORMAL_WORDS_PER_MINUTE * delivery.rate_percent / 100 * factor


def espeak_args(lang: str, delivery: Delivery) -> list[str]:
    """espeak-ng's arguments: voice, rate (and word gap below its slowest), UTF-8 text read
    whole from standard input, a WAV on standard output."""
    wpm = words_per_minute(lang, delivery)
    args = [ESPEAK, "-v", voice_of(lang), "-s", str(max(ESPEAK_MIN_WPM, round(wpm)))]
    if wpm < ESPEAK_MIN_WPM:
        gap = (60 / wpm - 60 / ESPEAK_MIN_WPM) / WORD_GAP_UNIT_S
        args += ["-g", str(max(1, round(gap)))]
    return [*args, "-b", "1", "--stdin", "--stdout"]


def aplay_args(device: str, rate: int, channels: int) -> list[str]:
    """aplay's arguments: quiet, the ALSA output, raw signed 16-bit little-endian PCM."""
    return [APLAY, "-q", "-D", device, "-t", "raw", "-f", "S16_LE", "-r", str(rate),
            "-c", str(channels)]


def gain_of(level: int) -> float:
    """The factor a volume level multiplies samples by."""
    return float(10 ** ((level - REFERENCE_LEVEL) * VOLUME_STEP_DB / 20))


@dataclass(frozen=True)
class Pcm:
    """Audio as aplay takes it: signed 16-bit little-endian samples."""

    samples: bytes
    rate: int
    channels: int

    @property
    def frame_bytes(self) -> int:
        """Bytes per frame (one sample per channel)."""
        return 2 * self.channels

    @property
    def seconds(self) -> float:
        """How long it plays."""
        return len(self.samples) / self.frame_bytes / self.rate


def pcm_of_wav(data: bytes) -> Pcm:
    """The samples of espeak-ng's WAV. Written to a pipe, its header holds no real sizes, so
    the data chunk runs to the end; raises ValueError when it is not 16-bit PCM."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a WAV")
    offset, rate, channels = 12, 0, 0
    while offset + 8 <= len(data):
        kind, size = data[offset:offset + 4], int.from_bytes(data[offset + 4:offset + 8],
                                                             "little")
        body = offset + 8
        if kind == b"fmt ":
            audio_format = int.from_bytes(data[body:body + 2], "little")
            channels = int.from_bytes(data[body + 2:body + 4], "little")
            rate = int.from_bytes(data[body + 4:body + 8], "little")
            bits = int.from_bytes(data[body + 14:body + 16], "little")
            if audio_format != 1 or bits != 16 or not channels or not rate:
                raise ValueError("not 16-bit PCM")
        elif kind == b"data":
            if not rate:
                raise ValueError("data before format")
            samples = data[body:]
            return Pcm(samples[:len(samples) - len(samples) % (2 * channels)], rate, channels)
        offset = body + size + size % 2
    raise ValueError("no data")


def scaled(samples: bytes, gain: float) -> bytes:
    """Samples multiplied by `gain`, held inside the 16-bit range."""
    if gain == 1.0:
        return samples
    values = array.array("h", samples)
    if sys.byteorder != "little":
        values.byteswap()
    values = array.array("h", (max(-32768, min(32767, round(v * gain))) for v in values))
    if sys.byteorder != "little":
        values.byteswap()
    return values.tobytes()


@dataclass(frozen=True)
class _Utterance:
    text: str
    lang: str
    delivery: Delivery
    generation: int


class EspeakSpeech:
    """The `Speech` port over espeak-ng and aplay. Thread-safe; call close() to stop it.
    `env` is the environment of both programs (the tests point ALSA at a WAV file)."""

    def __init__(self, alsa_device: str = "default", *,
                 env: Mapping[str, str] | None = None) -> None:
        self.alsa_device = alsa_device
        self._env = dict(os.environ if env is None else env)
        self._cond = threading.Condition()
        self._pending: _Utterance | None = None
        self._saying: _Utterance | None = None
        self._last: _Utterance | None = None
        self._generation = 0
        self._paused = False
        self._closed = False
        self._player: subprocess.Popen[bytes] | None = None
        self._health = UNKNOWN_HEALTH
        self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
        self._thread.start()

    # -- the port ----------------------------------------------------------------------------

    def health(self) -> DeviceHealth:
        """Not ready when a program is missing or the last utterance could not be said."""
        path = self._env.get("PATH", os.defpath)
        if shutil.which(ESPEAK, path=path) is None:
            return DeviceHealth(False, ESPEAK_MISSING)
        if shutil.which(APLAY, path=path) is None:
            return DeviceHealth(False, APLAY_MISSING)
        with self._cond:
            return self._health

    def speak(self, text: str, lang: str, delivery: Delivery = NORMAL_DELIVERY) -> None:
        """Say `text`, interrupting what is being said; returns at once."""
        with self._cond:
            self._generation += 1
            self._pending = self._last = _Utterance(text, lang, delivery, self._generation)
            self._paused = False
            self._silence()
            self._cond.notify_all()

    def stop(self) -> None:
        """Stop at once and forget the last utterance."""
        with self._cond:
            self._generation += 1
            self._pending = self._last = None
            self._paused = False
            self._silence()
            self._cond.notify_all()

    def pause(self) -> None:
        """Hold what is being said (heard within a quarter of a second)."""
        with self._cond:
            self._paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        """Go on from where it was held."""
        with self._cond:
            self._paused = False
            self._cond.notify_all()

    def repeat(self) -> None:
        """Say the last utterance again from its start."""
        with self._cond:
            last = self._last
        if last is not None:
            self.speak(last.text, last.lang, last.delivery)

    def close(self) -> None:
        """Stop speaking and end the thread; safe to call twice."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._generation += 1
            self._pending = self._last = None
            self._silence()
            self._cond.notify_all()
        self._thread.join(STOP_WAIT_S)

    def speaking(self) -> bool:
        """Whether an utterance is being synthesised or played now."""
        with self._cond:
            return self._pending is not None or self._saying is not None

    # -- the thread --------------------------------------------------------------------------

    def _silence(self) -> None:
        """Stop the player now (called holding the lock; sends a signal, never waits)."""
        if self._player is not None and self._player.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._player.terminate()

    def _current(self, utterance: _Utterance) -> bool:
        return utterance.generation == self._generation and not self._closed

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                utterance, self._pending = self._pending, None
                self._saying = utterance
            try:
                self._say(utterance)
            except Exception as err:  # the thread never dies silently (docs/architecture.md)
                record(EventType.DEVICE_STATUS, logging.ERROR, device=DeviceKind.SPEECH,
                       error=Ident(type(err).__name__))
                self._set_health(DeviceHealth(False, OUTPUT_FAILED))
            finally:
                with self._cond:
                    self._saying = None

    def _say(self, utterance: _Utterance) -> None:
        pcm = self._synthesise(utterance)
        if pcm is None:
            return
        pcm = Pcm(scaled(pcm.samples, gain_of(utterance.delivery.volume_level)), pcm.rate,
                  pcm.channels)
        self._play(pcm, utterance)

    def _synthesise(self, utterance: _Utterance) -> Pcm | None:
        try:
            done = subprocess.run(espeak_args(utterance.lang, utterance.delivery),
                                  input=utterance.text.encode("utf-8"), capture_output=True,
                                  env=self._env, timeout=SYNTH_TIMEOUT_S, check=False)
        except FileNotFoundError:
            self._set_health(DeviceHealth(False, ESPEAK_MISSING))
            return None
        except subprocess.TimeoutExpired:
            self._set_health(DeviceHealth(False, SYNTHESIS_FAILED))
            return None
        try:
            pcm = pcm_of_wav(done.stdout)
        except ValueError:
            pcm = None
        if done.returncode != 0 or pcm is None:
            self._set_health(DeviceHealth(False, SYNTHESIS_FAILED))
            return None
        return pcm

    def _play(self, pcm: Pcm, utterance: _Utterance) -> None:
        try:
            player = subprocess.Popen(aplay_args(self.alsa_device, pcm.rate, pcm.channels),
                                      stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, env=self._env)
        except FileNotFoundError:
            self._set_health(DeviceHealth(False, APLAY_MISSING))
            return
        with self._cond:
            self._player = player
            if not self._current(utterance):
                self._silence()
        try:
            fed = self._feed(player, pcm, utterance)
            self._finish(player, fed, utterance)
        finally:
            with self._cond:
                self._player = None

    def _feed(self, player: subprocess.Popen[bytes], pcm: Pcm, utterance: _Utterance) -> float:
        """Hand the samples over at the pace they are heard, LEAD_S ahead, holding while
        paused; returns the seconds handed over."""
        assert player.stdin is not None
        chunk = max(1, round(pcm.rate * CHUNK_S)) * pcm.frame_bytes
        fed, started, held_since = 0.0, time.monotonic(), None
        for offset in range(0, len(pcm.samples), chunk):
            with self._cond:
                while self._current(utterance):
                    now = time.monotonic()
                    if self._paused:
                        held_since = held_since if held_since is not None else now
                        self._cond.wait()
                        continue
                    if held_since is not None:
                        started += now - held_since
                        held_since = None
                    ahead = fed - (now - started)
                    if ahead <= LEAD_S:
                        break
                    self._cond.wait(ahead - LEAD_S)
                if not self._current(utterance):
                    return fed
            piece = pcm.samples[offset:offset + chunk]
            try:
                player.stdin.write(piece)
                player.stdin.flush()
            except (BrokenPipeError, ValueError):  # aplay has ended: its exit says why
                return fed
            fed += len(piece) / pcm.frame_bytes / pcm.rate
        return fed

    def _finish(self, player: subprocess.Popen[bytes], fed: float,
                utterance: _Utterance) -> None:
        """Let aplay play what it holds and judge how it ended; an interrupted utterance is
        silenced at once and judged by nothing."""
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            assert player.stdin is not None
            player.stdin.close()
        deadline = time.monotonic() + fed + DRAIN_MARGIN_S
        while player.poll() is None:
            with self._cond:
                if not self._current(utterance):
                    self._silence()
                self._cond.wait(0.1)
            if time.monotonic() > deadline:
                player.kill()
        player.wait()
        errors = player.stderr.read() if player.stderr is not None else b""
        if player.stderr is not None:
            player.stderr.close()
        with self._cond:
            interrupted = not self._current(utterance)
        if interrupted:
            return
        if player.returncode != 0:
            record(EventType.DEVICE_STATUS, logging.WARNING, device=DeviceKind.SPEECH,
                   reason=Ident(OUTPUT_FAILED), code=player.returncode,
                   said=bool(errors))
            self._set_health(DeviceHealth(False, OUTPUT_FAILED))
        else:
            self._set_health(READY)

    def _set_health(self, health: DeviceHealth) -> None:
        with self._cond:
            if health != self._health:
                self._health = health
                record(EventType.DEVICE_STATUS, logging.INFO if health.ready else logging.WARNING,
                       device=DeviceKind.SPEECH, reason=Ident(health.reason))
