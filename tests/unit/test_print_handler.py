"""The shell's print handler against the shipped printer simulator and a printer that never
finishes: the receipt is drawn into a private file that is gone afterwards, "printed" only when
the port said completed, the reason otherwise, a time limit, the printer's health read at the
end; files left by a crash are deleted at the next start."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path

import pytest

from devices.sim_control import set_sim_state
from devices.sim_printer import SimPrinter
from kiosk.core.devices import DeviceHealth, JobState, PrintJob
from kiosk.core.printing import TIMED_OUT_REASON, PrintReceipt, PrintResult
from kiosk.core.receipt import NumberKind, Receipt
from kiosk.shell.printing import JOB_TITLE, PRINT_DIR, ReceiptPrinting

NUMBER = "104217"


def a_receipt() -> Receipt:
    return Receipt(city="Villeneuve-sur-Loire", title="Demande envoyée",
                   when=datetime(2026, 11, 24, 9, 30), place="Hôtel de Ville", number=NUMBER,
                   number_kind=NumberKind.TRACKING, language="fr")


def effect() -> PrintReceipt:
    return PrintReceipt(session_id="s1", receipt=a_receipt())


def leftovers(data: Path) -> list[Path]:
    return list((data / PRINT_DIR).iterdir())


def test_a_receipt_prints_on_the_simulator_and_its_file_is_gone(tmp_path):
    printer = SimPrinter(tmp_path)
    finished = []
    result = ReceiptPrinting(printer, "thermal-80", tmp_path,
                             on_finished=lambda: finished.append(1))(effect())
    assert result == PrintResult(printed=True, health=DeviceHealth(ready=True, reason="ok"))
    [printed] = list(printer.output_dir.iterdir())
    assert printed.suffix == ".png" and NUMBER not in printed.name
    assert printed.read_bytes().startswith(b"\x89PNG")
    assert leftovers(tmp_path) == []
    assert stat.S_IMODE((tmp_path / PRINT_DIR).stat().st_mode) == 0o700
    assert finished == [1]


@pytest.mark.parametrize(("state", "reason"), [("paper-out", "media-empty"),
                                               ("jam", "media-jam"), ("offline", "offline")])
def test_a_fault_is_reported_with_its_reason_and_nothing_printed(tmp_path, state, reason):
    printer = SimPrinter(tmp_path)
    set_sim_state(tmp_path, "printer", state=state)
    result = ReceiptPrinting(printer, "a5", tmp_path)(effect())
    assert result == PrintResult(printed=False, reason=reason,
                                 health=DeviceHealth(ready=False, reason=reason))
    assert not printer.output_dir.exists() or list(printer.output_dir.iterdir()) == []
    assert leftovers(tmp_path) == []


class StuckPrinter:
    """Takes the job, then says "printing" for ever; records what it was handed."""

    def __init__(self) -> None:
        self.handed: list[tuple[Path, str, int, bool]] = []

    def health(self) -> DeviceHealth:
        return DeviceHealth(ready=True)

    def print_file(self, path: Path, title: str) -> PrintJob:
        self.handed.append((path, title, stat.S_IMODE(path.parent.stat().st_mode),
                            path.is_file()))
        return PrintJob("7", JobState.PENDING)

    def job(self, job_id: str) -> PrintJob:
        return PrintJob(job_id, JobState.PRINTING)


def test_a_job_that_never_ends_is_reported_not_printed_at_the_time_limit(tmp_path):
    now = [0.0]
    printer = StuckPrinter()
    printing = ReceiptPrinting(printer, "thermal-80", tmp_path, limit_s=30, poll_s=0.5,
                               clock=lambda: now[0],
                               sleep=lambda s: now.__setitem__(0, now[0] + s))
    result = printing(effect())
    assert result.printed is False and result.reason == TIMED_OUT_REASON
    assert now[0] == pytest.approx(30, abs=0.5)
    [(path, title, mode, existed)] = printer.handed
    assert existed and mode == 0o700, "drawn in a directory only the station's user reads"
    assert title == JOB_TITLE and NUMBER not in path.name
    assert not path.exists() and leftovers(tmp_path) == []


class BrokenPrinter(StuckPrinter):
    def print_file(self, path: Path, title: str) -> PrintJob:
        raise RuntimeError("driver bug")


def test_a_driver_bug_still_deletes_the_file_and_reads_the_devices_again(tmp_path):
    finished = []
    printing = ReceiptPrinting(BrokenPrinter(), "thermal-80", tmp_path,
                               on_finished=lambda: finished.append(1))
    with pytest.raises(RuntimeError):  # the effect runner turns it into "not printed"
        printing(effect())
    assert leftovers(tmp_path) == [] and finished == [1]


def test_receipts_left_by_a_crash_are_deleted_at_start(tmp_path):
    left = tmp_path / PRINT_DIR / "job-abc123"
    left.mkdir(parents=True)
    (left / "receipt-0011.png").write_bytes(b"x")
    (tmp_path / PRINT_DIR / "unrelated").write_text("kept")
    printing = ReceiptPrinting(SimPrinter(tmp_path), "thermal-80", tmp_path)
    assert printing.purge_leftovers() == 1
    assert [p.name for p in leftovers(tmp_path)] == ["unrelated"]
