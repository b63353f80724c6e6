"""The language server's wire: framing, input, and an ``initialize`` answered before pygls loads.

Importing pygls costs about 0.25 s, most of it ``lsprotocol.types`` (one
class per LSP structure, built at import time); an editor waits for the
``initialize`` answer before it sends anything else. So ``debt-lints lsp``
answers ``initialize`` from here (JSON and the standard library only), with
the capabilities the server registers, and loads the server meanwhile
(:func:`serve_stdio`). The server then handles ``initialize`` too, as if it
came first (it sets up its workspace and options from it), and its answer,
already given, is dropped. ``tests/test_lsp_editing.py`` checks that both
answers agree for the clients' capability sets.

The reader also tells the server whether more input is waiting
(:meth:`InputReader.pending`): a burst of edits is read before any of them
is checked, so it costs one check (:mod:`debt_lints.adapters.lsp`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

if TYPE_CHECKING:
    import asyncio

# asyncio, threading and select are imported after ``initialize`` is answered:
# asyncio alone costs about 20 ms, a seventh of what an editor waits for.

LOG = logging.getLogger("debt_lints.adapters.lsp")

#: ``Content-Length: N`` anywhere on a header line: after a message whose
#: header was bad, its body runs into the next header line, which must count.
_LENGTH_RE = re.compile(rb"content-length[ \t]*:[ \t]*([^\r\n]*)", re.IGNORECASE)
#: Larger bodies are refused unread (a buffer over max-file-size is not checked anyway).
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
#: What a read from standard input asks for at most.
CHUNK = 1 << 16


def content_length(line: bytes) -> int | None:
    """The length a header line announces, or ``None`` (no such header, or a bad value)."""
    match = _LENGTH_RE.search(line)
    if match is None:
        return None
    value = match.group(1).strip()
    if not value.isdigit() or int(value) > MAX_MESSAGE_BYTES:
        LOG.warning("ignoring a message with a bad header: %r", line[:200])
        return -1
    return int(value)


class InputReader:
    """Standard input, read by a daemon thread into a buffer the event loop consumes.

    A daemon thread (not an executor's) so that a client that never closes
    the pipe cannot keep the process alive after ``exit``.
    """

    def __init__(
        self, stream: BinaryIO | int, loop: asyncio.AbstractEventLoop, start: bytes = b""
    ) -> None:
        import asyncio
        import threading

        self._fd = stream if isinstance(stream, int) else stream.fileno()
        self._loop = loop
        #: ``start``: what was read before the loop ran (the ``initialize`` request's tail).
        self._buffer = bytearray(start)
        self._eof = False
        self._wakeup = asyncio.Event()
        #: Bytes read by the thread whose hand-over to the loop has not run yet.
        self._in_flight = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._run, name="debt-lints-stdin", daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                chunk = os.read(self._fd, CHUNK)
            except OSError:
                chunk = b""
            with self._lock:
                self._in_flight += len(chunk)
            try:
                self._loop.call_soon_threadsafe(self._arrived, chunk)
            except RuntimeError:  # the loop is closed: the server is gone
                return
            if not chunk:
                return

    def _arrived(self, chunk: bytes) -> None:
        with self._lock:
            self._in_flight -= len(chunk)
        if chunk:
            self._buffer += chunk
        else:
            self._eof = True
        self._wakeup.set()

    def pending(self) -> bool:
        """Whether input is waiting: read and not yet handled, or not yet read."""
        if self._buffer or self._in_flight:
            return True
        import select

        try:
            readable, _, _ = select.select([self._fd], [], [], 0)
        except (OSError, ValueError):
            return False
        return bool(readable) and not self._eof

    async def _fill(self) -> bool:
        """Wait for more input; ``False`` at end of input."""
        if self._eof:
            return False
        self._wakeup.clear()
        await self._wakeup.wait()
        return True

    async def readline(self) -> bytes:
        """One line with its ending (``b""`` at end of input; the rest, if unterminated)."""
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[: end + 1])
                del self._buffer[: end + 1]
                return line
            if not await self._fill():
                line = bytes(self._buffer)
                self._buffer.clear()
                return line

    async def readexactly(self, count: int) -> bytes:
        """``count`` bytes (fewer at end of input)."""
        while len(self._buffer) < count:
            if not await self._fill():
                break
        data = bytes(self._buffer[:count])
        del self._buffer[:count]
        return data


async def read_bodies(stop: Any, reader: Any, handle: Callable[[bytes], None]) -> None:
    """Read LSP message bodies until end of input or ``stop``, tolerating bad framing.

    Header lines may end with CRLF or a bare LF; a header block with a bad or
    missing ``Content-Length`` is skipped (with a warning in the log) and
    reading resumes at the next header, so one malformed message costs that
    message only, never the connection.
    """
    length: int | None = None
    while not stop.is_set():
        line = await reader.readline()
        if not line:
            break
        if not line.strip():
            if length is None or length < 0:
                length = None
                continue  # a blank line with no usable header: resynchronise
            body = await reader.readexactly(length) if length else b""
            length = None
            handle(body)
            continue
        announced = content_length(line)
        if announced is not None:
            length = announced


def frame(message: Mapping[str, object]) -> bytes:
    """A message with its ``Content-Length`` header, as pygls writes them."""
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


#: The position encodings the server can speak, as pygls chooses among them.
_ENCODINGS = ("utf-8", "utf-16", "utf-32")


def _get(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, Mapping):
            return None
        data = data.get(key)
    return data


def initialize_result(params: Mapping[str, object], name: str, version: str) -> dict[str, object]:
    """The ``initialize`` answer the server gives (see the module docstring).

    The features it registers: open, change (incremental) and save
    notifications, quick fixes and "fix all" code actions, resolved lazily.
    The position encoding is the client's first that pygls speaks, else UTF-16.
    """
    capabilities = params.get("capabilities")
    encodings = _get(capabilities, "general", "positionEncodings")
    encoding = "utf-16"
    if isinstance(encodings, list):
        encoding = next((e for e in encodings if e in _ENCODINGS), "utf-16")
    sync: dict[str, object] = {"openClose": True, "change": 2}
    # pygls answers "false" for what the client offers and the server does not use.
    for client_key, key in (("willSave", "willSave"), ("willSaveWaitUntil", "willSaveWaitUntil")):
        if _get(capabilities, "textDocument", "synchronization", client_key):
            sync[key] = False
    sync["save"] = True
    return {
        "capabilities": {
            "positionEncoding": encoding,
            "textDocumentSync": sync,
            "codeActionProvider": {
                "codeActionKinds": ["quickfix", "source.fixAll"],
                "resolveProvider": True,
            },
            "executeCommandProvider": {"commands": []},
            "workspace": {
                "workspaceFolders": {"supported": True, "changeNotifications": True},
                "fileOperations": {},
            },
        },
        "serverInfo": {"name": name, "version": version},
    }


class Engine(Protocol):
    """The loaded server, as :func:`serve_stdio` drives it."""

    def attach(self, write: Callable[[bytes], None], pending: Callable[[], bool]) -> None:
        """Where to write messages, and how to tell that input is waiting."""

    def handle(self, body: bytes) -> None:
        """Handle one message body (raises ``SystemExit`` on ``exit``)."""

    def close(self) -> None:
        """Shut down (end of input, or ``exit``)."""


class _Writer:
    """Standard output, dropping the server's own answer to an ``initialize`` already answered."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        #: ``(id, result)`` of the answer given early, until the server's arrives.
        self.answered: tuple[object, object] | None = None
        #: Set when the server's answer differed from the early one (a bug).
        self.mismatch: object = None

    def write(self, data: bytes) -> None:
        if self.answered is not None and self._is_the_answer(data):
            return
        self.stream.write(data)
        self.stream.flush()

    def _is_the_answer(self, data: bytes) -> bool:
        assert self.answered is not None
        _, _, body = data.partition(b"\r\n\r\n")
        try:
            message = json.loads(body)
        except ValueError:
            return False
        if not isinstance(message, dict) or "method" in message:
            return False
        wanted, result = self.answered
        if message.get("id") != wanted:
            return False
        self.answered = None
        if message.get("result") != result:
            self.mismatch = message.get("result")
            LOG.error("initialize answered %r, but the server computes %r", result, self.mismatch)
        return True


def _first_message(fd: int) -> tuple[bytes | None, bytes]:
    """Read, blocking, until the first whole message: ``(its body, every byte read)``.

    ``None`` for the body when input ends or the framing is not one the early
    answer should guess at (the server then reads it all again, as usual).
    """
    data = bytearray()
    while True:
        head, sep, rest = data.partition(b"\r\n\r\n")
        if not sep:
            head, sep, rest = data.partition(b"\n\n")
        if sep:
            lengths = [content_length(bytes(line)) for line in head.splitlines()]
            length = next((n for n in lengths if n is not None), None)
            if length is None or length < 0:
                return None, bytes(data)
            if len(rest) >= length:
                return bytes(rest[:length]), bytes(data)
        try:
            chunk = os.read(fd, CHUNK)
        except OSError:
            chunk = b""
        if not chunk:
            return None, bytes(data)
        data += chunk
        if len(data) > MAX_MESSAGE_BYTES:
            return None, bytes(data)


def serve_stdio(
    load: Callable[[], Engine],
    name: str,
    version: str,
    *,
    stdin: BinaryIO | int | None = None,
    stdout: BinaryIO | None = None,
    eager: bool = False,
) -> int:
    """Serve LSP on standard input and output; returns the exit status.

    ``load`` imports and builds the server: it runs in a thread, started
    once ``initialize`` is answered (early, here, before asyncio is even
    imported: see the module docstring), or at once with ``eager`` (the
    server then answers ``initialize`` itself). Messages that arrive while it
    loads wait, in order. An exception from ``load`` (pygls missing) is
    raised here when input ends.
    """
    source = stdin if stdin is not None else sys.stdin.buffer
    fd = source if isinstance(source, int) else source.fileno()
    writer = _Writer(stdout or sys.stdout.buffer)
    consumed = b""
    if not eager:
        body, consumed = _first_message(fd)
        answer = _early_answer(body, name, version) if body is not None else None
        if answer is not None:
            writer.write(frame(answer))
            writer.answered = (answer["id"], answer["result"])
    return _serve(load, fd, consumed, writer)


def _serve(load: Callable[[], Engine], fd: int, consumed: bytes, writer: _Writer) -> int:
    import asyncio
    import threading

    stop = threading.Event()
    state: dict[str, Any] = {"engine": None, "error": None, "status": 0}
    waiting: list[bytes] = []

    async def main() -> None:
        loop = asyncio.get_running_loop()
        reader = InputReader(fd, loop, consumed)
        loaded = asyncio.Event()
        stopped = asyncio.Event()

        def boot() -> None:
            try:
                engine = load()
            except BaseException as exc:  # re-raised in the caller's thread
                state["error"] = exc
                loop.call_soon_threadsafe(loaded.set)
                return
            loop.call_soon_threadsafe(ready, engine)

        def ready(engine: Engine) -> None:
            engine.attach(writer.write, reader.pending)
            state["engine"] = engine
            try:
                while waiting:
                    engine.handle(waiting.pop(0))
            except SystemExit as exc:
                finish(exc)
            loaded.set()

        def finish(exc: SystemExit) -> None:
            state["status"] = exc.code if isinstance(exc.code, int) else 0
            stop.set()
            stopped.set()

        def handle(body: bytes) -> None:
            engine = state["engine"]
            if engine is None:
                waiting.append(body)
                return
            try:
                engine.handle(body)
            except SystemExit as exc:
                finish(exc)

        threading.Thread(target=boot, name="debt-lints-load", daemon=True).start()
        reading = asyncio.ensure_future(read_bodies(stop, reader, handle))
        stopping = asyncio.ensure_future(stopped.wait())
        await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not stop.is_set():
            await loaded.wait()  # end of input: still report a server that cannot load
            stop.set()
        reading.cancel()
        stopping.cancel()

    try:
        asyncio.run(main())
    except BrokenPipeError:
        LOG.error("the client went away; shutting down")
    except KeyboardInterrupt:
        pass
    engine = state["engine"]
    if engine is not None:
        engine.close()
    if state["error"] is not None:
        raise state["error"]
    return int(state["status"])


def _early_answer(body: bytes, name: str, version: str) -> dict[str, Any] | None:
    """The answer to an ``initialize`` request in ``body``; ``None`` for anything else."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("method") != "initialize":
        return None
    params = message.get("params")
    msg_id = message.get("id")
    if not isinstance(params, dict) or not isinstance(msg_id, (int, str)):
        return None  # the server answers what it makes of it
    if not isinstance(params.get("capabilities", {}), dict):
        return None
    return {"jsonrpc": "2.0", "id": msg_id, "result": initialize_result(params, name, version)}
