"""The floors of the RPC and data benchmarks: a bare grpc.aio server, no interceptors, no
authentication, no database, no disk, with the same 64 MiB message limit as Driftline's server.

- bench.Bare/Echo (unary) answers the bytes it gets;
- bench.Bare/Upload (client-streaming) discards the chunks it gets and answers their count;
- bench.Bare/Download (server-streaming) sends a requested number of bytes in chunks of a
  requested size.

Prints its port on stdout once serving."""

import asyncio
import struct
import sys

import grpc

MAX_MESSAGE = 64 * 1024 * 1024


async def echo(request: bytes, context) -> bytes:
    return request


async def upload(request_iterator, context) -> bytes:
    received = 0
    async for chunk in request_iterator:
        received += len(chunk)
    return struct.pack("<q", received)


async def download(request: bytes, context):
    """``request``: total bytes and chunk size, two little-endian int64."""
    total, chunk_bytes = struct.unpack("<qq", request)
    chunk = b"\x00" * chunk_bytes
    sent = 0
    while sent < total:
        piece = chunk if total - sent >= chunk_bytes else chunk[: total - sent]
        sent += len(piece)
        yield piece


async def main() -> None:
    server = grpc.aio.server(options=[("grpc.max_send_message_length", MAX_MESSAGE),
                                      ("grpc.max_receive_message_length", MAX_MESSAGE)])
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler("bench.Bare", {
            "Echo": grpc.unary_unary_rpc_method_handler(echo),
            "Upload": grpc.stream_unary_rpc_method_handler(upload),
            "Download": grpc.unary_stream_rpc_method_handler(download),
        }),
    ))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(port, flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
