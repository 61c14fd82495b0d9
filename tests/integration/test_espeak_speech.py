"""The real speech driver: espeak-ng really speaks, and ALSA really plays it, into a WAV file.

The test machines have no sound card, so ALSA's own file plugin stands in for one: with
`ALSA_CONFIG_PATH` pointing at a configuration whose default output is a `file` PCM over a
`null` one, `aplay` plays exactly as on a station and ALSA writes what it played into a WAV
file (docs/devices.md §5). The driver runs unchanged; only its environment differs. Each
check reads that file: its length, and its samples against what espeak-ng makes of the same
text, which proves the text, the voice and the rate the driver gave it.
"""

from __future__ import annotations

import array
import itertools
import math
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.espeak_speech import (
    APLAY_MISSING,
    ESPEAK_MISSING,
    OUTPUT_FAILED,
    REFERENCE_LEVEL,
    EspeakSpeech,
    espeak_args,
    gain_of,
    pcm_of_wav,
    scaled,
)
from kiosk.core.devices import Delivery, DeviceHealth, Speech
from kiosk.settings.speech_steps import NORMAL_WORDS_PER_MINUTE, VOLUME_LEVELS, VOLUME_STEP_DB

WELCOME = "Bonjour et bienvenue à la mairie de Villeneuve. Touchez un bouton pour l’entendre."
WORDS = 14
LONG = " ".join([WELCOME] * 6)
AS_IS = Delivery(rate_percent=100, volume_level=REFERENCE_LEVEL)
"""The normal rate, at the level that plays espeak-ng's samples unchanged."""


def alsa_file_config(folder: Path, wav: Path) -> Path:
    config = folder / "asound.conf"
    config.write_text(f'pcm.!default {{\n  type file\n  slave.pcm {{ type null }}\n'
                      f'  file "{wav}"\n  format "wav"\n}}\n')
    return config


@pytest.fixture
def played(tmp_path: Path) -> Path:
    """Where ALSA writes what it plays."""
    return tmp_path / "played.wav"


@pytest.fixture
def speech(tmp_path: Path, played: Path) -> Iterator[EspeakSpeech]:
    """The real driver, its ALSA output a WAV file."""
    env = dict(os.environ, ALSA_CONFIG_PATH=str(alsa_file_config(tmp_path, played)))
    driver = EspeakSpeech(env=env)
    yield driver
    driver.close()


def espeak_samples(text: str, voice: str, wpm: int) -> bytes:
    """What espeak-ng itself makes of `text`, asked directly."""
    done = subprocess.run(["espeak-ng", "-v", voice, "-s", str(wpm), "-b", "1", "--stdin",
                           "--stdout"], input=text.encode(), capture_output=True, check=True,
                          timeout=20)
    return pcm_of_wav(done.stdout).samples


def wav_samples(path: Path) -> tuple[bytes, int]:
    """The samples ALSA wrote, to the end of the file: the sizes in the header are written
    last, and an aplay stopped by a signal may leave them unwritten."""
    pcm = pcm_of_wav(path.read_bytes())
    assert pcm.channels == 1
    return pcm.samples, pcm.rate


def seconds(samples: bytes, rate: int = 22050) -> float:
    return len(samples) / 2 / rate


def rms_db(samples: bytes) -> float:
    values = array.array("h", samples)
    return 20 * math.log10(math.sqrt(sum(v * v for v in values) / len(values)))


def wait_quiet(speech: EspeakSpeech, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    time.sleep(0.05)
    while speech.speaking():
        assert time.monotonic() < deadline, "still speaking"
        time.sleep(0.02)


def say(speech: EspeakSpeech, text: str, lang: str = "fr", delivery: Delivery = AS_IS) -> None:
    speech.speak(text, lang, delivery)
    wait_quiet(speech)


def test_espeak_speaks_the_text_it_was_given_through_alsa_into_a_wav(speech, played):
    assert isinstance(speech, Speech)
    say(speech, WELCOME)
    got, rate = wav_samples(played)
    expected = espeak_samples(WELCOME, "fr-fr", NORMAL_WORDS_PER_MINUTE)
    # About 14 words at 125 words a minute: 6.7 s, give or take espeak-ng's own pauses.
    assert rate == 22050
    assert 5.0 < seconds(got) < 9.0
    assert got[:len(expected)] == expected, "espeak-ng was given this text, voice and rate"
    padding = got[len(expected):]
    assert seconds(padding) < 0.2 and not padding.strip(b"\0"), "then silence, to a period"
    assert speech.health() == DeviceHealth(ready=True)
    other = espeak_samples("Au revoir et à bientôt à la mairie de Villeneuve.", "fr-fr",
                           NORMAL_WORDS_PER_MINUTE)
    assert got[:len(other)] != other


def test_english_and_easy_to_read_french_have_their_voices(speech, played):
    say(speech, "Welcome to the town hall.", "en")
    english, _ = wav_samples(played)
    assert english.startswith(espeak_samples("Welcome to the town hall.", "en-gb", 125))
    say(speech, WELCOME, "fr_FALC")
    easy, _ = wav_samples(played)
    # Easy-to-read French: the French voice at four fifths of the rate, 100 words a minute.
    assert easy.startswith(espeak_samples(WELCOME, "fr-fr", 100))
    french = espeak_samples(WELCOME, "fr-fr", 125)
    assert 1.15 < seconds(easy) / seconds(french) < 1.4


@pytest.mark.parametrize(("percent", "ratio"), [(50, 2.0), (80, 1.25), (200, 0.5)])
def test_rate_steps_change_the_length_of_speech(percent, ratio):
    normal = espeak_samples(WELCOME, "fr-fr", NORMAL_WORDS_PER_MINUTE)
    done = subprocess.run(espeak_args("fr", Delivery(rate_percent=percent)),
                          input=WELCOME.encode(), capture_output=True, check=True, timeout=20)
    length = seconds(pcm_of_wav(done.stdout).samples) / seconds(normal)
    assert ratio * 0.8 < length < ratio * 1.2, length


def test_each_volume_level_is_4_db_from_the_next():
    samples = espeak_samples(WELCOME, "fr-fr", NORMAL_WORDS_PER_MINUTE)
    levels = [rms_db(scaled(samples, gain_of(level))) for level in range(1, VOLUME_LEVELS + 1)]
    steps = [round(b - a, 1) for a, b in itertools.pairwise(levels)]
    assert len(levels) == 9  # docs/accessibility.md H12: at least 9 levels, ≤ 10 dB apart
    assert all(abs(step - VOLUME_STEP_DB) < 0.2 for step in steps), steps
    assert scaled(samples, gain_of(REFERENCE_LEVEL)) == samples


def test_a_quieter_level_is_played_quieter(speech, played):
    say(speech, WELCOME, delivery=Delivery(volume_level=REFERENCE_LEVEL - 2))
    quiet, _ = wav_samples(played)
    expected = espeak_samples(WELCOME, "fr-fr", NORMAL_WORDS_PER_MINUTE)
    loss = rms_db(expected) - rms_db(quiet[:len(expected)])
    assert abs(loss - 2 * VOLUME_STEP_DB) < 0.3


def test_speaking_returns_at_once_pause_holds_and_resume_goes_on(speech, played):
    started = time.monotonic()
    speech.speak(LONG, "fr", AS_IS)
    assert time.monotonic() - started < 0.05, "the UI thread is never held"
    time.sleep(1.5)
    speech.pause()
    time.sleep(0.6)  # what aplay already holds plays out
    held = played.stat().st_size
    time.sleep(1.0)
    assert played.stat().st_size == held, "nothing more is played while paused"
    speech.resume()
    time.sleep(1.0)
    assert played.stat().st_size > held
    speech.stop()
    wait_quiet(speech, 5)
    got, _ = wav_samples(played)
    full = espeak_samples(LONG, "fr-fr", NORMAL_WORDS_PER_MINUTE)
    assert 0.5 < seconds(got) < seconds(full) / 2, "stopped long before the end"
    assert full.startswith(got[:len(got) // 2])


def test_a_new_utterance_interrupts_and_repeat_says_the_last_again(speech, played):
    speech.speak(LONG, "fr", AS_IS)
    time.sleep(0.5)
    say(speech, "Bonjour.")
    got, _ = wav_samples(played)
    assert got.startswith(espeak_samples("Bonjour.", "fr-fr", NORMAL_WORDS_PER_MINUTE))
    assert seconds(got) < 2
    played.unlink()
    speech.repeat()
    wait_quiet(speech)
    again, _ = wav_samples(played)
    assert again == got
    played.unlink()
    speech.stop()
    speech.repeat()  # stop forgets: nothing to repeat
    time.sleep(0.5)
    assert not played.exists()


def test_an_output_that_cannot_be_opened_is_reported_not_raised(tmp_path, played):
    env = dict(os.environ, ALSA_CONFIG_PATH=str(alsa_file_config(tmp_path, played)))
    speech = EspeakSpeech("no_such_output", env=env)
    try:
        say(speech, "Bonjour.")
        assert speech.health() == DeviceHealth(False, OUTPUT_FAILED)
    finally:
        speech.close()


def test_missing_programs_are_reported(tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    speech = EspeakSpeech(env={"PATH": str(bare)})
    try:
        assert speech.health() == DeviceHealth(False, ESPEAK_MISSING)
        speech.speak("Bonjour.", "fr")  # never raises
        (bare / "espeak-ng").symlink_to(shutil.which("espeak-ng"))
        assert speech.health() == DeviceHealth(False, APLAY_MISSING)
    finally:
        speech.close()


def test_the_text_never_goes_on_a_command_line():
    for delivery in (Delivery(50, 1), AS_IS, Delivery(200, 9)):
        args = espeak_args("fr", delivery)
        assert "--stdin" in args and not any("Bonjour" in a for a in args)
