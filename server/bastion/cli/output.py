"""Where `bastion check` writes its report: standard output, or `-o PATH`.

A regular file is written atomically: a temporary file in the same folder, renamed over the
target, with an existing target's mode (and, where allowed, owner) kept. The report is never
written through a symbolic link (a repository can plant `report.sarif -> ~/.bashrc`), over a file
with other hard links, or over a file being scanned. Devices and FIFOs (`/dev/null`, a pipe from
`>(gzip)`) and the process's own streams (`/dev/stdout`, `/dev/fd/N`) are written in place.

Every refusal or failure is an OutputError that says what and why; the command exits 2 (1 means
findings).
"""

from __future__ import annotations

import os
import stat as stat_module
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from bastion import attrs_classes
from bastion.deferred_patterns import deferred
from bastion.report.escape import escape_control

# The process's own descriptors: where the shell sent them, not a file of the repository.
_OWN_STREAMS = deferred(r"^/(dev/(stdout|stderr|fd/\d+)|proc/self/fd/\d+)$")
_FLAGS = os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)


class OutputError(Exception):
    """The report cannot be written where asked; the message says why."""


@attrs_classes.frozen
class ReportTarget:
    path: Path | None  # None: standard output
    in_place: bool = False  # a device, a FIFO, /dev/stdout: opened and written, not replaced
    existing: os.stat_result | None = None  # the regular file the report replaces

    @classmethod
    def check(cls, path: Path | None) -> ReportTarget:
        """The target for `-o PATH` (None: standard output), checked before any analysis."""
        if path is None:
            if sys.stdout is None:
                raise OutputError("standard output is closed; give -o FILE for the report")
            return cls(None)
        if _OWN_STREAMS().match(os.path.abspath(path)):
            return cls(path, in_place=True)
        try:
            stat = os.lstat(path)
        except FileNotFoundError:
            folder = Path(os.path.abspath(path)).parent
            if not folder.is_dir():
                raise OutputError(f"{path}: cannot write the report: folder {folder} does not "
                                  "exist") from None
            return cls(path)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write the report ({exc.strerror})") from None
        if stat_module.S_ISLNK(stat.st_mode):
            target = escape_control(os.readlink(path))  # the repository's text: escaped
            raise OutputError(f"{path}: refusing to write the report through a symbolic link "
                              f"(to {target}); give the path of the file itself")
        if stat_module.S_ISDIR(stat.st_mode):
            raise OutputError(f"{path}: cannot write the report: it is a folder; give a file name")
        if not stat_module.S_ISREG(stat.st_mode):
            return cls(path, in_place=True)
        if stat.st_nlink > 1:
            raise OutputError(f"{path}: refusing to replace a file that has {stat.st_nlink} hard "
                              "links (the other names would keep the old content); remove it "
                              "or give another name")
        return cls(path, existing=stat)

    def _is_target(self, path: str | os.PathLike) -> bool:
        """Whether `path` is the existing file the report will replace."""
        if self.existing is None:
            return False
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return (stat.st_dev, stat.st_ino) == (self.existing.st_dev, self.existing.st_ino)

    def refuse_scanned(self, paths: Iterable[str]) -> None:
        """OutputError when the target is one of the files analysed: the report would replace
        the code."""
        for path in paths:
            if self._is_target(path):
                raise OutputError(f"{self.path}: refusing to write the report over a file that "
                                  f"is being scanned ({path})")

    def write(self, produce: Callable[[TextIO], None]) -> None:
        """Call `produce` with the stream of the target; OutputError when writing fails."""
        if self.path is None:
            _write_stdout(produce)
        elif self.in_place:
            self._write_in_place(produce)
        else:
            self._write_atomic(produce)

    def _write_in_place(self, produce: Callable[[TextIO], None]) -> None:
        try:
            with open(os.open(self.path, _FLAGS | os.O_TRUNC), "w", encoding="utf-8") as out:
                produce(out)
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write the report ({exc.strerror})") from None

    def _write_atomic(self, produce: Callable[[TextIO], None]) -> None:
        folder, name = os.path.split(os.path.abspath(self.path))
        import secrets  # only for -o (hmac and random: not worth a start-up)

        temporary = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temporary, _FLAGS | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                         0o666)  # the umask applies, as for any new file
        except OSError as exc:
            raise OutputError(f"{self.path}: cannot write the report ({exc.strerror})") from None
        try:
            with open(fd, "w", encoding="utf-8") as out:
                if self.existing is not None:
                    _keep_mode_and_owner(out.fileno(), self.existing)
                produce(out)
                out.flush()
                os.fsync(out.fileno())
            # rename() replaces whatever is at the path now, never a link's target.
            os.replace(temporary, self.path)
        except BaseException as exc:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            if isinstance(exc, OSError):
                raise OutputError(f"{self.path}: cannot write the report "
                                  f"({exc.strerror or exc})") from None
            raise


def _keep_mode_and_owner(fd: int, existing: os.stat_result) -> None:
    if hasattr(os, "fchown") and (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
        try:
            os.fchown(fd, existing.st_uid, existing.st_gid)
        except PermissionError:
            pass  # only root may give a file away; the report is then the writer's
    os.fchmod(fd, stat_module.S_IMODE(existing.st_mode))  # after chown, which clears set-id bits


def _write_stdout(produce: Callable[[TextIO], None]) -> None:
    try:
        produce(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        # What is still buffered would fail again when the interpreter exits.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        raise OutputError(f"cannot write the report to standard output ({exc.strerror})") from None
