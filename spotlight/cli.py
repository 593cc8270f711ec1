"""Commands, exit codes and output formats: python build.py [build|check|serve|new|schema]."""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import tempfile
import traceback
from datetime import datetime, timezone
from pathlib import Path

from . import __version__, deployed
from .diagnostics import ConfigError, ContentError, Diagnostic
from .publish import MachineError, is_machine_failure, machine_reason
from .schedule import MomentOutOfRange, parse_as_of
from .settings import read_settings

# 0 done; 1 the content has errors; 2 the command was misused; 3 the machine failed (disk
# full, read-only, no permission); 4 Spotlight failed (a bug: the details are in a file).
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_MACHINE, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # the shell's own code for Ctrl-C


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own exit is 2, which is ours for misuse too
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def make_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="build.py", description="Spotlight: validate content and build the static site.")
    parser.add_argument("--root", default=".", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="command", parser_class=Parser)
    b = sub.add_parser("build", help="build the site into site/ (atomically)")
    b.add_argument("--out", default="site", help="output folder (default: site)")
    b.add_argument("--as-of", dest="as_of", help="build the site as of this moment (date or datetime with offset)")
    b.add_argument("--drafts", action="store_true", help="include drafts, marked as such (never deploy this)")
    b.add_argument("--no-cache", dest="no_cache", action="store_true",
                   help="build everything from nothing, neither reading nor writing the build cache (.spotlight-cache/)")
    ch = sub.add_parser("check", help="validate and review the content without building")
    ch.add_argument("--format", choices=["text", "github"], default="text", help="text, or GitHub workflow annotations")
    ch.add_argument("--as-of", dest="as_of", help="check as of this moment")
    ch.add_argument("--changed-since", dest="changed_since", metavar="REF",
                    help="git ref: mark files changed since it that touch suicide, self-harm or eating disorders for "
                         "human review (with --format github the default is origin/$GITHUB_BASE_REF)")
    s = sub.add_parser("serve", help="preview on localhost, rebuilding on every edit")
    s.add_argument("--drafts", action="store_true", help="include drafts")
    s.add_argument("--as-of", dest="as_of", help="preview as of this moment")
    s.add_argument("--dev-addr", dest="dev_addr", default="127.0.0.1:8000", help="address to serve on")
    s.add_argument("--poll", action="store_true",
                   help="look for changes every half second instead of using the system's file events "
                        "(for folders on network drives or container mounts, where saves may go unnoticed)")
    t = sub.add_parser("timeline", help="list the upcoming changes: what appears, disappears, starts or ends, and when")
    t.add_argument("--as-of", dest="as_of", help="list the changes after this moment (default: now)")
    t.add_argument("--format", choices=["text", "json"], default="text",
                   help="text, or a JSON array of {at, change, kind, slug, title, path, url}, the next change first")
    v = sub.add_parser("verify", help="refuse to deploy a built folder that holds drafts (exit 1) or is not a site")
    v.add_argument("folder", nargs="?", default="site", help="the built site to deploy (default: site)")
    du = sub.add_parser("due", help="whether the deployed site needs a new build: sources changed or a scheduled "
                                    "change has come (exit 0 either way; the publish workflow asks it)")
    deployed.add_arguments(du)
    df = sub.add_parser("diff", help="what readers will see change compared with a git ref, now and at each "
                                     "scheduled moment (Markdown, for a pull request)")
    df.add_argument("--base", required=True, metavar="REF", help="git ref to compare with (e.g. origin/main)")
    df.add_argument("--as-of", dest="as_of", help="compare as of this moment (default: now)")
    n = sub.add_parser("new", help="write a valid starting file for a kind")
    n.add_argument("kind", help="creator, topic, organization, resource, campaign, event, update or page")
    n.add_argument("slug", help="file name without .md: lowercase letters, digits, hyphens")
    sc = sub.add_parser("schema", help="print the JSON Schema of a kind's front matter, for text editors")
    sc.add_argument("kind", nargs="?", help="creator, topic, organization, resource, campaign, event, update or page")
    sc.add_argument("--all", dest="all_kinds", action="store_true", help="write every kind's schema into --out")
    sc.add_argument("--out", help="with --all: the folder to write <kind>.schema.json files into")
    return parser


def moment_from(text: str | None, root: Path) -> datetime:
    if not text:
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        return parse_as_of(text, read_settings(root).tz)
    except MomentOutOfRange as exc:
        raise UsageError(f"--as-of: '{text}' is out of range: {exc}") from None
    except ValueError as exc:
        raise UsageError(f"--as-of: '{text}' is not a date or a datetime with offset ({exc})") from None


class UsageError(Exception):
    pass


def print_diagnostics(diagnostics: list[Diagnostic], fmt: str = "text") -> None:
    for d in diagnostics:
        print(d.github() if fmt == "github" else d.text(), file=sys.stderr if fmt == "text" else sys.stdout)


def cmd_build(args, root: Path) -> int:
    from .pipeline import build_site  # noqa: PLC0415

    moment = moment_from(args.as_of, root)
    out = output_folder(root, args.out)
    try:
        report = build_site(root, out, moment, args.drafts, cache=not args.no_cache)
    except ContentError as err:
        print_diagnostics(err.diagnostics)
        errors = sum(1 for d in err.diagnostics if d.severity == "error")
        print(f"build failed: {errors} error(s); the previous site was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    print_diagnostics(report.warnings)
    print(f"built {args.out}/ as of {moment.isoformat()}" + (" (with drafts)" if args.drafts else ""))
    return EXIT_OK


def output_folder(root: Path, text: str) -> Path:
    """Where `build --out` writes; never a folder whose files the build would replace."""
    out = (root / text).resolve()
    sources = [root] + [root / name for name in ("creators", "content", "theme", ".git")]
    if any(out == folder or folder.is_relative_to(out) or (folder != root and out.is_relative_to(folder))
           for folder in sources):
        raise UsageError(f"--out {text}: the build replaces that folder as a whole, and it holds the project's "
                         f"sources; write the site to a folder of its own (the default is site)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {text}: is a file, not a folder; the build would replace it")
    return out


def cmd_check(args, root: Path) -> int:
    from .pipeline import load  # noqa: PLC0415

    moment = moment_from(args.as_of, root)
    content, report = load(root, moment, drafts=False, strict_freshness=True)
    diagnostics = report.sorted()
    print_diagnostics(diagnostics, args.format)
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    print_review_notices(args, root, content)
    if args.format == "text":
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_CONTENT if errors else EXIT_OK


def changed_files(root: Path, ref: str) -> set[str] | None:
    """Files changed between `ref` and the working tree (committed or not); None if git cannot tell."""
    import subprocess  # noqa: PLC0415

    names: set[str] = set()
    # --relative: paths from the project folder, like the items' paths, even inside a larger repository.
    for cmd in (["git", "diff", "--name-only", "--relative", f"{ref}...HEAD"], ["git", "diff", "--name-only", "--relative", "HEAD"],
                ["git", "ls-files", "--others", "--exclude-standard"]):
        try:
            done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            return None
        names.update(line.strip() for line in done.stdout.splitlines() if line.strip())
    return names


def print_review_notices(args, root: Path, content) -> None:
    """Tone and detail cannot be linted: name the files a person must read before merging."""
    import os  # noqa: PLC0415

    from .lint import review_notices  # noqa: PLC0415

    ref = args.changed_since
    if ref is None and args.format == "github" and os.environ.get("GITHUB_BASE_REF"):
        ref = f"origin/{os.environ['GITHUB_BASE_REF']}"
    if ref is None and args.format != "github":
        return
    changed = changed_files(root, ref) if ref else None
    if ref and changed is None:
        print(f"build.py check: cannot list the files changed since '{ref}'; marking every sensitive file", file=sys.stderr)
    for path, subjects in review_notices(content, changed):
        what = ", ".join(s.replace("-", " ") for s in subjects)
        message = (f"touches {what}: a person must review its tone and detail against the safe-messaging guidance "
                   f"before merging (check cannot judge them)")
        if args.format == "github":
            print(f"::notice file={path},line=1,title=Needs human review::{message}")
        else:
            print(f"{path}:1: review: {message}", file=sys.stderr)


def cmd_serve(args, root: Path) -> int:
    from .pipeline import serve_site  # noqa: PLC0415

    host, port = serve_address(args.dev_addr)
    moment = moment_from(args.as_of, root) if args.as_of else None  # None: now, at every rebuild
    # What the preview prints: where it serves, each rebuild and its time, content errors.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(message)s", "%H:%M:%S"))
    logging.getLogger().addHandler(handler)
    logging.getLogger("spotlight").setLevel(logging.INFO)
    serve_site(root, moment, args.drafts, host, port, args.poll)
    return EXIT_OK


def serve_address(text: str) -> tuple[str, int]:
    """`--dev-addr HOST:PORT` (an IPv6 host in brackets) as (host, port)."""
    host, _, port = text.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"--dev-addr: '{text}' is not HOST:PORT (e.g. 127.0.0.1:8000)")
    return host, int(port)


def cmd_timeline(args, root: Path) -> int:
    """The schedule as readers will see it: every later change, in order (spotlight/timeline.py)."""
    import json  # noqa: PLC0415

    from .pipeline import load  # noqa: PLC0415
    from .timeline import readable, upcoming  # noqa: PLC0415

    moment = moment_from(args.as_of, root)
    content, report = load(root, moment)
    found = upcoming(content)
    tz = content.settings.tz
    if args.format == "json":
        print(json.dumps([change.as_json() for change in found], ensure_ascii=False, indent=2))
    else:
        print(f"after {readable(moment, tz)} ({content.settings.timezone}):" if found else
              f"nothing changes after {readable(moment, tz)} ({content.settings.timezone})")
        for change in found:
            print(f"{readable(change.at, tz)}  {change.change:<10}  {change.kind} '{change.title}'  {change.path}")
    errors = len(report.errors)
    if errors:
        print(f"build.py timeline: the content has {errors} error(s), which `python build.py check` lists",
              file=sys.stderr)
    return EXIT_CONTENT if errors else EXIT_OK


def cmd_new(args, root: Path) -> int:
    from .scaffold import new_file  # noqa: PLC0415

    try:
        path = new_file(root, args.kind, args.slug)
    except UsageError as err:
        print(f"build.py new: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {path.relative_to(root).as_posix()}")
    return EXIT_OK


def cmd_verify(args, root: Path) -> int:
    """The deploy step's gate: a site built with --drafts must never be published."""
    folder = Path(args.folder) if Path(args.folder).is_absolute() else root / args.folder
    if not (folder / "index.html").is_file():
        print(f"build.py verify: {args.folder}/ has no index.html: build the site first (python build.py build)", file=sys.stderr)
        return EXIT_CONTENT
    marked = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html")
                    if DRAFTS_MARK in p.read_text(encoding="utf-8", errors="replace"))
    if marked:
        print(f"build.py verify: refusing to deploy {args.folder}/: it was built with --drafts "
              f"({len(marked)} page(s), e.g. {marked[0]}); rebuild without --drafts", file=sys.stderr)
        return EXIT_CONTENT
    pages = sum(1 for _ in folder.rglob("*.html"))
    print(f"{args.folder}/ may be deployed: {pages} pages, no drafts")
    return EXIT_OK


def cmd_due(args, root: Path) -> int:
    return deployed.run(args, root, moment_from(args.as_of, root))


def cmd_diff(args, root: Path) -> int:
    from .reader_diff import BaseUnavailable, HeadErrors, hub_at, markdown, summarise  # noqa: PLC0415

    moment = moment_from(args.as_of, root)
    try:
        with hub_at(root, args.base) as base_root:
            summary = summarise(root, base_root, moment, changed_files(root, args.base))
    except BaseUnavailable as err:
        raise UsageError(f"diff --base {args.base}: {err}") from None
    except HeadErrors as err:
        print_diagnostics(err.diagnostics)
        errors = sum(1 for d in err.diagnostics if d.severity == "error")
        print(f"build.py diff: {errors} error(s) in the working tree; fix them first", file=sys.stderr)
        return EXIT_CONTENT
    print(markdown(summary, args.base), end="")
    return EXIT_OK


def cmd_schema(args, root: Path) -> int:
    import json  # noqa: PLC0415

    from .diagnostics import did_you_mean  # noqa: PLC0415
    from .editor import front_matter_schema  # noqa: PLC0415
    from .models import KINDS  # noqa: PLC0415

    def text(kind: str) -> str:
        return json.dumps(front_matter_schema(kind), indent=2, ensure_ascii=False) + "\n"

    if args.all_kinds:
        if args.kind or not args.out:
            raise UsageError("schema: give either KIND, or --all with --out DIR")
        out = Path(args.out) if Path(args.out).is_absolute() else root / args.out
        out.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            (out / f"{kind}.schema.json").write_text(text(kind), encoding="utf-8")
        print(f"wrote {len(KINDS)} schemas into {args.out}/")
        return EXIT_OK
    if args.out:
        raise UsageError("schema: --out goes with --all; one kind's schema is printed")
    if not args.kind:
        raise UsageError(f"schema: name a kind ({', '.join(KINDS)}) or use --all --out DIR")
    if args.kind not in KINDS:
        raise UsageError(f"schema: '{args.kind}' is not a kind; {did_you_mean(args.kind, KINDS)}")
    sys.stdout.write(text(args.kind))
    return EXIT_OK


DRAFTS_MARK = '<meta name="spotlight-build" content="drafts">'
COMMANDS = {"build": cmd_build, "check": cmd_check, "serve": cmd_serve, "verify": cmd_verify, "new": cmd_new,
            "timeline": cmd_timeline, "schema": cmd_schema, "due": cmd_due, "diff": cmd_diff}


def main(argv: list[str] | None = None) -> int:
    """Run a command and return its exit status. The boundary of every error: content errors
    were listed by the command; a failing machine is one line (3); anything else is a bug in
    Spotlight, whose traceback goes to a file the person can send (4)."""
    try:
        return run(argv)
    except MachineError as err:
        print(f"build.py: {err}", file=sys.stderr)
        return EXIT_MACHINE
    except MemoryError:
        print("build.py: the machine ran out of memory", file=sys.stderr)
        return EXIT_MACHINE
    except KeyboardInterrupt:
        print("build.py: interrupted; the previous site was left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:  # noqa: BLE001 - the last boundary: every other error is reported the same way
        if is_machine_failure(err):
            where = f"{os.path.relpath(str(err.filename))}: " if getattr(err, "filename", None) else ""
            print(f"build.py: {where}{machine_reason(err)}", file=sys.stderr)  # type: ignore[arg-type]
            return EXIT_MACHINE
        return internal_error(err, argv)


def internal_error(err: BaseException, argv: list[str] | None) -> int:
    """One line for the person, the traceback in a file for the people who fix Spotlight."""
    details = (f"Spotlight {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
               f"command: build.py {' '.join(sys.argv[1:] if argv is None else argv)}\n\n"
               + "".join(traceback.format_exception(type(err), err, err.__traceback__)))
    try:
        fd, path = tempfile.mkstemp(prefix="spotlight-internal-error-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(details)
    except OSError:  # nowhere to write it: the traceback itself, rather than nothing
        print(details, file=sys.stderr)
        print("build.py: internal error — please report it with the text above", file=sys.stderr)
        return EXIT_INTERNAL
    print(f"build.py: internal error — please report it with the file {path} "
          f"({type(err).__name__}; the file holds the details)", file=sys.stderr)
    return EXIT_INTERNAL


def run(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `build` is the default command: `python build.py --as-of 2027-05-01` builds.
    i = 0
    while i < len(argv) and (argv[i] == "--root" or argv[i].startswith("--root=")):
        i += 1 if "=" in argv[i] else 2
    if i >= len(argv) or (argv[i].startswith("-") and argv[i] not in ("-h", "--help")):
        argv.insert(min(i, len(argv)), "build")
    try:
        args = make_parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or misuse (2): a return value, so callers can test it
        return int(stop.code or 0)
    root = Path(args.root).resolve()
    if not (root / "mkdocs.yml").is_file():
        print(f"build.py: no mkdocs.yml in {root}; run it from the project folder or pass --root", file=sys.stderr)
        return EXIT_USAGE
    try:
        return COMMANDS[args.command](args, root)
    except (UsageError, ConfigError) as err:
        print(f"build.py: {err}", file=sys.stderr)
        return EXIT_USAGE
