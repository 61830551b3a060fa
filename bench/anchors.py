"""The reference blogs (../shared/anchors): WordPress and Ghost on 127.0.0.1.

Their own scripts install, start, load and stop them; this module calls the
scripts, reads the paths they write, and builds the same cases as the blog's.
A reference the bench found running is left running; one it started is
stopped at the end (the scripts stop only what they started, by pid).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.cases import Case
from bench.common import (
    LOOPBACK,
    REPOSITORY,
    BenchError,
    child_pids,
    executable,
    log,
    rss_kib,
    run_command,
)

ANCHORS = REPOSITORY.parent / "shared" / "anchors"
WORDPRESS_SCRIPT = ANCHORS / "wordpress" / "setup_wordpress.sh"
GHOST_SCRIPT = ANCHORS / "ghost" / "setup_ghost.sh"
WP_STATE = Path(os.environ.get("WP_STATE", "/tmp/wordpress-anchor"))  # noqa: S108 - the script's own default
GHOST_DIR = Path(os.environ.get("GHOST_DIR", "/opt/ghost"))
# apt installs and content loading take minutes on a fresh machine.
SETUP_TIMEOUT_S = 1800
STOP_TIMEOUT_S = 120


@dataclass
class Anchor:
    """A reference blog serving on 127.0.0.1, and whether we started it."""

    name: str
    base_url: str
    cases: list[Case]
    started_here: bool
    script: Path
    pid_files: list[Path] = field(default_factory=list)

    def memory_mib(self) -> float:
        """Resident memory of its processes and their children, summed."""
        pids: set[int] = set()
        for pid_file in self.pid_files:
            try:
                pid = int(pid_file.read_text().strip())
            except (OSError, ValueError):
                continue
            pids.update((pid, *child_pids(pid)))
        return round(sum(rss_kib(pid) or 0 for pid in pids) / 1024, 1)


def script(path: Path, action: str, timeout: float) -> str:
    """Run an anchor script action; its output (raises if it fails)."""
    result = run_command(
        [executable("bash"), str(path), action],
        timeout=timeout,
        env=dict(os.environ, WP_STATE=str(WP_STATE), GHOST_DIR=str(GHOST_DIR)),
    )
    return result.stdout + result.stderr


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines, as the anchor scripts write them."""
    values = {}
    for line in path.read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            values[key.strip()] = value.strip()
    return values


def is_running(path: Path, daemon: str) -> bool:
    try:
        return f"{daemon}: running" in script(path, "status", 60)
    except BenchError:
        return False


def wordpress_tag() -> str | None:
    """The path of WordPress's most used tag, read from its database."""
    query = (
        "SELECT t.slug FROM wp_terms t JOIN wp_term_taxonomy x USING (term_id) "
        "WHERE x.taxonomy = 'post_tag' ORDER BY x.count DESC, t.slug LIMIT 1"
    )
    try:
        result = run_command(
            [executable("mariadb"), "-N", "wordpress", "-e", query], timeout=30
        )
    except BenchError:
        return None
    slug = result.stdout.strip()
    return f"/tag/{slug}/" if slug else None


def wordpress_cases(paths: dict[str, str], search_word: str) -> list[Case]:
    """The read cases WordPress has, with the Host its config answers."""
    cases = [
        Case("home", "/"),
        Case("article10", paths["WP_POST10"]),
        Case("article200", paths["WP_POST200"]),
        Case("category", paths["WP_CATEGORY"]),
        Case("search", f"/?s={search_word}"),
        Case("feed_rss", "/feed/"),
        Case("feed_304", "/feed/", conditional=True),
        Case("comments_feed", "/comments/feed/"),
    ]
    tag = wordpress_tag()
    if tag:
        cases.insert(4, Case("tag", tag))
    # The Host is wrk's own, "127.0.0.1:8080": Debian's wp-config.php reads its
    # config by host without the port, and WordPress answers a Host without
    # the port with a 301 to its canonical address (WP_HOME has the port).
    return cases


def ghost_cases(paths: dict[str, str]) -> list[Case]:
    """Ghost's equivalents: its WordPress categories are tags there, its
    posts have no server-rendered comments, and it has no search page."""
    return [
        Case("home", paths.get("GHOST_HOME", "/")),
        Case("article10", paths["GHOST_POST"]),
        Case("article200", paths["GHOST_POST200"]),
        Case("category", paths["GHOST_TAG_ENGINEERING"]),
        Case("tag", paths["GHOST_TAG"]),
        Case("feed_rss", paths.get("GHOST_FEED", "/rss/")),
        Case("feed_304", paths.get("GHOST_FEED", "/rss/"), conditional=True),
    ]


def start_wordpress(search_word: str) -> Anchor:
    """setup_wordpress.sh all: packages, daemons, WordPress, content."""
    was_running = is_running(WORDPRESS_SCRIPT, "nginx")
    log("WordPress: setup_wordpress.sh all (minutes on a fresh machine)")
    script(WORDPRESS_SCRIPT, "all", SETUP_TIMEOUT_S)
    paths = read_env_file(WP_STATE / "run" / "wp_paths.env")
    run = WP_STATE / "run"
    return Anchor(
        "WordPress",
        f"http://{LOOPBACK}:{os.environ.get('WP_PORT', '8080')}",
        wordpress_cases(paths, search_word),
        started_here=not was_running,
        script=WORDPRESS_SCRIPT,
        pid_files=[
            run / "nginx.pid",
            run / "php-fpm.pid",
            run / "mariadbd.pid",
            Path("/run/mysqld/mysqld.pid"),
        ],
    )


def start_ghost() -> Anchor:
    """setup_ghost.sh all (needs WordPress's content loaded first)."""
    was_running = is_running(GHOST_SCRIPT, "ghost")
    log("Ghost: setup_ghost.sh all (about 5 minutes the first time)")
    script(GHOST_SCRIPT, "all", SETUP_TIMEOUT_S)
    paths = read_env_file(GHOST_DIR / "run" / "ghost_paths.env")
    return Anchor(
        "Ghost",
        f"http://{LOOPBACK}:{os.environ.get('GHOST_PORT', '2368')}",
        ghost_cases(paths),
        started_here=not was_running,
        script=GHOST_SCRIPT,
        pid_files=[GHOST_DIR / "run" / "ghost.pid"],
    )


def stop(anchor: Anchor) -> None:
    """Stop an anchor the bench started; leave one it found running."""
    if not anchor.started_here:
        log(f"{anchor.name}: was running before the bench, left running")
        return
    log(f"{anchor.name}: stopping")
    try:
        script(anchor.script, "stop", STOP_TIMEOUT_S)
    except BenchError as error:
        log(f"{anchor.name}: stop failed: {error}")


@contextmanager
def anchors(
    with_wordpress: bool, with_ghost: bool, search_word: str
) -> Iterator[tuple[list[Anchor], dict[str, str]]]:
    """The requested reference blogs, running; stopped afterwards if we
    started them. Ghost copies WordPress's content, so it brings WordPress up
    too (measured only when asked for). A reference that fails to come up is
    reported in the errors, and the run goes on without it."""
    started: list[Anchor] = []
    errors: dict[str, str] = {}
    try:
        if with_wordpress or with_ghost:
            try:
                started.append(start_wordpress(search_word))
            except (BenchError, OSError, KeyError) as error:
                errors["WordPress"] = str(error)[-2000:]
        if with_ghost and "WordPress" not in errors:
            try:
                started.append(start_ghost())
            except (BenchError, OSError, KeyError) as error:
                errors["Ghost"] = str(error)[-2000:]
        wanted = [
            anchor
            for anchor in started
            if (anchor.name == "WordPress" and with_wordpress)
            or (anchor.name == "Ghost" and with_ghost)
        ]
        yield wanted, errors
    finally:
        for anchor in reversed(started):
            stop(anchor)
