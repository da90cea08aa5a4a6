"""PTB's networking on aiohttp instead of httpx: the same Bot API calls for less CPU.

Under load the bot is CPU-bound on one core, and sending is most of its work: httpx and
httpcore (pure Python) spent about 1 ms of CPU per call in the load benchmark. aiohttp
(already here for the webhook server) parses HTTP in C. python-telegram-bot supports this
officially: BaseRequest is its interface for another networking backend; status codes,
error mapping from Telegram's answers and JSON decoding stay PTB's own.
"""

from __future__ import annotations

from urllib.parse import urlencode

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import JSONDict, ODVInput, UploadFileDict
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.web.pressed import drop_pressed_keyboards, drop_sent_extras

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# PTB's own HTTPXRequest defaults, so behaviour matches it where no call says otherwise.
POOL_SIZE = 256
READ_TIMEOUT = CONNECT_TIMEOUT = WRITE_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0
MEDIA_WRITE_TIMEOUT = 20.0


class AiohttpRequest(BaseRequest):
    """A BaseRequest on one aiohttp ClientSession with a pool of keep-alive connections."""

    __slots__ = ("_pool_size", "_read_timeout", "_session")

    def __init__(self, pool_size: int = POOL_SIZE,
                 read_timeout: float | None = READ_TIMEOUT) -> None:
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call does not give one."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the session (in the running event loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size)
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the call; the status code and the raw body, for PTB to interpret."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data is not None else None
        timeout = aiohttp.ClientTimeout(
            # aiohttp has no separate write timeout: the whole call is bounded instead.
            total=_total(read_timeout, write_timeout, connect_timeout, pool_timeout,
                         media=bool(files), default_read=self._read_timeout),
            sock_connect=_value(connect_timeout, CONNECT_TIMEOUT),
            sock_read=_value(read_timeout, self._read_timeout))
        body = _body(request_data, files)
        headers = _FORM if isinstance(body, bytes) else None
        try:
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {exc}") from exc


def _value(given: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(given, DefaultValue) else given


def _total(read: ODVInput[float], write: ODVInput[float], connect: ODVInput[float],
           pool: ODVInput[float], *, media: bool, default_read: float | None) -> float | None:
    """The longest a whole call may take: each phase's limit added up (None: no limit)."""
    parts = (_value(pool, POOL_TIMEOUT), _value(connect, CONNECT_TIMEOUT),
             _value(write, MEDIA_WRITE_TIMEOUT if media else WRITE_TIMEOUT),
             _value(read, default_read))
    if any(part is None for part in parts):
        return None
    return sum(part for part in parts if part is not None)


def _body(request_data: RequestData | None,
          files: UploadFileDict | None) -> aiohttp.FormData | bytes | None:
    """Form fields as PTB sends them: url-encoded, or multipart when there are files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        # Encoded here: given a dict, aiohttp builds a FormData, and with it a multipart
        # writer and a random boundary, for every call (a visible part of a send's CPU).
        return urlencode(fields).encode()
    # Names as UTF-8, like httpx and browsers; aiohttp would percent-encode them otherwise.
    form = aiohttp.FormData(fields, quote_fields=False)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


class UpdatesRequest(AiohttpRequest):
    """The getUpdates connection: pressed messages' keyboards are dropped before PTB reads
    the updates (drop_pressed_keyboards)."""

    __slots__ = ()

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """PTB's parsing (its documented hook for this), then drop_pressed_keyboards."""
        parsed = AiohttpRequest.parse_json_payload(payload)
        result = parsed.get("result")
        if isinstance(result, list):
            for update in result:
                drop_pressed_keyboards(update)
        return parsed



class SendRequest(AiohttpRequest):
    """The connection for calls the bot makes: a sent message is read back without its
    keyboard and formatting (drop_sent_extras); its id and text stay."""

    __slots__ = ()

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """PTB's parsing (its documented hook for this), then drop_sent_extras."""
        parsed = AiohttpRequest.parse_json_payload(payload)
        drop_sent_extras(parsed.get("result"))
        return parsed
