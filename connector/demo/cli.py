"""`carbonspace demo [--keep-running] [--base-port N] [--dir DIR]` (issue 7, item 5): the whole
multi-company story on loopback with embedded SQLite and no other service; exit code 0 when
every step and check passed."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from connector.demo._companies import COMPANIES, DEFAULT_BASE_PORT
from connector.demo._run import DemoFailed, run_demo
from connector.demo._world import port_free

err = Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        keep_running: Annotated[
            bool,
            typer.Option(
                "--keep-running", help="Leave the nodes up; print their URLs and API keys"
            ),
        ] = False,
        base_port: Annotated[
            int, typer.Option(help="Authority on this port, the companies on the next four")
        ] = DEFAULT_BASE_PORT,
        directory: Annotated[
            Path | None,
            typer.Option("--dir", help="Where the nodes live (default: a new temporary directory)"),
        ] = None,
    ) -> None:
        """Run a Korean export chain of four companies and watch footprints flow upstream."""
        busy = [p for p in range(base_port, base_port + len(COMPANIES) + 1) if not port_free(p)]
        if busy:
            raise _fail(
                f"--base-port: port(s) {', '.join(map(str, busy))} in use on "
                "127.0.0.1; choose another base port"
            )
        scratch = directory is None
        base_dir = Path(tempfile.mkdtemp(prefix="carbonspace-demo-")) if scratch else directory
        assert base_dir is not None
        if not scratch and base_dir.exists() and any(base_dir.iterdir()):
            raise _fail(f"--dir: {base_dir} is not empty")
        logging.getLogger().setLevel(logging.ERROR)
        try:
            asyncio.run(run_demo(Console(), base_dir, base_port, keep_running))
        except DemoFailed as exc:
            raise _fail(str(exc), 1) from None
        except KeyboardInterrupt:
            pass
        finally:
            if scratch and not keep_running:
                shutil.rmtree(base_dir, ignore_errors=True)
