"""Put a finished build where the site is served from: one atomic swap, one build at a time."""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import re
import secrets
import shutil
import stat
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds into one folder are not serialised there
    fcntl = None  # type: ignore[assignment]

# Errors that say the machine failed (the disk, the file system, the permissions), not the
# content and not Spotlight: the person running the build can act on them from one line.
MACHINE_ERRNOS = frozenset(getattr(errno, name) for name in (
    "ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "EFBIG", "EMFILE", "ENFILE", "ENOMEM",
    "EBUSY", "ETXTBSY", "EXDEV", "ENAMETOOLONG", "ESTALE", "ENODEV", "ENXIO",
) if hasattr(errno, name))

AT_FDCWD = -100
RENAME_EXCHANGE = 1 << 1
# renameat2's system call number, for a C library too old to wrap it (glibc < 2.28).
SYS_RENAMEAT2 = {"x86_64": 316, "aarch64": 276, "arm64": 276, "ppc64le": 357, "s390x": 347, "riscv64": 276}


class MachineError(Exception):
    """The machine failed (disk full, read-only, no permission): one line, exit status 3."""


def on_step(step: str) -> None:
    """Called at each step of a build's publishing, in this order: "locked", "cleaned", "built",
    "swapping", "swapped", "done" (and "moved-old" on systems without an atomic swap). It does
    nothing; the fault tests replace it to stop or fail a build at exactly that point."""


def machine_reason(err: OSError) -> str:
    """'no space left on device', as a person would read it in a sentence."""
    text = err.strerror or os.strerror(err.errno or 0)
    return text[:1].lower() + text[1:]


def is_machine_failure(err: BaseException) -> bool:
    return isinstance(err, OSError) and err.errno in MACHINE_ERRNOS


def leftover_pattern(out: Path) -> re.Pattern[str]:
    """Scratch and previous-site folders of builds into `out` (of this and earlier versions)."""
    return re.compile(rf"^\.{re.escape(out.name)}-(build|old)-[A-Za-z0-9_]+$")


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextmanager
def build_lock(out: Path, tell: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of builds into `out` (flock on `.NAME.lock` beside it); wait, saying so,
    while another build holds it. The lock file is removed on release; a killed build's file
    is harmless (the kernel released its lock) and is reused."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = lock_path(out)
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not told:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
                tell(f"another build is publishing {out.name}/ (process {holder}); waiting for it to finish")
                told = True
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise
        # The holder before us may have removed the file as it let go: then this lock guards
        # nothing, and a newcomer could lock a new file at the same path. Lock that one instead.
        try:
            current = os.stat(path)
            mine = os.fstat(fd)
            same = (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino)
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        on_step("locked")
        yield
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
        os.close(fd)


def clean_leftovers(out: Path, tell: Callable[[str], None]) -> None:
    """Remove what killed builds into `out` left beside it. Called with the lock held, so no
    build that could still use them is running. Where a build was killed between the two
    renames of the non-atomic fallback, `out` is missing: its previous site is put back first."""
    pattern = leftover_pattern(out)
    found = sorted((p for p in out.parent.iterdir() if pattern.match(p.name)), key=lambda p: p.name)
    olds = [p for p in found if p.name.startswith(f".{out.name}-old-") and p.is_dir() and not p.is_symlink()]
    if olds and not os.path.lexists(out):
        newest = max(olds, key=lambda p: p.stat().st_mtime_ns)
        os.rename(newest, out)
        found.remove(newest)
        tell(f"put back {out.name}/ from {newest.name}/, where an interrupted build had left it")
    for leftover in found:
        remove_tree(leftover, tell)
    on_step("cleaned")


def new_scratch(out: Path) -> Path:
    """An empty folder beside `out` to build into (same file system, so the swap is a rename).

    Made with the usual permissions (umask applies), unlike mkdtemp's 0700: once swapped in,
    it is the folder a web server must be able to read."""
    while True:
        scratch = out.parent / f".{out.name}-build-{secrets.token_hex(4)}"
        try:
            os.mkdir(scratch)
            return scratch
        except FileExistsError:  # pragma: no cover - 1 in 4 billion
            continue


def publish(new: Path, out: Path, tell: Callable[[str], None]) -> None:
    """Make `new` the folder at `out` in one step, then remove the previous site.

    Linux: renameat2(RENAME_EXCHANGE) swaps the two folders atomically, so at every moment
    `out` is the whole previous site or the whole new one. Where that call is missing (other
    systems, old kernels, file systems without it) the fallback is two renames; a build killed
    between them leaves `out` missing until the next build puts the previous site back.
    """
    on_step("built")
    if not os.path.lexists(out):
        on_step("swapping")
        os.rename(new, out)
        on_step("swapped")
        on_step("done")
        return
    on_step("swapping")
    if exchange(new, out):
        on_step("swapped")
        remove_tree(new, tell)  # the previous site, now at the scratch folder's name
        on_step("done")
        return
    old = out.parent / f".{out.name}-old-{secrets.token_hex(4)}"
    os.rename(out, old)
    on_step("moved-old")
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    on_step("swapped")
    remove_tree(old, tell)
    on_step("done")


def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover
        return None
    func = getattr(libc, "renameat2", None)
    if func is not None:
        func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        func.restype = ctypes.c_int
        return func
    number = SYS_RENAMEAT2.get(platform.machine())  # pragma: no cover - glibc < 2.28 or musl
    if number is None:  # pragma: no cover
        return None
    syscall = libc.syscall  # pragma: no cover
    syscall.restype = ctypes.c_long  # pragma: no cover
    return lambda *args: syscall(ctypes.c_long(number), *args)  # pragma: no cover


def exchange(a: Path, b: Path) -> bool:
    """Swap the paths `a` and `b` atomically; False where the system or file system cannot."""
    func = _renameat2()
    if func is None:
        return False
    if func(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # no such call, or not on this file system
        return False
    raise OSError(err, os.strerror(err), str(b))


def remove_tree(path: Path, tell: Callable[[str], None]) -> None:
    """Remove a previous site or a scratch folder; a failure is said, not fatal: the new site is
    already in place, and the next build tries again."""

    def make_writable_and_retry(func, failed, _exc) -> None:
        # A site made read-only (by hand, or by a deploy tool) cannot be emptied until its
        # folders are writable again; they are Spotlight's own build output.
        parent = os.path.dirname(failed)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        func(failed)

    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            if sys.version_info >= (3, 12):
                shutil.rmtree(path, onexc=make_writable_and_retry)
            else:
                shutil.rmtree(path, onerror=make_writable_and_retry)
    except FileNotFoundError:
        pass
    except OSError as err:
        tell(f"cannot remove {path.name}/ ({machine_reason(err)}); the next build will try again")
