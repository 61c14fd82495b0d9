"""`kiosk-provision enroll`: the station joins the city's fleet.

It makes the station's Ed25519 key, enrols with the one-time token the fleet issued for it
(the fleet answers with the station's id, name and own token), then writes in /etc/kiosk:
station.key and credentials.toml (the kiosk user's only, mode 0600), site.toml (the city's
file, as given) and machine.toml (profile, identity, fleet), the last two validated by the
settings loader before anything is in place. Files are written in a folder of their own
beside them and renamed at the end: a refused token, an unreachable fleet or a configuration
that does not validate leaves /etc/kiosk as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.adapters.credentials import CredentialsError, load_credentials
from kiosk.adapters.fleet import OtlpFleet
from kiosk.adapters.http import HttpClient
from kiosk.core.central import CentralError, CentralFailure
from kiosk.core.fleet import Enrolment, EnrolmentRequest, proof_message
from kiosk.settings.loader import ConfigError, ConfigSources, load_settings
from kiosk.settings.models import Profile
from provisioning.layout import ETC, USER
from provisioning.plan import Target

#: Time limit of the enrolment call, in seconds.
TIMEOUT_S = 15.0
KEY_FILE = "station.key"
CREDENTIALS_FILE = "credentials.toml"
SITE_FILE = "site.toml"
MACHINE_FILE = "machine.toml"


class EnrollError(Exception):
    """Why the station is not enrolled: one line."""


@dataclass(frozen=True)
class EnrollOptions:
    """What the person enrolling gave."""

    fleet_url: str
    token: str
    profile: Profile
    site_file: Path


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def machine_toml(options: EnrollOptions, enrolment: Enrolment) -> str:
    """The station's own configuration: its profile, identity and fleet."""
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"# Written by kiosk-provision enroll ({when}): this station in the city's fleet\n"
            f"# (fleet id {enrolment.fleet_id}). The city's settings are in site.toml.\n"
            f"profile = {toml_string(options.profile.value)}\n\n"
            f"[station]\nid = {toml_string(enrolment.station_id)}\n"
            f"name = {toml_string(enrolment.station_name)}\n\n"
            f"[central]\nfleet_url = {toml_string(options.fleet_url)}\n"
            f"credentials_file = {toml_string(str(ETC / CREDENTIALS_FILE))}\n")


def credentials_toml(existing: Path, token: str) -> str:
    """The credentials file with the station's fleet token, the city's other secrets kept."""
    sections: dict[str, dict[str, str]] = {}
    if existing.is_file():
        try:
            sections = tomllib.loads(existing.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise EnrollError(f"{existing}: cannot be read ({err}); fix or remove it") from None
    sections["fleet"] = {"token": token}
    lines = ["# The station's secrets (kiosk/adapters/credentials.py): the kiosk user's only."]
    for name, table in sections.items():
        lines.append(f"\n[{name}]")
        lines += [f"{key} = {toml_string(str(value))}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def _site_name(options: EnrollOptions) -> str:
    """The site the fleet is told about, once the site file is known to be valid."""
    try:
        settings = load_settings(ConfigSources(site=options.site_file,
                                               profile=options.profile.value), environ={})
    except ConfigError as err:
        raise EnrollError(err.problems[0]) from None
    return settings.site.name


def _enrol(options: EnrollOptions, site: str, key: object) -> Enrolment:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    assert isinstance(key, Ed25519PrivateKey)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    request = EnrolmentRequest(public_key=public, proof=key.sign(proof_message(options.token,
                                                                              public)),
                               profile=options.profile.value, site=site)
    try:
        with HttpClient(TIMEOUT_S) as http:
            return OtlpFleet(http, options.fleet_url, options.token).enrol(request)
    except CentralError as err:
        if err.failure is CentralFailure.UNAUTHORISED:
            reason = err.detail.partition("(")[2].rstrip(")") or "wrong or already used"
            raise EnrollError(f"the fleet refused the enrolment token ({reason}); ask the "
                              "fleet for a new one") from None
        raise EnrollError(f"the fleet did not enrol the station: {err}") from None
    except ValueError as err:  # an unusable URL
        raise EnrollError(f"--fleet {options.fleet_url}: {err}") from None


def _write(folder: Path, name: str, text: str | bytes, uid: int, gid: int, mode: int) -> None:
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, data)
        os.fchown(fd, uid, gid)
        os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)


def enroll_station(options: EnrollOptions, target: Target) -> Enrolment:
    """Enrol and write the station's files; EnrollError with one line otherwise."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    etc = target.real(ETC)
    uid, gid = target.uid(USER), target.gid(USER)
    if uid is None or gid is None or not etc.is_dir():
        raise EnrollError(f"no kiosk account or no {ETC}: run kiosk-provision install first")
    try:
        site_text = options.site_file.read_bytes()
    except OSError as err:
        raise EnrollError(f"--site {options.site_file}: {err.strerror}") from None
    site_name = _site_name(options)
    key = Ed25519PrivateKey.generate()
    enrolment = _enrol(options, site_name, key)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    staging = Path(tempfile.mkdtemp(prefix=".enroll-", dir=etc))
    try:
        _write(staging, KEY_FILE, pem, uid, gid, 0o600)
        _write(staging, CREDENTIALS_FILE, credentials_toml(etc / CREDENTIALS_FILE,
                                                           enrolment.token), uid, gid, 0o600)
        _write(staging, SITE_FILE, site_text, 0, gid, 0o640)
        _write(staging, MACHINE_FILE, machine_toml(options, enrolment), 0, gid, 0o640)
        try:
            load_settings(ConfigSources(site=staging / SITE_FILE,
                                        machine=staging / MACHINE_FILE), environ={})
            load_credentials(staging / CREDENTIALS_FILE, required=("fleet",))
        except ConfigError as err:
            raise EnrollError(err.problems[0].replace(str(staging), str(ETC))) from None
        except CredentialsError as err:
            raise EnrollError(str(err).replace(str(staging), str(ETC))) from None
        # The machine file last: until it is in place, the station is not enrolled.
        for name in (KEY_FILE, CREDENTIALS_FILE, SITE_FILE, MACHINE_FILE):
            os.replace(staging / name, etc / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return enrolment


def enroll(options: EnrollOptions, root: Path | None) -> int:
    """`kiosk-provision enroll`: 0, or 1 with one line on stderr."""
    target = Target(root=root.resolve() if root else None)
    try:
        enrolment = enroll_station(options, target)
    except (EnrollError, OSError) as err:
        print(f"kiosk-provision enroll: {err}", file=sys.stderr)
        return 1
    print(f"enrolled as {enrolment.station_id} ({enrolment.station_name}), fleet id "
          f"{enrolment.fleet_id}; wrote {ETC}/{MACHINE_FILE}, {SITE_FILE}, {CREDENTIALS_FILE} "
          f"and {KEY_FILE}")
    return 0
