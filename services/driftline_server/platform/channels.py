"""gRPC channels from one service to another, authenticated with the internal credential, over
TLS when the suite is configured for it (platform/tls.py)."""

from __future__ import annotations

import grpc

from driftline_server.platform import tls
from driftline_server.platform.config import Settings


class ServiceChannels:
    """Channels to the suite's services, one per address, opened on first use.

    In the embedded mode every service is reached at this process's own address, so a call
    between services takes the same path as in a deployment of one process per service.
    """

    def __init__(self, settings: Settings, options: list[tuple[str, object]]):
        self._settings = settings
        self._options = options
        self._own_address: str | None = None
        self._channels: dict[str, grpc.aio.Channel] = {}

    def bind(self, own_address: str) -> None:
        self._own_address = own_address

    @property
    def own_address(self) -> str:
        """host:port of this process's server, once bound."""
        if self._own_address is None:
            raise RuntimeError("ServiceChannels used before the server bound its port")
        return self._own_address

    def channel(self, service: str) -> grpc.aio.Channel:
        if self._own_address is None:
            raise RuntimeError("ServiceChannels used before the server bound its port")
        return self._open(self._settings.address_of(service, self._own_address))

    def own_channel(self) -> grpc.aio.Channel:
        """The channel to this process's own server."""
        return self._open(self.own_address)

    def _open(self, address: str) -> grpc.aio.Channel:
        if address not in self._channels:
            self._channels[address] = tls.open_channel(
                address, self._settings, self._options, own=address == self._own_address,
                aio=True,
            )
        return self._channels[address]

    def metadata(self) -> tuple[tuple[str, str], ...]:
        """Call metadata carrying the internal credential."""
        return (("authorization", f"Bearer {self._settings.internal_token}"),)

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()
        self._channels.clear()
