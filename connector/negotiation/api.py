"""Registers the negotiation processor with the work loop (the DSP routes live in connector.dsp;
the management routes in connector.management)."""

from __future__ import annotations

from connector.context import NodeContext
from connector.negotiation import NegotiationProcessor
from connector.work import register_processor


async def on_startup(context: NodeContext) -> None:
    register_processor(context, "negotiation", NegotiationProcessor())
