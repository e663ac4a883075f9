"""Files the store owns: the cache folder, content keys, checksums, atomic writes and bounded reads.

Example:
    >>> content_key(b"abc")
    '352441c2-3-0.1.0'
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import time
import zlib

from legkg import __version__
from legkg.core.errors import LegkgError

TYPE_CHECKING = False  # pathlib is loaded only where a Path is made: start-up stays light
if TYPE_CHECKING:
    from pathlib import Path

MAX_INPUT_MB = 256  # MiB an ontology file may hold unless LEGKG_MAX_INPUT_MB says otherwise
READ_SECONDS = 30.0  # how long a pipe, FIFO or device may take to deliver its whole content (LEGKG_READ_SECONDS)


def cache_dir() -> Path:
    """Where derived artefacts are kept: $LEGKG_CACHE_DIR, else the user cache folder."""
    from pathlib import Path

    env = os.environ.get("LEGKG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "legkg"


def cache_file(name: str) -> str:
    """The path of a file in :func:`cache_dir`, as a plain string (no pathlib on the start-up path).

    Example:
        >>> cache_file("x.nt") == str(cache_dir() / "x.nt")
        True
    """
    folder = os.environ.get("LEGKG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "legkg")
    return os.path.join(folder, name)


def content_key(*parts: bytes) -> str:
    """A short key for derived artefacts: CRC-32 and length of each part, and the version.

    Example:
        >>> content_key(b"abc")
        '352441c2-3-0.1.0'
    """
    return "_".join(f"{zlib.crc32(p):08x}-{len(p)}" for p in parts) + f"-{__version__}"


def checksum(data: bytes) -> str:
    """The check a cache file carries of its own content: its CRC-32, Adler-32 and length.

    64 bits of check and the length catch a file cut short, extended or changed by accident,
    as zip and gzip checks do, in a fraction of a millisecond and without a hash library. (A
    cache holds nothing secret, and whoever can write it could rewrite any digest too.)

    Example:
        >>> checksum(b"abc")
        '352441c2024d0127-3'
    """
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}-{len(data)}"


def seal(data: bytes, marker: str) -> bytes:
    """Append a marker line holding the content's check: ``# MARKER check=...``.

    Example:
        >>> unseal(seal(b"x\\n", "end"), "end")
        b'x\\n'
    """
    return data + f"# {marker} check={checksum(data)}\n".encode()


def unseal(blob: bytes, marker: str) -> bytes | None:
    """The content of a sealed blob, or None when its marker is missing or its check does not match."""
    cut = blob.rfind(f"# {marker} check=".encode())
    if cut < 0 or not blob.endswith(b"\n") or (cut and blob[cut - 1:cut] != b"\n"):
        return None
    data, tail = blob[:cut], blob[cut:].decode("ascii", "replace").strip()
    return data if tail.rsplit("=", 1)[-1] == checksum(data) else None


def _temp_prefix(name: str) -> str:
    return f".{name}.tmp-"


def clean_stale_temporaries(folder: Path, name: str) -> int:
    """Remove temporaries for ``name`` left by writers that died (their process id is gone)."""
    removed = 0
    import re

    pattern = re.compile(re.escape(_temp_prefix(name)) + r"(\d+)-\w+$")
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            m = pattern.match(entry.name)
            if m and not _alive(int(m.group(1))):
                with contextlib.suppress(OSError):
                    entry.unlink()
                    removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part.

    A device, FIFO or socket (``/dev/null``, ``/dev/stdout``) is written directly, never
    replaced; a symlink's target is replaced, not the link; an existing file keeps its mode.
    """
    import tempfile
    from pathlib import Path

    path = Path(path)
    try:
        if path.is_symlink():
            path = path.resolve()
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        with open(path, "wb") as f:
            f.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temporaries(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{_temp_prefix(path.name)}{os.getpid()}-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; give the usual permissions
        else:
            os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def max_input() -> int:
    """Bytes an ontology file may hold: ``$LEGKG_MAX_INPUT_MB`` MiB, else 256 MiB."""
    try:
        return int(os.environ.get("LEGKG_MAX_INPUT_MB", MAX_INPUT_MB)) << 20
    except ValueError:
        return MAX_INPUT_MB << 20


def read_input(path: Path | int, what: str, limit: int | None = None, seconds: float | None = None) -> bytes:
    """Read a whole file, pipe or device, refusing more than ``limit`` bytes or more than ``seconds``.

    ``path`` may be an open file descriptor (stdin). A FIFO with no writer reads as empty.

    Example:
        >>> read_input("/dev/null", "query file")
        b''
    """
    from_env = limit is None
    limit = max_input() if limit is None else limit
    name = "stdin" if path == 0 else f"<fd {path}>" if isinstance(path, int) else str(path)
    if seconds is None:
        try:
            seconds = float(os.environ.get("LEGKG_READ_SECONDS", READ_SECONDS))
        except ValueError:
            seconds = READ_SECONDS
    try:
        fd = path if isinstance(path, int) else os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise LegkgError(f"cannot read {what} {name}: {e.strerror or e}") from None
    try:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise LegkgError(f"cannot read {what} {name}: it is a folder")
        chunks, size, deadline = [], 0, time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise LegkgError(f"{what} {name} did not arrive whole within {seconds:g} s")
            try:
                chunk = os.read(fd, 1 << 20)
            except BlockingIOError:
                continue
            except OSError as e:
                raise LegkgError(f"cannot read {what} {name}: {e.strerror or e}") from None
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                why = " (the limit, set by LEGKG_MAX_INPUT_MB)" if from_env else ""
                raise LegkgError(f"{what} {name} is over {limit >> 20} MiB{why}; refused")
            chunks.append(chunk)
    finally:
        if not isinstance(path, int):
            os.close(fd)
