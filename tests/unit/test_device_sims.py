"""Unit tests of the device simulators, their state files and the device factory.

Pure logic on a temporary data directory: no Kivy, no real device. Each test flips a state the
way a person, the CLI or the demo would, and checks what the station would see.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
from pathlib import Path

import pytest

from devices import sim_state
from devices.factory import DeviceConfigError, DeviceSet, build_devices
from devices.recording_speech import RecordingSpeech
from devices.sim_card_reader import SimCardReader
from devices.sim_control import read_sim_state, set_sim_state
from devices.sim_headset import SimHeadset
from devices.sim_printer import SimPrinter, safe_title
from devices.sim_scanner import SimScanner, queue_scan
from devices.sim_speech import SimSpeech
from kiosk.core.badges import proof_matches
from kiosk.core.devices import (
    Card,
    CardEvent,
    CardEventKind,
    CardReader,
    ChallengeAnswer,
    ChallengeStatus,
    Delivery,
    DeviceHealth,
    Headset,
    JobState,
    Printer,
    Scanner,
    Speech,
)
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings
from kiosk.settings.models import Settings
from kiosk.settings.validation import validate

UNREADABLE = DeviceHealth(ready=False, reason="sim-state-unreadable")
UID = "04A1B2C3D4E5F6"
OTHER_UID = "04112233445566"
KEY = bytes(range(32))
PNG_BYTES = b"\x89PNG\r\n\x1a\nnot really a picture"


def sim_file(data_dir: Path, device: str) -> Path:
    return data_dir / "sim" / f"{device}.json"


def make_settings(data_dir: Path, **drivers: str) -> Settings:
    """Settings through the real loader; while the message catalogs are not built yet the
    loader refuses the packaged languages, so the same values are then validated directly."""
    environ = {"KIOSK__DATA_DIR": f'"{data_dir}"'}
    environ |= {f"KIOSK__DEVICES__{name.upper()}__DRIVER": f'"{d}"' for name, d in drivers.items()}
    try:
        return load_settings(ConfigSources(), environ=environ)
    except ConfigError as err:
        if not all("no message catalog" in p for p in err.problems):
            raise
    return validate(Settings, {
        "station": {"id": "test-0001", "name": "Test station"},
        "site": {"city": "Testville", "name": "Town hall",
                 "location": {"lat": 47.0, "long": 0.7, "address": "1 place de la Mairie"}},
        "panel": {"name": "test panel", "width_px": 1080, "height_px": 1920,
                  "active_width_mm": 535.0, "active_height_mm": 952.0, "bottom_edge_mm": 800.0},
        "devices": {name: {"driver": d} for name, d in drivers.items()},
        "data_dir": str(data_dir),
    })


def receipt(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "receipt.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG_BYTES)
    return path


# -- default state ---------------------------------------------------------------------------


def test_printer_defaults_online_and_creates_an_editable_file(tmp_path):
    printer = SimPrinter(tmp_path)
    assert printer.health() == DeviceHealth(ready=True, reason="ok")
    assert json.loads(sim_file(tmp_path, "printer").read_text()) == {"state": "online"}


def test_card_reader_defaults_present_without_card(tmp_path):
    reader = SimCardReader(tmp_path)
    assert reader.health().ready
    assert reader.card() is None
    assert json.loads(sim_file(tmp_path, "card_reader").read_text()) == {
        "reader": "present", "card": None, "key": None}


def test_scanner_defaults_present_and_empty(tmp_path):
    scanner = SimScanner(tmp_path)
    assert scanner.health().ready
    assert scanner.read() is None
    assert json.loads(sim_file(tmp_path, "scanner").read_text()) == {
        "present": True, "queue": []}


def test_speech_defaults_available(tmp_path):
    speech = SimSpeech(tmp_path)
    assert speech.health().ready
    assert (speech.last_text, speech.last_lang, speech.spoken) == (None, None, 0)
    assert json.loads(sim_file(tmp_path, "speech").read_text()) == {"available": True}


def test_headset_defaults_present_and_unplugged(tmp_path):
    headset = SimHeadset(tmp_path)
    assert headset.health().ready
    assert headset.plugged() is False
    assert json.loads(sim_file(tmp_path, "headset").read_text()) == {
        "present": True, "plugged": False}


def test_every_sim_implements_its_port(tmp_path):
    assert isinstance(SimPrinter(tmp_path), Printer)
    assert isinstance(SimCardReader(tmp_path), CardReader)
    assert isinstance(SimScanner(tmp_path), Scanner)
    assert isinstance(SimSpeech(tmp_path), Speech)
    assert isinstance(SimHeadset(tmp_path), Headset)


# -- flipping state --------------------------------------------------------------------------


@pytest.mark.parametrize(("state", "reason"), [
    ("offline", "offline"), ("paper-out", "media-empty"), ("jam", "media-jam"),
])
def test_printer_faults_make_it_not_ready_with_the_cups_reason(tmp_path, state, reason):
    printer = SimPrinter(tmp_path)
    assert printer.health().ready
    set_sim_state(tmp_path, "printer", state=state)
    assert printer.health() == DeviceHealth(ready=False, reason=reason)
    set_sim_state(tmp_path, "printer", state="online")
    assert printer.health().ready


def test_card_reader_follows_the_badge_and_the_plug(tmp_path):
    reader = SimCardReader(tmp_path)
    set_sim_state(tmp_path, "card_reader", card=UID.lower())
    assert reader.card() == Card(uid=UID)
    set_sim_state(tmp_path, "card_reader", reader="absent")
    assert reader.health() == DeviceHealth(ready=False, reason="reader-absent")
    assert reader.card() is None
    set_sim_state(tmp_path, "card_reader", reader="present", card=None)
    assert reader.health().ready
    assert reader.card() is None


def test_card_reader_reports_each_insertion_and_removal_once(tmp_path):
    reader = SimCardReader(tmp_path)
    assert reader.read_event() is None
    set_sim_state(tmp_path, "card_reader", card=UID)
    assert reader.read_event() == CardEvent(CardEventKind.INSERTED, Card(UID))
    assert reader.read_event() is None
    set_sim_state(tmp_path, "card_reader", card=OTHER_UID)  # swapped between two readings
    assert reader.read_event() == CardEvent(CardEventKind.REMOVED)
    assert reader.read_event() == CardEvent(CardEventKind.INSERTED, Card(OTHER_UID))
    set_sim_state(tmp_path, "card_reader", reader="absent")  # unplugged with the card on it
    assert reader.read_event() == CardEvent(CardEventKind.REMOVED)
    assert reader.read_event() is None
    set_sim_state(tmp_path, "card_reader", reader="present")
    assert reader.read_event() == CardEvent(CardEventKind.INSERTED, Card(OTHER_UID))
    set_sim_state(tmp_path, "card_reader", reader="pcsc-unavailable")  # pcscd down
    assert reader.health() == DeviceHealth(ready=False, reason="pcsc-unavailable")
    assert reader.read_event() == CardEvent(CardEventKind.REMOVED)
    assert reader.card() is None


def test_card_reader_badge_answers_the_challenge_with_its_key(tmp_path):
    reader = SimCardReader(tmp_path)
    nonce = bytes(range(16))
    assert reader.challenge(nonce) == ChallengeAnswer(ChallengeStatus.NO_CARD)
    set_sim_state(tmp_path, "card_reader", card=UID)
    assert reader.challenge(nonce) == ChallengeAnswer(ChallengeStatus.NO_APPLICATION, uid=UID)
    set_sim_state(tmp_path, "card_reader", key=KEY.hex())
    answer = reader.challenge(nonce)
    assert (answer.status, answer.uid) == (ChallengeStatus.ANSWERED, UID)
    assert proof_matches(KEY, nonce, answer.proof)
    assert not proof_matches(KEY, bytes(16), answer.proof)


def test_unplugged_scanner_is_not_ready_and_reads_nothing(tmp_path):
    scanner = SimScanner(tmp_path)
    queue_scan(tmp_path, "RQ-2024-0042")
    set_sim_state(tmp_path, "scanner", present=False)
    assert scanner.health() == DeviceHealth(ready=False, reason="scanner-absent")
    assert scanner.read() is None
    set_sim_state(tmp_path, "scanner", present=True)
    assert scanner.read() == "RQ-2024-0042"


def test_a_headset_plugged_and_a_jack_gone(tmp_path):
    headset = SimHeadset(tmp_path)
    set_sim_state(tmp_path, "headset", plugged=True)
    assert headset.plugged() is True
    set_sim_state(tmp_path, "headset", present=False)
    assert headset.health() == DeviceHealth(ready=False, reason="jack-absent")
    assert headset.plugged() is False  # a jack that cannot be read holds no headset
    sim_file(tmp_path, "headset").write_text('{"plugged": "yes"}')
    assert headset.health() == UNREADABLE
    assert headset.plugged() is False


def test_speech_repeats_pauses_and_forgets_on_stop(tmp_path):
    speech = SimSpeech(tmp_path)
    slow = Delivery(rate_percent=50, volume_level=3)
    speech.repeat()
    assert speech.spoken == 0  # nothing to repeat yet
    speech.speak("Bienvenue", "fr", slow)
    speech.pause()
    assert speech.paused
    speech.resume()
    assert not speech.paused
    speech.repeat()
    assert (speech.last_text, speech.last_delivery, speech.spoken) == ("Bienvenue", slow, 2)
    speech.stop()
    speech.repeat()
    assert (speech.last_text, speech.spoken) == (None, 2)


def test_the_recording_driver_keeps_every_call_in_order(tmp_path):
    speech = RecordingSpeech(tmp_path)
    speech.speak("Bonjour", "fr")
    speech.pause()
    speech.repeat()
    speech.speak("Hello", "en", Delivery(200, 9))
    speech.stop()
    assert [e.action for e in speech.entries] == ["speak", "pause", "repeat", "speak", "stop"]
    assert speech.said == ["Bonjour", "Bonjour", "Hello"]
    assert speech.entries[3].delivery == Delivery(200, 9)
    set_sim_state(tmp_path, "speech", available=False)
    speech.speak("Personne", "fr")
    assert "Personne" not in speech.said  # an unavailable engine says nothing
    assert not any(b"Bonjour" in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())


def test_unavailable_speech_is_not_ready_and_says_nothing(tmp_path):
    speech = SimSpeech(tmp_path)
    set_sim_state(tmp_path, "speech", available=False)
    assert speech.health() == DeviceHealth(ready=False, reason="speech-unavailable")
    speech.speak("Bonjour", "fr")
    assert (speech.last_text, speech.spoken) == (None, 0)


def test_a_hand_edit_is_seen_at_the_next_poll(tmp_path):
    printer = SimPrinter(tmp_path)
    assert printer.health().ready
    sim_file(tmp_path, "printer").write_text('{"state": "jam"}')
    assert printer.health().reason == "media-jam"


def test_an_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    printer = SimPrinter(tmp_path)
    printer.health()  # creates the file
    sim_file(tmp_path, "printer").write_text('{"state": "offline"}')
    parses = []
    real_parse = sim_state._parse_file
    monkeypatch.setattr(sim_state, "_parse_file", lambda *a: parses.append(1) or real_parse(*a))
    for _ in range(5):
        assert printer.health().reason == "offline"
    assert len(parses) == 1
    sim_file(tmp_path, "printer").write_text('{"state": "paper-out"}')
    assert printer.health().reason == "media-empty"
    assert len(parses) == 2


# -- a file a person broke -------------------------------------------------------------------

BROKEN_FILES = {
    "half-written": '{"state": "onl',
    "not an object": '["online"]',
    "wrong type": '{"state": 3}',
    "unknown value": '{"state": "paperout"}',
    "misspelt key": '{"stat": "offline"}',
    "not UTF-8": b"\xff\xfe{",
}


@pytest.mark.parametrize("content", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_broken_printer_file_is_not_ready_and_never_raises(tmp_path, content):
    path = sim_file(tmp_path, "printer")
    path.parent.mkdir(parents=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    printer = SimPrinter(tmp_path)
    assert printer.health() == UNREADABLE
    job = printer.print_file(receipt(tmp_path), "Receipt")
    assert (job.state, job.reason) == (JobState.FAILED, "sim-state-unreadable")
    assert not printer.output_dir.exists()
    path.write_text('{"state": "online"}')  # the person fixes it
    assert printer.health().ready


@pytest.mark.parametrize(("device", "content"), [
    ("card_reader", '{"reader": "present", "card": "not-hex"}'),
    ("card_reader", '{"reader": true}'),
    ("scanner", '{"present": "yes"}'),
    ("scanner", '{"present": true, "queue": "RQ-1"}'),
    ("speech", '{"available": 1}'),
    ("speech", ""),
])
def test_broken_files_of_other_sims_are_not_ready_and_never_raise(tmp_path, device, content):
    path = sim_file(tmp_path, device)
    path.parent.mkdir(parents=True)
    path.write_text(content)
    sim = {"card_reader": SimCardReader, "scanner": SimScanner, "speech": SimSpeech}[device](
        tmp_path)
    assert sim.health() == UNREADABLE
    if isinstance(sim, SimCardReader):
        assert sim.card() is None
    elif isinstance(sim, SimScanner):
        assert sim.read() is None
    else:
        sim.speak("Bonjour", "fr")
        assert sim.spoken == 0
    assert path.read_text() == content  # a broken file is left for the person to fix


def test_read_sim_state_says_why_a_file_is_broken(tmp_path):
    path = sim_file(tmp_path, "printer")
    path.parent.mkdir(parents=True)
    path.write_text('{"state": "paperout"}')
    with pytest.raises(ValueError, match=r"printer\.state: must be one of"):
        read_sim_state(tmp_path, "printer")


def test_set_sim_state_repairs_a_broken_file(tmp_path):
    path = sim_file(tmp_path, "printer")
    path.parent.mkdir(parents=True)
    path.write_text("{")
    assert set_sim_state(tmp_path, "printer", state="jam") == {"state": "jam"}
    assert SimPrinter(tmp_path).health().reason == "media-jam"


# -- sim_control validation ------------------------------------------------------------------


def test_read_sim_state_creates_and_returns_defaults(tmp_path):
    assert read_sim_state(tmp_path, "card_reader") == {
        "reader": "present", "card": None, "key": None}
    assert sim_file(tmp_path, "card_reader").is_file()


@pytest.mark.parametrize(("device", "fields", "message"), [
    ("fax", {"state": "online"}, r"unknown device 'fax' \(known: printer, card_reader"),
    ("printer", {}, r"printer: nothing to set"),
    ("printer", {"colour": "red"}, r"printer has no field 'colour'"),
    ("printer", {"state": "paperout"}, r"printer\.state: must be one of .*'paperout'"),
    ("card_reader", {"card": "04A1"}, r"card_reader\.card: must be null or a card UID"),
    ("scanner", {"present": "false"}, r"scanner\.present: must be true or false"),
    ("scanner", {"queue": ["ok", ""]}, r"scanner\.queue: must be a list of non-empty"),
    ("speech", {"available": 0}, r"speech\.available: must be true or false"),
    ("headset", {"plugged": "yes"}, r"headset\.plugged: must be true or false"),
])
def test_set_sim_state_refuses_what_it_does_not_know(tmp_path, device, fields, message):
    with pytest.raises(ValueError, match=message):
        set_sim_state(tmp_path, device, **fields)
    assert not (tmp_path / "sim" / f"{device}.json").exists()


# -- scanner queue ---------------------------------------------------------------------------


def test_each_queued_scan_is_read_exactly_once_in_order(tmp_path):
    scanner = SimScanner(tmp_path)
    for code in ("RQ-1", "RQ-2", "RQ-3"):
        queue_scan(tmp_path, code)
    assert scanner.read() == "RQ-1"
    assert SimScanner(tmp_path).read() == "RQ-2"  # another reader sees what was consumed
    assert scanner.read() == "RQ-3"
    assert scanner.read() is None
    assert read_sim_state(tmp_path, "scanner")["queue"] == []


def test_concurrent_reads_and_queueing_lose_and_duplicate_nothing(tmp_path):
    codes = [f"RQ-{n}" for n in range(60)]
    seen: list[str] = []
    seen_lock = threading.Lock()
    done = threading.Event()

    def producer():
        for code in codes:
            queue_scan(tmp_path, code)
        done.set()

    def consumer():
        scanner = SimScanner(tmp_path)
        while True:
            code = scanner.read()
            if code is not None:
                with seen_lock:
                    seen.append(code)
            elif done.is_set() and not read_sim_state(tmp_path, "scanner")["queue"]:
                return
            else:
                time.sleep(0.001)  # leave the producer some air

    threads = [threading.Thread(target=producer, daemon=True)] + [
        threading.Thread(target=consumer, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(seen) == sorted(codes)
    assert len(seen) == len(set(seen))


def test_writes_leave_no_temporary_file(tmp_path):
    queue_scan(tmp_path, "RQ-1")
    assert SimScanner(tmp_path).read() == "RQ-1"
    names = {p.name for p in (tmp_path / "sim").iterdir()}
    assert not [n for n in names if n.endswith(".tmp")]
    assert "scanner.json" in names


def test_queue_scan_refuses_an_empty_code(tmp_path):
    with pytest.raises(ValueError, match="non-empty"):
        queue_scan(tmp_path, "")


# -- speech privacy --------------------------------------------------------------------------


def test_speech_keeps_only_the_last_utterance_and_never_writes_it(tmp_path):
    speech = SimSpeech(tmp_path)
    secret = "Madame Zoé Quintavalle-Ferreira, 06 12 34 56 78"
    speech.speak("Bienvenue", "fr")
    speech.speak(secret, "fr")
    assert (speech.last_text, speech.last_lang, speech.spoken) == (secret, "fr", 2)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files  # the state file exists, so the scan below looked at something
    for path in files:
        content = path.read_bytes()
        assert secret.encode() not in content
        assert b"Quintavalle" not in content
    speech.stop()
    assert speech.last_text is None


# -- printer ---------------------------------------------------------------------------------


def test_printer_copies_each_receipt_under_a_numbered_safe_name(tmp_path):
    printer = SimPrinter(tmp_path)
    source = receipt(tmp_path)
    first = printer.print_file(source, "Reçu n° RQ-42 / test")
    second = printer.print_file(source, "Receipt")
    assert first.state is JobState.COMPLETED
    assert second.state is JobState.COMPLETED
    assert first.job_id != second.job_id
    printed = sorted(p.name for p in printer.output_dir.iterdir())
    assert printed == ["0001-Recu-n-RQ-42-test.png", "0002-Receipt.png"]
    assert (printer.output_dir / printed[0]).read_bytes() == PNG_BYTES
    assert printer.job(first.job_id) == first


def test_printer_numbering_continues_after_a_restart(tmp_path):
    SimPrinter(tmp_path).print_file(receipt(tmp_path), "a")
    SimPrinter(tmp_path).print_file(receipt(tmp_path), "b")
    assert sorted(p.name for p in (tmp_path / "sim" / "printed").iterdir()) == [
        "0001-a.png", "0002-b.png"]


def test_printer_out_of_paper_fails_the_job_and_prints_nothing(tmp_path):
    printer = SimPrinter(tmp_path)
    set_sim_state(tmp_path, "printer", state="paper-out")
    job = printer.print_file(receipt(tmp_path), "Receipt")
    assert (job.state, job.reason) == (JobState.FAILED, "media-empty")
    assert printer.job(job.job_id) == job
    assert not printer.output_dir.exists() or not any(printer.output_dir.iterdir())


def test_printer_unknown_job_is_failed_not_raised(tmp_path):
    job = SimPrinter(tmp_path).job("no-such-job")
    assert (job.state, job.reason) == (JobState.FAILED, "unknown-job")


def test_printing_a_missing_file_is_a_program_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        SimPrinter(tmp_path).print_file(tmp_path / "missing.png", "Receipt")


@pytest.mark.parametrize(("title", "expected"), [
    ("../../etc/passwd", "etc-passwd"),
    ("", "receipt"),
    ("«»", "receipt"),
    ("x" * 200, "x" * 60),
])
def test_safe_title_keeps_file_names_inside_the_folder(title, expected):
    assert safe_title(title) == expected


# -- factory ---------------------------------------------------------------------------------


def test_factory_builds_simulators_under_the_data_dir(tmp_path):
    devices = build_devices(make_settings(tmp_path))
    assert isinstance(devices.printer, SimPrinter)
    assert isinstance(devices.card_reader, SimCardReader)
    assert isinstance(devices.scanner, SimScanner)
    assert isinstance(devices.speech, SimSpeech)
    assert devices.printer.health().ready
    assert sim_file(tmp_path, "printer").is_file()
    with pytest.raises(dataclasses.FrozenInstanceError):
        devices.printer = None  # type: ignore[misc]
    assert isinstance(devices, DeviceSet)


def test_factory_builds_real_speech_and_the_real_jack(tmp_path):
    from devices.espeak_speech import EspeakSpeech
    from devices.evdev_jack import EvdevJack

    devices = build_devices(make_settings(tmp_path, speech="real", headset="real"))
    try:
        assert isinstance(devices.speech, EspeakSpeech)
        assert isinstance(devices.speech, Speech)
        assert devices.speech.alsa_device == "default"
        assert isinstance(devices.headset, EvdevJack)
        assert isinstance(devices.headset, Headset)
    finally:
        devices.speech.close()
        devices.headset.close()
    assert not sim_file(tmp_path, "speech").exists()
    assert not sim_file(tmp_path, "headset").exists()


def test_factory_builds_the_recording_speech_for_tests(tmp_path):
    speech = build_devices(make_settings(tmp_path, speech="recording")).speech
    assert isinstance(speech, RecordingSpeech)
    assert isinstance(speech, Speech)


def test_a_device_that_cannot_be_built_names_its_field(tmp_path):
    settings = load_settings(ConfigSources(), environ={
        "KIOSK__DATA_DIR": f'"{tmp_path}"', "KIOSK__DEVICES__CARD_READER__DRIVER": '"pcsc"',
        "KIOSK__DEVICES__CARD_READER__READER": '"  "'})
    with pytest.raises(DeviceConfigError) as caught:
        build_devices(settings)
    assert str(caught.value) == "devices.card_reader.reader: the reader's name is empty"


def test_card_reader_settings_refuse_real_and_pcsc_without_a_reader(tmp_path):
    with pytest.raises(ConfigError) as caught:
        make_settings(tmp_path, card_reader="real")
    assert caught.value.problems == [
        "environment variable KIOSK__DEVICES__CARD_READER__DRIVER: "
        "devices.card_reader.driver: must be 'pcsc' or 'sim' (got 'real')"]
    with pytest.raises(ConfigError) as caught:
        make_settings(tmp_path, card_reader="pcsc")
    assert "needs `reader`, its name" in caught.value.problems[0]


def test_factory_builds_the_pcsc_reader_on_the_configured_name(tmp_path):
    from devices.pcsc_card_reader import PcscCardReader

    settings = load_settings(ConfigSources(), environ={
        "KIOSK__DATA_DIR": f'"{tmp_path}"', "KIOSK__DEVICES__CARD_READER__DRIVER": '"pcsc"',
        "KIOSK__DEVICES__CARD_READER__READER": '"Virtual PCD"'})
    reader = build_devices(settings).card_reader
    try:
        assert isinstance(reader, PcscCardReader)
        assert isinstance(reader, CardReader)
    finally:
        reader.stop()
    assert not (tmp_path / "sim" / "card_reader.json").exists()


def test_factory_builds_the_cups_printer_on_the_configured_queue(tmp_path):
    from devices.cups_printer import CupsPrinter

    settings = make_settings(tmp_path, printer="real")
    devices = build_devices(settings)
    assert isinstance(devices.printer, CupsPrinter)
    assert isinstance(devices.printer, Printer)
    assert devices.printer.queue == settings.receipts.queue == "receipt"
    assert isinstance(devices.card_reader, SimCardReader)
    assert not (tmp_path / "sim" / "printer.json").exists()


def test_state_files_are_readable_by_a_technician(tmp_path):
    SimPrinter(tmp_path).health()
    assert os.stat(sim_file(tmp_path, "printer")).st_mode & 0o777 == 0o644
