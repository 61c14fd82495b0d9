"""Unit tests of the station's badge file (kiosk/badges/store.py) and of enrolment
(kiosk/badges/enrol.py), on temporary files and the simulated reader. Enrolment from a real
reader through pcscd is in tests/integration/test_badges_pcsc.py."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from devices.sim_card_reader import SimCardReader
from devices.sim_control import set_sim_state
from kiosk.badges.enrol import EnrolError, Enrolment, enrol, read_key_file
from kiosk.badges.store import BadgeFileError, load_policy, read_badges, write_badges
from kiosk.core.badges import EnrolledBadge, PinHash, Role
from kiosk.settings.models import BadgeSettings

FAST_N = 2**4
UID = "04A1B2C3D4E5F6"
KEY = bytes(range(32))
# Eight digits: a shorter PIN turns up by chance in the salt and hash, which are hex.
PIN = "48261937"


def badge(badge_id: str = "F-0012", uid: str = UID, key: bytes | None = KEY) -> EnrolledBadge:
    return EnrolledBadge(badge_id, uid, Role.FACILITATOR, key, PinHash.of(PIN, n=FAST_N))


def entry(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": "F-0012", "uid": UID, "role": "facilitator", "key": KEY.hex(),
        "pin": {"scheme": "scrypt", "n": 16, "r": 8, "p": 1, "salt": "00" * 16,
                "hash": "11" * 32}}
    raw.update(changes)
    return raw


def write_raw(path: Path, content: object) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    path.chmod(0o600)
    return path


# -- the file --------------------------------------------------------------------------------


def test_badges_written_are_read_back_owner_only(tmp_path):
    path = tmp_path / "badges.json"
    badges = [badge(), badge("T-0003", "A1B2C3D4", None)]
    write_badges(path, badges)
    assert read_badges(path) == tuple(badges)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert PIN not in path.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["badges.json"]  # no temporary left


def test_rewriting_keeps_the_owner_of_the_file(tmp_path):
    path = tmp_path / "badges.json"
    write_badges(path, [badge()])
    os.chown(path, 65534, 65534)  # the kiosk user's, say; this test runs as root
    write_badges(path, [badge(), badge("F-0013", "04112233445566")])
    info = os.stat(path)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o600)


def test_a_file_others_can_read_is_refused(tmp_path):
    path = tmp_path / "badges.json"
    write_badges(path, [badge()])
    path.chmod(0o640)
    with pytest.raises(BadgeFileError) as caught:
        read_badges(path)
    assert caught.value.problems == [
        f"{path}: readable or writable by others (mode 0640); chmod 600 it"]


@pytest.mark.parametrize(("content", "problem"), [
    ("{", "not JSON (line 1)"),
    ([], 'must be an object with "version" and "badges"'),
    ({"version": 2, "badges": []}, "version: must be 1"),
    ({"version": 1, "badges": {}}, "badges: must be a list"),
])
def test_a_file_that_is_not_a_badge_file_is_refused(tmp_path, content, problem):
    path = write_raw(tmp_path / "badges.json", content)
    with pytest.raises(BadgeFileError) as caught:
        read_badges(path)
    assert caught.value.problems == [f"{path}: {problem}"]


def test_a_missing_file_is_named():
    with pytest.raises(BadgeFileError, match=r"/nowhere/badges\.json: no such file"):
        read_badges(Path("/nowhere/badges.json"))


@pytest.mark.parametrize(("change", "problem"), [
    ({"id": "Marie Dupont"}, ".id: must be letters, digits and dashes, at most 32"),
    ({"uid": UID.lower()}, ".uid: must be 8, 14 or 20 upper-case hex digits"),
    ({"role": "mayor"}, ".role: must be facilitator or technician"),
    ({"key": "abcd"}, ".key: must be 64 hex digits"),
    ({"key": "zz" * 32}, ".key: must be 64 hex digits"),
    ({"pin": {}}, ".pin: must have exactly the fields hash, n, p, r, salt, scheme"),
    ({"extra": 1}, ": must have exactly the fields id, key, pin, role, uid"),
])
def test_each_wrong_field_is_named_without_its_value(tmp_path, change, problem):
    path = write_raw(tmp_path / "badges.json", {"version": 1, "badges": [
        entry(), entry(**{"id": "F-0013", "uid": "04112233445566", **change})]})
    with pytest.raises(BadgeFileError) as caught:
        read_badges(path)
    assert caught.value.problems == [f"{path}: badges[1]{problem}"]
    assert KEY.hex() not in str(caught.value)


@pytest.mark.parametrize(("pin", "problem"), [
    ({"scheme": "md5"}, '.pin.scheme: must be "scrypt"'),
    ({"n": 1000}, ".pin.n: must be a power of two from 2 to 1048576"),
    ({"n": 2**21}, ".pin.n: must be a power of two from 2 to 1048576"),
    ({"n": True}, ".pin.n: must be a power of two from 2 to 1048576"),
    ({"r": 0}, ".pin.r: must be an integer from 1 to 32"),
    ({"p": 17}, ".pin.p: must be an integer from 1 to 16"),
    ({"salt": "00"}, ".pin.salt: must be 32 hex digits"),
    ({"hash": None}, ".pin.hash: must be 64 hex digits"),
])
def test_each_wrong_pin_field_is_named(tmp_path, pin, problem):
    raw = entry()
    raw["pin"] = {**raw["pin"], **pin}  # type: ignore[dict-item]
    path = write_raw(tmp_path / "badges.json", {"version": 1, "badges": [raw]})
    with pytest.raises(BadgeFileError) as caught:
        read_badges(path)
    assert caught.value.problems == [f"{path}: badges[0]{problem}"]


def test_a_badge_enrolled_twice_is_refused(tmp_path):
    path = write_raw(tmp_path / "badges.json", {"version": 1, "badges": [
        entry(), entry(uid="04112233445566"), entry(id="F-0099")]})
    with pytest.raises(BadgeFileError) as caught:
        read_badges(path)
    assert caught.value.problems == [
        f"{path}: badges[1].id: the same as badges[0]'s; a badge is enrolled once",
        f"{path}: badges[2].uid: the same as badges[0]'s; a badge is enrolled once"]


def test_the_policy_comes_from_the_settings_and_the_file(tmp_path):
    path = tmp_path / "badges.json"
    empty = load_policy(BadgeSettings(file=path, lockout_s=60))
    assert (dict(empty.badges), empty.lockout_s, empty.legacy_uid_only) == ({}, 60, False)
    write_badges(path, [badge()])
    policy = load_policy(BadgeSettings(file=path, lockout_s=90, legacy_uid_only=True))
    assert (dict(policy.badges), policy.lockout_s, policy.legacy_uid_only) == (
        {UID: badge_of(path)}, 90, True)
    assert KEY.hex() not in repr(policy)


def badge_of(path: Path) -> EnrolledBadge:
    [only] = read_badges(path)
    return only


# -- enrolment -------------------------------------------------------------------------------


def test_enrol_by_uid_adds_the_badge_with_a_hash_of_its_pin(tmp_path):
    path = tmp_path / "badges.json"
    added = enrol(path, Enrolment("F-0012", Role.FACILITATOR, PIN, KEY, uid=UID))
    assert read_badges(path) == (added,)
    assert added.pin.matches(PIN) and added.pin.n == 2**14
    enrol(path, Enrolment("T-0003", Role.TECHNICIAN, "73194", None, uid="A1B2C3D4"))
    assert [b.badge_id for b in read_badges(path)] == ["F-0012", "T-0003"]


def test_enrol_names_every_wrong_input_at_once(tmp_path):
    with pytest.raises(EnrolError) as caught:
        enrol(tmp_path / "badges.json", Enrolment("x y", Role.FACILITATOR, "12", KEY, uid="04"))
    assert [p.split(":")[0] for p in caught.value.problems] == ["--id", "--uid", "PIN"]
    assert not (tmp_path / "badges.json").exists()


def test_enrolling_an_enrolled_badge_again_needs_replace(tmp_path):
    path = tmp_path / "badges.json"
    enrol(path, Enrolment("F-0012", Role.FACILITATOR, PIN, KEY, uid=UID))
    for again in (Enrolment("F-0012", Role.FACILITATOR, "1111", KEY, uid="04112233445566"),
                  Enrolment("F-0013", Role.TECHNICIAN, "1111", KEY, uid=UID)):
        with pytest.raises(EnrolError) as caught:
            enrol(path, again)
        assert caught.value.problems[0].startswith(f"{path}: badges[0]: ")
        assert caught.value.problems[0].endswith("; --replace enrols it again")
    replaced = enrol(path, Enrolment("F-0013", Role.TECHNICIAN, "1111", KEY, uid=UID,
                                     replace=True))
    assert read_badges(path) == (replaced,)


def test_enrol_reads_the_uid_on_the_reader_once_the_badge_proves_the_key(tmp_path):
    reader = SimCardReader(tmp_path / "data")
    set_sim_state(tmp_path / "data", "card_reader", card=UID, key=KEY.hex())
    added = enrol(tmp_path / "badges.json", Enrolment("F-0012", Role.FACILITATOR, PIN, KEY),
                  lambda: reader)
    assert added.uid == UID


@pytest.mark.parametrize(("card", "key", "problem"), [
    (UID, bytes(32).hex(), "--key-file: the badge on the reader does not hold this key"),
    (UID, None, "card reader: the card on the reader is not a badge (no badge application)"),
    (None, None, "card reader: no badge on the reader within 0.2 s"),
])
def test_enrol_from_the_reader_refuses_what_does_not_prove_the_key(tmp_path, card, key,
                                                                    problem):
    reader = SimCardReader(tmp_path / "data")
    set_sim_state(tmp_path / "data", "card_reader", card=card, key=key)
    with pytest.raises(EnrolError) as caught:
        enrol(tmp_path / "badges.json", Enrolment("F-0012", Role.FACILITATOR, PIN, KEY),
              lambda: reader, wait_s=0.2)
    assert caught.value.problems == [problem]
    assert not (tmp_path / "badges.json").exists()


def test_enrol_says_when_the_reader_is_not_there(tmp_path):
    reader = SimCardReader(tmp_path / "data")
    set_sim_state(tmp_path / "data", "card_reader", reader="absent")
    with pytest.raises(EnrolError, match=r"within 0.1 s \(the reader is not ready: reader-absent"):
        enrol(tmp_path / "badges.json", Enrolment("F-0012", Role.FACILITATOR, PIN, KEY),
              lambda: reader, wait_s=0.1)


def test_a_legacy_badge_is_enrolled_from_the_reader_on_its_uid(tmp_path):
    reader = SimCardReader(tmp_path / "data")
    set_sim_state(tmp_path / "data", "card_reader", card="A1B2C3D4")
    added = enrol(tmp_path / "badges.json", Enrolment("F-0001", Role.FACILITATOR, PIN, None),
                  lambda: reader)
    assert (added.uid, added.uid_only) == ("A1B2C3D4", True)


@pytest.mark.parametrize(("content", "problem"), [
    (KEY.hex()[:32] + "\n" + KEY.hex()[32:] + "\n", None),
    ("abc", "must hold 64 hex digits (a 32-byte key)"),
    ("zz" * 32, "must hold 64 hex digits (a 32-byte key)"),
    (KEY.hex() + "00", "must hold 64 hex digits (a 32-byte key)"),
])
def test_key_files_hold_64_hex_digits(tmp_path, content, problem):
    path = tmp_path / "badge.key"
    path.write_text(content)
    if problem is None:
        assert read_key_file(path) == KEY
        return
    with pytest.raises(EnrolError) as caught:
        read_key_file(path)
    assert caught.value.problems == [f"--key-file {path}: {problem}"]
