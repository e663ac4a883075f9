"""Write every page as a file, with the release files, for any static host (no server needed).

Links between pages are relative, so the folder can be opened from disk or put
anywhere on a web server. The canned queries without parameters are answered in
advance; the others and the SPARQL editor need ``legkg serve``.

Example:
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> pages = write_site(out)
    >>> (out / "legkg" / "Sciatica.html").is_file()
    True
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from legkg.core.errors import LegkgError
from legkg.publish.web.app import Site
from legkg.publish.web.common import ONTOLOGY_NAME

Progress = Callable[[str], None]


def write_site(output: Path, ontology: Path | None = None, progress: Progress | None = None) -> list[Path]:
    """Write the site into ``output`` (replaced whole, atomically); return the files written."""
    say = progress or (lambda m: None)
    site = Site(ontology, static=True)
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise LegkgError(f"{output} exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / "legkg" / f"{ONTOLOGY_NAME}.html").is_file():
        raise LegkgError(f"{output} is a folder with other files in it; give a new or empty folder, or an "
                         "earlier site to replace")
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.new-"))
    written = []
    try:
        paths = site.paths()
        say(f"writing {len(paths)} pages ...")
        with ThreadPoolExecutor(max_workers=8) as pool:  # pages wait mostly on Graphviz, which runs beside Python
            answers = pool.map(lambda path: (path, site.handle("GET", path, "", {})), paths)
            for path, answer in answers:
                if answer is None or answer[0] != 200:
                    raise LegkgError(f"cannot render {path}: {answer[0] if answer else 'no such page'}")
                target = tmp / path.lstrip("/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(answer[2])
                written.append(output / path.lstrip("/"))
        if site.release_file is not None:
            release = site.release_file.parent
            (tmp / "release").mkdir()
            for f in sorted(release.iterdir()):
                if f.is_file():
                    shutil.copy2(f, tmp / "release" / f.name)
                    written.append(output / "release" / f.name)
        tmp.chmod(0o755)
        old = None
        if output.exists():
            old = output.parent / f".{output.name}.old-{tmp.name.rsplit('-', 1)[-1]}"
            output.rename(old)
        tmp.rename(output)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return written
