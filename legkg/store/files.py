"""Files the store owns: the cache folder, content keys of derived data, and atomic writes.

Example:
    >>> content_key(b"abc")
    '352441c2-3-0.1.0'
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from legkg import __version__


def cache_dir() -> Path:
    """Where derived artefacts are kept: $LEGKG_CACHE_DIR, else the user cache folder."""
    env = os.environ.get("LEGKG_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "legkg"


def content_key(*parts: bytes) -> str:
    """A short key for derived artefacts: CRC-32 and length of each part, and the version.

    Example:
        >>> content_key(b"abc")
        '352441c2-3-0.1.0'
    """
    return "_".join(f"{zlib.crc32(p):08x}-{len(p)}" for p in parts) + f"-{__version__}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file so that readers see the old content or the new, never a part."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600 files; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


