"""Real nodes and authorities for e2e tests: `carbonspace serve` / `carbonspace authority serve`
as subprocesses on free loopback ports, started with a health-polling timeout, stopped with
SIGTERM (or killed). Reused by the identity, DSP and upstream e2e tests.

    authority = start_authority(tmp_path / "authority")
    settings = create_node(tmp_path, "mill", authorities=[authority.did])
    mill = start_node(settings.node_dir)
    with mill.management() as client: client.get("/api/management/node")
    mill.stop()

Fixtures: `authority` (a running authority, one per test session) and `nodes` (a factory
`nodes(name, credentials=...)` that creates, credentials and starts a node; everything is
stopped at teardown). They live in a plain module; `tests/e2e/conftest.py` provides them to
every e2e module (a conftest elsewhere would import them the same way).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from connector.identity import (
    MEMBERSHIP_CREDENTIAL,
    PCF_FRAMEWORK_CREDENTIAL,
    add_credential,
    init_authority,
    init_node,
    issue_credential,
    load_authority,
)
from connector.settings import Settings, load_settings

START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 15.0
POLL_INTERVAL_S = 0.05
LOG_FILE = "serve.log"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def carbonspace_command(*args: str) -> list[str]:
    """The `carbonspace` console script of this interpreter's environment."""
    script = Path(sys.executable).with_name("carbonspace")
    if script.exists():
        return [str(script), *args]
    found = shutil.which("carbonspace")
    if found:
        return [found, *args]
    return [sys.executable, "-c", "from connector.cli import main; main()", *args]


@dataclass
class _Process:
    """A server subprocess with its log file."""

    process: subprocess.Popen[bytes]
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> int:
        """SIGTERM, wait, SIGKILL if it does not exit in time; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(STOP_TIMEOUT_S)
        return self.process.returncode

    def kill(self) -> int:
        """SIGKILL at once (a crash), and reap it."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT_S)
        return self.process.returncode


@dataclass
class RunningNode(_Process):
    settings: Settings = field(kw_only=True)

    @property
    def url(self) -> str:
        return self.settings.node.url

    @property
    def did(self) -> str:
        return self.settings.node.did

    @property
    def api_key(self) -> str:
        return self.settings.management.api_key

    @property
    def node_dir(self) -> Path:
        return self.settings.node_dir

    def client(self, timeout: float = 30.0) -> httpx.Client:
        """A client for the node's public surface."""
        return httpx.Client(base_url=self.url, timeout=timeout)

    def management(self, timeout: float = 30.0) -> httpx.Client:
        """A client for the management API with the node's API key."""
        port = self.settings.server.management_port or self.settings.server.port
        return httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"X-Api-Key": self.api_key},
            timeout=timeout,
        )


@dataclass
class RunningAuthority(_Process):
    did: str = field(kw_only=True)
    url: str = field(kw_only=True)
    authority_dir: Path = field(kw_only=True)


def _spawn(
    args: Sequence[str], log_path: Path, env: Mapping[str, str] | None
) -> subprocess.Popen[bytes]:
    log = log_path.open("ab")
    try:
        return subprocess.Popen(
            list(args),
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    finally:
        log.close()


def wait_healthy(url: str, process: _Process, timeout_s: float = START_TIMEOUT_S) -> float:
    """Poll `url` until it answers 200; seconds waited. Fails early if the process exits."""
    started = time.monotonic()
    deadline = started + timeout_s
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.process.poll() is not None:
                raise RuntimeError(
                    f"{url}: process exited with {process.process.returncode}\n{process.log_tail()}"
                )
            try:
                if client.get(url).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(POLL_INTERVAL_S)
    process.kill()
    raise TimeoutError(f"{url} not healthy after {timeout_s} s\n{process.log_tail()}")


def create_node(
    base_dir: Path,
    name: str,
    authorities: Sequence[str] = (),
    database_url: str = "",
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> Settings:
    """`carbonspace init` for a loopback node on a free port, in `base_dir/name`."""
    port = free_port()
    return init_node(
        base_dir / name,
        name=name,
        url=f"http://127.0.0.1:{port}",
        authorities=list(authorities),
        database_url=database_url,
        extra=extra,
    )


def start_node(
    node_dir: Path, env: Mapping[str, str] | None = None, timeout_s: float = START_TIMEOUT_S
) -> RunningNode:
    """Start `carbonspace serve node_dir` and wait until `/health` answers 200."""
    settings = load_settings(node_dir)
    log_path = node_dir / LOG_FILE
    process = _spawn(carbonspace_command("serve", str(node_dir)), log_path, env)
    node = RunningNode(process, log_path, settings=settings)
    wait_healthy(f"http://127.0.0.1:{settings.server.port}/health", node, timeout_s)
    return node


def start_authority(
    authority_dir: Path, port: int | None = None, timeout_s: float = START_TIMEOUT_S
) -> RunningAuthority:
    """Create the authority in `authority_dir` if needed, serve its DID document, wait."""
    if not (authority_dir / "authority.toml").exists():
        init_authority(authority_dir, f"http://127.0.0.1:{port or free_port()}")
    settings = load_authority(authority_dir)
    log_path = authority_dir / LOG_FILE
    args = carbonspace_command("authority", "serve", str(authority_dir))
    process = _spawn(args, log_path, None)
    authority = RunningAuthority(
        process,
        log_path,
        did=settings.authority.did,
        url=settings.authority.url,
        authority_dir=authority_dir,
    )
    wait_healthy(f"{settings.authority.url}/health", authority, timeout_s)
    return authority


def add_credential_cli(node_dir: Path, vc_jwt: str) -> None:
    """`carbonspace credentials add` as a subprocess (the node may be running)."""
    vc_file = node_dir / f"vc-{abs(hash(vc_jwt))}.jwt"
    vc_file.write_text(vc_jwt, encoding="utf-8")
    subprocess.run(
        carbonspace_command("credentials", "add", str(node_dir), str(vc_file)),
        check=True,
        capture_output=True,
    )


def store_credentials(settings: Settings, vc_jwts: Sequence[str]) -> None:
    """Store credentials in a node that is not running yet, in this process: what
    `carbonspace credentials add` does, without paying a CLI start-up (~1.7 s) per credential."""

    async def store_all() -> None:
        for vc_jwt in vc_jwts:
            await add_credential(settings, vc_jwt)

    asyncio.run(store_all())


DEFAULT_CREDENTIALS = (MEMBERSHIP_CREDENTIAL, PCF_FRAMEWORK_CREDENTIAL)
NodeFactory = Callable[..., RunningNode]


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAuthority]:
    """A running data-space authority on a free loopback port, one per test session (worker):
    it only serves its DID document and signs credentials, so tests can share it."""
    running = start_authority(tmp_path_factory.mktemp("authority") / "authority")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def nodes(tmp_path: Path, authority: RunningAuthority) -> Iterator[NodeFactory]:
    """`nodes(name, credentials=(...), database_url="", extra=None)`: a started node that trusts
    the authority and holds the given credentials (default: membership + PCF framework)."""
    started: list[RunningNode] = []

    def factory(
        name: str,
        credentials: Sequence[str] = DEFAULT_CREDENTIALS,
        database_url: str = "",
        extra: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> RunningNode:
        settings = create_node(tmp_path, name, [authority.did], database_url, extra)
        vcs = [
            issue_credential(authority.authority_dir, settings.node.did, credential_type)
            for credential_type in credentials
        ]
        store_credentials(settings, vcs)
        node = start_node(settings.node_dir)
        started.append(node)
        return node

    try:
        yield factory
    finally:
        for node in reversed(started):
            node.stop()
