"""BulkConnection: whole data frames reach the sink in order, in bulk; control frames still work."""

from __future__ import annotations

import asyncio

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from hkdesk.feed.bulk_connection import BulkConnection


async def _serve(handler):
    return await serve(handler, "127.0.0.1", 0, compression=None)


async def test_frames_fragments_and_early_frames_arrive_in_order():
    async def handler(ws):
        await ws.send("early")  # may arrive with the handshake response, before attach()
        await ws.send(["frag", "mented"])  # one message in three frames (two + a final empty one)
        await ws.send(b"\x00binary")
        for i in range(3000):
            await ws.send(f'{{"n":{i}}}')
        await ws.wait_closed()

    async with await _serve(handler) as server:
        port = server.sockets[0].getsockname()[1]
        ws = await connect(f"ws://127.0.0.1:{port}", create_connection=BulkConnection, ping_interval=None)
        await asyncio.sleep(0.05)
        batches: list[list[bytes]] = []
        ws.attach(batches.append)
        for _ in range(200):
            if sum(map(len, batches)) >= 3003:
                break
            await asyncio.sleep(0.01)
        frames = [bytes(f) for batch in batches for f in batch]
        assert frames[:3] == [b"early", b"fragmented", b"\x00binary"]
        assert frames[3:] == [f'{{"n":{i}}}'.encode() for i in range(3000)]
        assert len(batches) < len(frames) / 10, "frames should be handed on in bulk"
        latency = await ws.ping()
        assert await latency >= 0
        await ws.close()
        assert ws.protocol.close_exc.rcvd.code == 1000


async def test_server_close_is_reported_with_its_code():
    async def handler(ws):
        await ws.send("last words")
        await ws.close(4001, "bye")

    async with await _serve(handler) as server:
        port = server.sockets[0].getsockname()[1]
        ws = await connect(f"ws://127.0.0.1:{port}", create_connection=BulkConnection, ping_interval=None)
        got: list[bytes] = []
        ws.attach(got.extend)
        await asyncio.wait_for(ws.wait_closed(), 5)
        assert got == [b"last words"]
        exc = ws.protocol.close_exc
        assert (exc.rcvd.code, exc.rcvd.reason) == (4001, "bye")
