"""HTTP for the follower: outbound GETs only, with the standard library.

``get`` fetches a small file (the manifest, with If-None-Match; its signature);
``download`` fetches a snapshot into a ``.part`` file, resuming with a Range request when
an earlier try was cut, and gives up (keeping what it has) at a deadline, so a very slow
server cannot hold the follower for ever. Every failure is a ``ChannelError`` whose one
line names the URL and what happened.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk import __version__
from kiosk.fleet.manifest import ChannelError

USER_AGENT = f"danang-kiosk/{__version__}"
CHUNK = 1 << 16


@dataclass(frozen=True)
class Response:
    status: int  # 200, or 304 (not modified)
    body: bytes
    etag: str


def _reason(url: str, error: BaseException) -> ChannelError:
    if isinstance(error, urllib.error.HTTPError):
        return ChannelError(f"{url}: HTTP {error.code} {error.reason}")
    if isinstance(error, urllib.error.URLError):
        error = error.reason if isinstance(error.reason, BaseException) else error
    if isinstance(error, TimeoutError | socket.timeout):
        return ChannelError(f"{url}: no answer in time (server too slow or unreachable)")
    if isinstance(error, ConnectionRefusedError):
        return ChannelError(f"{url}: connection refused (is the web server running?)")
    if isinstance(error, socket.gaierror):
        return ChannelError(f"{url}: unknown host ({error.strerror})")
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return ChannelError(f"{url}: {text}")


def get(url: str, *, etag: str = "", timeout_s: float = 20.0, max_bytes: int = 1 << 20) -> Response:
    """GET a small file; 304 when ``etag`` still matches."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if etag:
        request.add_header("If-None-Match", etag)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as reply:
            body = reply.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise ChannelError(f"{url}: larger than {max_bytes} bytes; not a channel file")
            return Response(reply.status, body, reply.headers.get("ETag", ""))
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Response(304, b"", error.headers.get("ETag", "") or etag)
        raise _reason(url, error) from None
    except ChannelError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise _reason(url, error) from None


def download(
    url: str,
    part: Path,
    size: int,
    *,
    timeout_s: float = 20.0,
    deadline_s: float = 600.0,
    clock: Callable[[], float] = time.monotonic,
    write: Callable[[object, bytes], object] | None = None,
) -> int:
    """Complete ``part`` to ``size`` bytes from ``url``; return the bytes fetched now.

    What ``part`` already holds is kept and the rest asked for with Range (a server that
    ignores Range sends the whole file, which then starts over). ``write`` is how a chunk
    reaches the file (tests put a full disk there).
    """
    write = write or (lambda handle, chunk: handle.write(chunk))
    have = part.stat().st_size if part.exists() else 0
    if have > size:
        part.unlink()
        have = 0
    if have == size:
        return 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if have:
        request.add_header("Range", f"bytes={have}-")
    started, fetched = clock(), 0
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as reply:
            if have and reply.status != 206:
                have = 0  # no Range support: the whole file comes again
            with open(part, "r+b" if have else "wb") as handle:
                handle.seek(have)
                handle.truncate()
                while have < size:
                    chunk = reply.read(min(CHUNK, size - have))
                    if not chunk:
                        raise ChannelError(
                            f"{url}: transfer cut at {have} of {size} bytes; "
                            "the rest is fetched next time"
                        )
                    try:
                        write(handle, chunk)
                    except OSError as error:
                        raise ChannelError(
                            f"{part}: cannot write the download ({error.strerror or error}); "
                            "free some disk space"
                        ) from None
                    have += len(chunk)
                    fetched += len(chunk)
                    if have < size and clock() - started > deadline_s:
                        raise ChannelError(
                            f"{url}: too slow ({have} of {size} bytes in {deadline_s:g} s); "
                            "the rest is fetched next time"
                        )
                if reply.read(1):
                    part.unlink()
                    raise ChannelError(f"{url}: longer than the manifest's {size} bytes")
    except ChannelError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise _reason(url, error) from None
    return fetched
