"""Registers the transfer processor with the work loop (DSP routes: connector.dsp)."""

from __future__ import annotations

from connector.context import NodeContext
from connector.transfer import TransferProcessor
from connector.work import register_processor


async def on_startup(context: NodeContext) -> None:
    register_processor(context, "transfer", TransferProcessor())
