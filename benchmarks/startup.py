"""Node start-up: time from `carbonspace serve` to the first healthy `/health`, and the idle
resident memory of the node process a few seconds later.

Each run creates a fresh node (new key, new SQLite database, migrations applied at start) in a
temporary directory on a free loopback port. Prints the median start time over the runs and the
idle RSS of the last run:

    RESULT start_to_healthy_s=<median seconds>
    RESULT idle_rss_mb=<MiB>
"""

from __future__ import annotations

import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

from connector.identity import init_node

RUNS = 5
IDLE_S = 3.0
TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _command(node_dir: Path) -> list[str]:
    script = Path(sys.executable).with_name("carbonspace")
    if script.exists():
        return [str(script), "serve", str(node_dir)]
    return [sys.executable, "-c", "from connector.cli import main; main()", "serve", str(node_dir)]


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> float:
    started = time.monotonic()
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() - started < TIMEOUT_S:
            if process.poll() is not None:
                raise RuntimeError(f"node exited with {process.returncode}")
            try:
                if client.get(url).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.01)
    raise TimeoutError(f"{url} not healthy after {TIMEOUT_S} s")


def one_run(base: Path, index: int) -> tuple[float, float]:
    """(seconds to healthy, idle RSS in MiB) for a fresh node."""
    port = _free_port()
    settings = init_node(
        base / f"node{index}", name=f"bench{index}", url=f"http://127.0.0.1:{port}"
    )
    log = (settings.node_dir / "serve.log").open("wb")
    started = time.monotonic()
    process = subprocess.Popen(_command(settings.node_dir), stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/health", process)
        elapsed = time.monotonic() - started
        time.sleep(IDLE_S)
        rss = psutil.Process(process.pid).memory_info().rss / (1024 * 1024)
        return elapsed, rss
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(15)
        log.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        results = [one_run(Path(scratch), index) for index in range(RUNS)]
    times = [elapsed for elapsed, _ in results]
    print(f"runs={RUNS} start_times_s={[round(t, 2) for t in times]}")
    print(f"RESULT start_to_healthy_s={statistics.median(times):.2f}")
    print(f"RESULT idle_rss_mb={results[-1][1]:.1f}")


if __name__ == "__main__":
    main()
