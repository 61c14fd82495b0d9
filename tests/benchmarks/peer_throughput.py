"""Benchmark: how many Open311 POST requests per second the reference peer takes.

    .venv/bin/python tests/benchmarks/peer_throughput.py [--posts 1000] [--threads 1 8]
        [--out FILE]

Starts the peer in its own process (`python -m kiosk.peer --port 0`, as `kiosk peer` runs it,
so that client and server do not share an interpreter), then sends `--posts` form-encoded POST
requests.json, each with its own Idempotency-Key (as the kiosk's outbox does when it flushes),
over kept-alive httpx connections, first from one thread, then from several. It checks that
every POST landed (GET /_peer/records) and prints POSTs per second, with the CPU time the peer
process spent per POST (on a small machine the httpx client, not the peer, is the limit: the
peer's CPU time per POST says what it could take alone). It writes the figures to `--out`
(default bench-out/peer_throughput.json) and asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time

import httpx
import psutil
from figures import add_out_option, write_figures

FORM = {
    "api_key": "demo-open311-key",
    "service_code": "VOI-001",
    "lat": "47.5871", "long": "1.3340",
    "attribute[EMPLACEMENT]": "chaussee",
    "attribute[LARGEUR_CM]": "30",
    "attribute[RISQUES][]": ["chute-velo", "flaque"],
    "device_id": "VSL-BENCH-01",
}


def send(base: str, keys: list[str], errors: list[int]) -> None:
    """POST one request per key, on one kept-alive connection."""
    with httpx.Client(timeout=30) as client:
        for key in keys:
            form = {**FORM, "description": f"Banc d'essai.\nRéf. borne : {key}"}
            response = client.post(f"{base}/open311/v2/requests.json", data=form,
                                   headers={"Idempotency-Key": key})
            if response.status_code != 201:
                errors.append(response.status_code)


def run(base: str, posts: int, threads: int, tag: str) -> float:
    """POSTs per second with `threads` senders."""
    keys = [f"VSL-BENCH-{tag}-{n:05d}" for n in range(posts)]
    share = [keys[i::threads] for i in range(threads)]
    errors: list[int] = []
    workers = [threading.Thread(target=send, args=(base, part, errors)) for part in share]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    if errors:
        print(f"  {len(errors)} POSTs failed (statuses {sorted(set(errors))})")
    return posts / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 8])
    add_out_option(parser, "peer_throughput")
    args = parser.parse_args()
    peer = subprocess.Popen([sys.executable, "-m", "kiosk.peer", "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert peer.stdout is not None
        base = peer.stdout.readline().strip()
        server = psutil.Process(peer.pid)
        total = 0
        by_threads = []
        for threads in args.threads:
            before = server.cpu_times()
            rate = run(base, args.posts, threads, f"T{threads}")
            after = server.cpu_times()
            cpu_ms = ((after.user - before.user) + (after.system - before.system)) * 1000
            total += args.posts
            print(f"{args.posts} POSTs from {threads} thread(s): {rate:.0f} POST/s "
                  f"(peer CPU {cpu_ms / args.posts:.2f} ms per POST)")
            by_threads.append({"threads": threads, "posts_per_s": rate,
                               "peer_cpu_ms_per_post": cpu_ms / args.posts})
        landed = len(httpx.get(f"{base}/_peer/records", timeout=30).json()["requests"])
        print(f"records: {landed} of {total} POSTs landed")
    finally:
        peer.terminate()
        peer.wait(timeout=10)
    write_figures(args.out, "peer_throughput", args,
                  {"runs": by_threads, "landed": landed, "sent": total})
    return 0


if __name__ == "__main__":
    sys.exit(main())
