"""The fast (libyaml) front-matter parser gives exactly the node graph PyYAML's parser gives."""

from __future__ import annotations

import pytest
import yaml

from conftest import FIXTURES, SAMPLE
from spotlight.diagnostics import Report
from spotlight.sources import compose_fast, shift_marks, split_front_matter

# The hub this repository holds and the fixture hub: real front matter of every kind.
FILES = [p for root in (SAMPLE, FIXTURES / "base") for p in [*sorted((root / "creators").glob("*.md")),
                                                             *sorted((root / "content").rglob("*.md"))]]


def shape(node: yaml.Node):
    """Everything models.py reads from a node: value, style (plain or quoted) and line."""
    if isinstance(node, yaml.ScalarNode):
        # Tags are not compared: models.py never reads them (types come from the field tables).
        return ("scalar", node.value, node.style or None, node.start_mark.line)  # plain: '' or None
    if isinstance(node, yaml.MappingNode):
        return ("map", node.start_mark.line, [(shape(k), shape(v)) for k, v in node.value])
    return ("seq", node.start_mark.line, [shape(v) for v in node.value])


@pytest.mark.skipif(not hasattr(yaml, "CBaseLoader"), reason="PyYAML built without libyaml")
@pytest.mark.sample
@pytest.mark.parametrize("path", FILES, ids=lambda p: "/".join(p.parts[-3:]))
def test_fast_and_pure_parsers_agree_on_every_sample_file(path):
    fm, fm_line, _, _ = split_front_matter(path.name, path.read_text(encoding="utf-8"), Report())
    fast = compose_fast(fm, fm_line)
    pure = yaml.compose(fm, Loader=yaml.SafeLoader)
    shift_marks(pure, fm_line - 1)
    assert fast is not None
    assert shape(fast) == shape(pure)


def test_a_mistake_falls_back_to_the_parser_that_words_it():
    assert compose_fast("name: [unclosed\n", 2) is None


# -- only regular files inside the project are read (issue 14, finding 1 and 3) -------------------

import os  # noqa: E402
import stat  # noqa: E402

from spotlight.sources import CONTENT_FILE_LIMIT, UnsafeFile, list_sources, read_regular_file  # noqa: E402

TOPIC = "---\ntitle: Calm\nsummary: Ways to find calm.\n---\nBody.\n"


def check_lines(project) -> list[str]:
    result = project.check()
    assert "Traceback" not in result.err
    return result.lines


def test_a_link_to_a_file_outside_the_project_is_an_error_and_is_not_read(project, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "secret.md"
    secret.write_text("---\ntitle: SECRET_TOKEN\nsummary: x\n---\n", encoding="utf-8")
    os.symlink(secret, project.root / "content/topics/calm.md")
    os.symlink("/proc/self/environ", project.root / "content/pages/env.md")
    assert check_lines(project) == [
        "content/pages/env.md:1: file: is a symbolic link (to /proc/self/environ); Spotlight reads only "
        "regular files inside the project (replace the link with a copy of the file, or remove it: "
        "git rm content/pages/env.md)",
        f"content/topics/calm.md:1: file: is a symbolic link (to {secret}); Spotlight reads only regular "
        "files inside the project (replace the link with a copy of the file, or remove it: "
        "git rm content/topics/calm.md)",
    ]


def test_dangling_links_links_to_folders_and_links_inside_the_project_are_errors(project):
    os.symlink("missing.md", project.root / "content/topics/gone.md")
    os.symlink("../pages", project.root / "content/topics/more")
    os.symlink("anxiety.md", project.root / "content/topics/worry.md")
    os.symlink("/dev/zero", project.root / "creators/zero.txt")  # any name: it is a link in a content folder
    lines = check_lines(project)
    assert lines == [
        "content/topics/gone.md:1: file: is a symbolic link to missing.md, which does not exist; Spotlight reads "
        "only regular files inside the project (replace the link with a copy of the file, or remove it: "
        "git rm content/topics/gone.md)",
        "content/topics/more:1: file: is a symbolic link to a folder (../pages); Spotlight reads only regular "
        "files inside the project (replace the link with a real folder, or remove it: git rm content/topics/more)",
        "content/topics/worry.md:1: file: is a symbolic link (to anxiety.md); Spotlight reads only regular files "
        "inside the project (replace the link with a copy of the file, or remove it: git rm content/topics/worry.md)",
        "creators/zero.txt:1: file: is a symbolic link (to /dev/zero); Spotlight reads only regular files inside "
        "the project (replace the link with a copy of the file, or remove it: git rm creators/zero.txt)",
    ]


def test_a_content_folder_that_is_a_link_is_an_error(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "x.md").write_text(TOPIC, encoding="utf-8")
    os.rename(project.root / "content/pages", elsewhere / "pages")
    os.symlink(elsewhere / "pages", project.root / "content/pages")
    assert check_lines(project) == [
        f"content/pages:1: file: is a symbolic link to a folder ({elsewhere / 'pages'}); Spotlight reads only "
        "regular files inside the project (replace the link with a real folder, or remove it: git rm content/pages)"]


def test_a_named_pipe_does_not_hang_the_check(project):
    os.mkfifo(project.root / "content/pages/pipe.md")
    assert check_lines(project) == [
        "content/pages/pipe.md:1: file: is a named pipe (FIFO), not a regular file "
        "(remove it from the repository: git rm content/pages/pipe.md)"]


def test_a_socket_is_an_error(project):
    import socket

    short = project.root / "content/pages"
    cwd = os.getcwd()
    os.chdir(short)  # socket paths are limited to about 100 characters
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind("sock.md")
            assert check_lines(project) == [
                "content/pages/sock.md:1: file: is a socket, not a regular file "
                "(remove it from the repository: git rm content/pages/sock.md)"]
    finally:
        os.chdir(cwd)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(project, monkeypatch):
    big = project.root / "content/pages/big.md"
    with open(big, "wb") as handle:
        handle.write(b"---\ntitle: Big\n---\n")
        handle.truncate(50 * 1000 * 1000)  # sparse: 50 MB on paper, nothing on disk
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: (_ for _ in ()).throw(AssertionError("read")) if n > CONTENT_FILE_LIMIT
                        else real_read(fd, n))
    assert check_lines(project) == [
        "content/pages/big.md:1: file: is 47.7 MiB, over the limit of 1 MiB "
        "(split it into several pages; images and other media belong in content/assets/)"]


def test_a_file_that_grows_after_its_size_was_checked_is_still_cut_at_the_limit(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_bytes(b"x" * 100)
    real_fstat = os.fstat

    def small_fstat(fd):  # the size the file had when checked; it has grown since
        found = real_fstat(fd)
        return os.stat_result((found.st_mode, found.st_ino, found.st_dev, found.st_nlink, found.st_uid,
                               found.st_gid, 10, found.st_atime, found.st_mtime, found.st_ctime))

    monkeypatch.setattr(os, "fstat", small_fstat)
    with pytest.raises(UnsafeFile) as caught:
        read_regular_file(tmp_path, "a.md", 50)
    assert caught.value.reason == "too-big"
    assert read_regular_file(tmp_path, "a.md", 100) == b"x" * 100


def test_a_pipe_swapped_in_after_the_type_check_is_refused_without_waiting(tmp_path, monkeypatch):
    (tmp_path / "plain.md").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.md")
    real_stat = os.stat
    regular = real_stat(tmp_path / "plain.md")
    # lstat sees a regular file (as it was a moment ago); the open then meets the pipe.
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: regular if p == "pipe.md" else real_stat(p, *a, **k))
    with pytest.raises(UnsafeFile) as caught:
        read_regular_file(tmp_path, "pipe.md", 100)
    assert caught.value.reason == "changed"


def test_a_link_on_the_way_to_a_file_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real/a.png").write_bytes(b"png")
    os.symlink("real", tmp_path / "via")
    os.symlink("/etc", tmp_path / "etc")
    assert read_regular_file(tmp_path, "real/a.png", 10) == b"png"
    for rel in ("via/a.png", "etc/passwd"):
        with pytest.raises(UnsafeFile) as caught:
            read_regular_file(tmp_path, rel, 10_000)
        assert caught.value.reason == "symlink"
        assert caught.value.message.startswith(f"is in {rel.split('/')[0]}/, which is a symbolic link to a folder")
    for rel in ("../x", "/etc/passwd", "a//b", "./a", ""):
        with pytest.raises(UnsafeFile) as caught:
            read_regular_file(tmp_path, rel, 10)
        assert caught.value.reason == "outside"


def test_a_device_is_refused_before_it_is_opened(tmp_path, monkeypatch):
    if os.geteuid() == 0:
        os.mknod(tmp_path / "zero.md", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    else:  # only root may make a device: present the one at /dev/zero as if it were here
        os.symlink("/dev/zero", tmp_path / "zero.md")
        real_stat = os.stat
        monkeypatch.setattr(os, "stat", lambda p, *a, **k: real_stat("/dev/zero") if p == "zero.md" else real_stat(p, *a, **k))
    with pytest.raises(UnsafeFile) as caught:
        read_regular_file(tmp_path, "zero.md", 100)
    assert caught.value.reason == "device"


def _refuse(monkeypatch, function: str, name: str) -> None:
    """Make os.<function> fail with 'permission denied' for one name: root reads every file, so
    chmod alone cannot make one unreadable in CI."""
    real = getattr(os, function)

    def refusing(path, *args, **kwargs):
        if os.fspath(path).endswith(name):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, function, refusing)


def test_an_unreadable_file_is_an_error(project, monkeypatch):
    _refuse(monkeypatch, "open", "about.md")
    assert check_lines(project) == [
        "content/pages/about.md:1: file: cannot be read: the file has no read permission "
        "(make it readable: chmod a+r content/pages/about.md)"]


def test_an_unreadable_folder_is_an_error_not_a_silent_gap(project, monkeypatch):
    (project.root / "content/updates/2027").mkdir()
    os.rename(project.root / "content/updates/launch.md", project.root / "content/updates/2027/launch.md")
    _refuse(monkeypatch, "scandir", "updates/2027")
    assert check_lines(project) == [
        "content/updates/2027:1: file: cannot be read: the folder has no read permission "
        "(make it readable: chmod a+rx content/updates/2027)"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_really_unreadable_files_and_folders_are_errors(project):
    (project.root / "content/pages/about.md").chmod(0)
    (project.root / "content/updates").chmod(0)
    try:
        assert check_lines(project) == [
            "content/pages/about.md:1: file: cannot be read: the file has no read permission "
            "(make it readable: chmod a+r content/pages/about.md)",
            "content/updates:1: file: cannot be read: the folder has no read permission "
            "(make it readable: chmod a+rx content/updates)"]
    finally:
        (project.root / "content/updates").chmod(0o755)


def test_hidden_names_are_left_alone_and_plain_files_are_listed(project):
    os.symlink("nowhere", project.root / "content/topics/.#anxiety.md")  # an Emacs lock file
    report = Report()
    listed = list_sources(project.root, report)
    assert report.items == []
    assert ("topic", "content/topics/anxiety.md") in listed
    assert all(".#" not in rel for _, rel in listed)


# -- lines as editors see them (issue 14, findings 5 and 6) -----------------------------------

def test_line_endings_are_normalised_before_lines_are_counted_and_the_body_is_kept(tmp_path):
    from spotlight.sources import parse_source

    (tmp_path / "content/pages").mkdir(parents=True)
    (tmp_path / "content/pages/mac.md").write_bytes(b"---\rtitle: Mac\r\rsummary: x\r---\rOne\r\nTwo\rThree\n")
    report = Report()
    source = parse_source(tmp_path, "content/pages/mac.md", "page", report)
    assert report.items == []
    assert source.keys == {"title": 2, "summary": 4}
    assert (source.body, source.body_line) == ("One\nTwo\nThree\n", 6)
    assert source.raw_text == "---\ntitle: Mac\n\nsummary: x\n---\nOne\nTwo\nThree\n"


def test_a_separator_in_the_body_is_left_alone_and_does_not_shift_lines(tmp_path):
    from spotlight.sources import parse_source

    (tmp_path / "content/pages").mkdir(parents=True)
    (tmp_path / "content/pages/sep.md").write_text("---\ntitle: Sep\n---\nA\u2028B\x85C\nD\n", encoding="utf-8")
    report = Report()
    source = parse_source(tmp_path, "content/pages/sep.md", "page", report)
    assert [d.text() for d in report.items] == [
        "content/pages/sep.md:4: body: a next-line character (NEL) U+0085 at column 4 "
        "(remove it: it is invisible in most editors)"]
    assert source is not None and source.body.split("\n")[1] == "D"
