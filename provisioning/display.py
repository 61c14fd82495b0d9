"""The X server's configuration for the station's screens (xorg.conf(5)).

One X server for the whole station: on desk-assisted, its two outputs side by side, the
public screen at the origin and the agent's right of it, each app's window placed on its own
screen (`panel.left_px`). Two servers would each need a virtual terminal of their own, and
only one terminal shows at a time: one server with two outputs is how one machine lights two
screens at once with one set of input devices.
"""

from __future__ import annotations

from kiosk.settings.models import Profile

SERVER_FLAGS = """\
Section "ServerFlags"
    # No Ctrl+Alt+F1..F12 to a text console, no Ctrl+Alt+Backspace to kill the server.
    Option "DontVTSwitch" "true"
    Option "DontZap" "true"
    # No blanking nor power saving by the server: the screen-power schedule decides.
    Option "BlankTime" "0"
    Option "StandbyTime" "0"
    Option "SuspendTime" "0"
    Option "OffTime" "0"
EndSection
"""


def _monitor(identifier: str, extra: str = "") -> str:
    return (f'Section "Monitor"\n    Identifier "{identifier}"\n    Option "DPMS" "false"\n'
            f"{extra}EndSection\n")


def xorg_conf(profile: Profile, outputs: tuple[str, str] | None = None) -> str:
    """The configuration file the station's X server is started with (-config)."""
    head = (f"# Written by kiosk-provision install (profile {profile.value}): the X server of the\n"
            "# station's screens, with no window manager or desktop (docs/installation.md).\n")
    parts = [head, SERVER_FLAGS]
    if profile is Profile.DESK_ASSISTED and outputs is not None:
        public, agent = outputs
        parts += [
            _monitor("public", '    Option "Position" "0 0"\n    Option "Primary" "true"\n'),
            _monitor("agent", '    Option "RightOf" "public"\n'),
            'Section "Device"\n    Identifier "gpu"\n    Driver "modesetting"\n'
            f'    Option "Monitor-{public}" "public"\n    Option "Monitor-{agent}" "agent"\n'
            "EndSection\n",
        ]
    return "\n".join(parts)
