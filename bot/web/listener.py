"""An aiohttp application listening on one address, started and stopped by the runner."""

from __future__ import annotations

from aiohttp import web


class Listener:
    """Serves `app` once started; the webhook and the health server are each one."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.port: int | None = None
        self._runner: web.AppRunner | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen; the port actually bound (port 0 picks a free one)."""
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server  # aiohttp keeps the listening sockets here
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else port
        return self.port

    async def close(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
