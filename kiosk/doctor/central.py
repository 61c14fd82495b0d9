"""Checks of the central systems from the station: each endpoint answers, the station's clock
agrees with the central's (its Date header), and its TLS certificate is not about to expire."""

from __future__ import annotations

import socket
import ssl
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from kiosk.doctor.findings import Finding, Level
from kiosk.settings.models import Settings

#: Publik refuses a signature whose timestamp is more than 30 s away from its clock
#: (kiosk/protocols/publik_signing.py, MAX_SKEW); warn well before that.
ISSUE_SKEW_S = 30.0
WARN_SKEW_S = 5.0
#: A certificate that expires within two weeks is a warning (renewals are usually monthly).
WARN_CERT_DAYS = 14
TIMEOUT_S = 10.0


def endpoints(settings: Settings) -> list[tuple[str, str]]:
    """The central endpoints the configuration names, by name."""
    central = settings.central
    found = [("open311", central.open311.base_url if central.open311 else None),
             ("w.c.s.", central.wcs.base_url if central.wcs else None),
             ("chrono", central.chrono.base_url if central.chrono else None),
             ("fleet", central.fleet_url)]
    return [(name, url) for name, url in found if url]


def reach(name: str, url: str, now: datetime | None = None) -> list[Finding]:
    """One endpoint: reachable (any HTTP answer) and the clock skew its Date header shows."""
    import httpx

    from kiosk.adapters.http import system_trust

    check = f"central {name}"
    try:
        with httpx.Client(verify=system_trust(), follow_redirects=False,
                          timeout=TIMEOUT_S) as client:
            answer = client.get(url)
    except httpx.HTTPError as err:
        return [Finding(Level.ISSUE, check, f"{urlsplit(url).netloc}: unreachable "
                                            f"({type(err).__name__})")]
    findings = [Finding(Level.OK, check, f"{urlsplit(url).netloc} answers "
                                         f"(HTTP {answer.status_code})")]
    date = answer.headers.get("date")
    if date is None:
        findings.append(Finding(Level.WARNING, "clock", f"{name}: no Date header to compare"))
        return findings
    try:
        theirs = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        findings.append(Finding(Level.WARNING, "clock", f"{name}: unreadable Date header"))
        return findings
    skew = abs(((now or datetime.now(UTC)) - theirs).total_seconds())
    level = (Level.ISSUE if skew > ISSUE_SKEW_S else Level.WARNING if skew > WARN_SKEW_S
             else Level.OK)
    findings.append(Finding(level, "clock", f"{skew:.0f} s from {name}'s clock"
                                            + (" (is NTP on?)" if level else "")))
    return findings


def certificate(name: str, url: str, now: datetime | None = None) -> Finding | None:
    """Days until the endpoint's certificate expires; None for plain HTTP."""
    from kiosk.adapters.http import system_trust

    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    check = f"certificate {name}"
    try:
        with socket.create_connection((parts.hostname, parts.port or 443), TIMEOUT_S) as raw, \
                system_trust().wrap_socket(raw, server_hostname=parts.hostname) as tls:
            peer = tls.getpeercert()
    except ssl.SSLCertVerificationError as err:
        return Finding(Level.ISSUE, check, f"not trusted: {err.verify_message}")
    except (OSError, ssl.SSLError) as err:
        return Finding(Level.ISSUE, check, f"no TLS connection ({type(err).__name__})")
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(str(peer["notAfter"])), UTC)
    days = (expires - (now or datetime.now(UTC))).days
    level = Level.WARNING if days < WARN_CERT_DAYS else Level.OK
    return Finding(level, check, f"expires in {days} days ({expires:%Y-%m-%d})")


def central(settings: Settings) -> list[Finding]:
    """Every endpoint of the configuration."""
    if settings.central.embedded_peer:
        return [Finding(Level.WARNING, "central", "the embedded reference peer is in use "
                                                  "(demos and tests only)")]
    found = endpoints(settings)
    if not found:
        return [Finding(Level.WARNING, "central", "no central endpoint is configured")]
    findings: list[Finding] = []
    for name, url in found:
        findings += reach(name, url)
        cert = certificate(name, url)
        if cert is not None:
            findings.append(cert)
    return findings
