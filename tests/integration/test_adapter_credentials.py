"""The credentials file: read from real files with real permission bits; refused with one line
naming the file and the field; secrets never in repr() or messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.adapters.credentials import Credentials, CredentialsError, load_credentials

GOOD = """
[open311]
api_key = "o311-SECRET"

[publik]
orig = "borne-demo"
key = "publik-SECRET"

[fleet]
token = "fleet-SECRET"
"""


def write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def refused(path: Path, **kwargs: object) -> str:
    with pytest.raises(CredentialsError) as info:
        load_credentials(path, **kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert "SECRET" not in message
    return message


def test_a_private_file_is_read(tmp_path: Path) -> None:
    creds = load_credentials(write(tmp_path / "c.toml", GOOD))
    assert creds == Credentials("o311-SECRET", "borne-demo", "publik-SECRET", "fleet-SECRET")


def test_repr_never_shows_a_secret(tmp_path: Path) -> None:
    creds = load_credentials(write(tmp_path / "c.toml", GOOD))
    for shown in (repr(creds), str(creds), f"{creds}", repr([creds])):
        assert "SECRET" not in shown
    assert "borne-demo" in repr(creds) and "<hidden>" in repr(creds)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660, 0o620, 0o601])
def test_a_file_others_can_reach_is_refused(tmp_path: Path, mode: int) -> None:
    path = write(tmp_path / "c.toml", GOOD, mode)
    assert refused(path) == f"{path}: readable by others; run chmod 600 {path}"


def test_owner_only_modes_are_accepted(tmp_path: Path) -> None:
    assert load_credentials(write(tmp_path / "c.toml", GOOD, 0o400)).fleet_token


def test_missing_file(tmp_path: Path) -> None:
    assert refused(tmp_path / "absent.toml").endswith(": no such file")


def test_bad_toml_names_the_position(tmp_path: Path) -> None:
    message = refused(write(tmp_path / "c.toml", '[open311]\napi_key = "o311-SECRET\n'))
    assert "not valid TOML" in message and "line" in message


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD.replace('key = "publik-SECRET"', ""), "[publik] key: missing"),
    (GOOD.replace('token = "fleet-SECRET"', "token = 12"), "[fleet] token: must be a "
     "non-empty string"),
    (GOOD.replace('api_key = "o311-SECRET"', 'api_key = ""'), "[open311] api_key: must be"),
    (GOOD.replace('api_key = "o311-SECRET"', 'api_key = " o311-SECRET"'),
     "[open311] api_key: has spaces"),
    (GOOD.replace("[fleet]\ntoken = \"fleet-SECRET\"", ""), "[fleet]: section missing"),
    ('open311 = "x"\n' + GOOD.split("[publik]")[1].join(["[publik]", ""]),
     "[open311]: must be a table"),
])
def test_missing_or_wrong_keys_name_the_field(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in refused(write(tmp_path / "c.toml", text))


def test_sections_a_city_does_not_run_may_be_left_out(tmp_path: Path) -> None:
    text = GOOD.split("[publik]")[0]
    creds = load_credentials(write(tmp_path / "c.toml", text), required=("open311",))
    assert creds.open311_api_key == "o311-SECRET"
    assert creds.publik_key is None and creds.fleet_token is None
    with pytest.raises(ValueError):
        load_credentials(tmp_path / "c.toml", required=("ldap",))


def test_a_directory_is_not_a_credentials_file(tmp_path: Path) -> None:
    directory = tmp_path / "dir"
    directory.mkdir(mode=0o700)
    assert refused(directory).endswith(": not a regular file")


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "c.toml", GOOD, 0o000)
    if os.geteuid() != 0:
        assert refused(path).endswith("not readable by the kiosk user")
        return
    # Root reads every file: read it as an unprivileged user, as the kiosk service runs.
    tmp_path.chmod(0o755)
    for parent in tmp_path.parents:
        if parent == Path("/tmp"):
            break
        parent.chmod(parent.stat().st_mode | 0o005)
    script = ("import sys; from kiosk.adapters.credentials import load_credentials, "
              "CredentialsError\ntry:\n    load_credentials(sys.argv[1])\n"
              "except CredentialsError as err:\n    print(err)")
    done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                           sys.executable, "-c", script, str(path)],
                          capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{path}: not readable by the kiosk user"
