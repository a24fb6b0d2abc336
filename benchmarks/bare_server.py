"""The floor for RPC benchmarks: a bare grpc.aio server that echoes bytes, no interceptors,
no authentication, no database. Prints its port on stdout once serving."""

import asyncio
import sys

import grpc


async def echo(request: bytes, context) -> bytes:
    return request


async def main() -> None:
    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(
            "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(echo)}),)
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(port, flush=True)
    await server.wait_for_termination()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
