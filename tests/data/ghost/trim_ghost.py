"""Make the Ghost fixture from the Ghost anchor's own JSON export.

    python tests/data/ghost/trim_ghost.py seed             # add the edge cases, once
    python tests/data/ghost/trim_ghost.py export FULL.json # GET /ghost/api/admin/db/
    python tests/data/ghost/trim_ghost.py trim FULL.json tests/data/ghost/small.json \\
        [--newest 2] [--images-from /opt/ghost/content/images \\
                      --images-to tests/data/ghost/images]
    python tests/data/ghost/trim_ghost.py stats FILE.json  # what an export holds

The anchor is /work/shared/anchors/ghost (`setup_ghost.sh all`: Ghost 5.130 on SQLite,
1,000 posts copied from the WordPress anchor). `seed` adds, through the Admin API, what
those posts lack: a second staff user (role Author) who writes a post and co-writes
another, 2 pages, a draft, a scheduled post, a members-only post, a post with a feature
image, an excerpt, meta fields and 4 tags (one internal #tag, one non-ASCII), a post of
many HTML elements (Ghost turns them into Lexical cards), a post sent as mobiledoc,
non-ASCII titles and text. Its published posts are dated ~200 days back, so the
benchmark's pages (home, newest post, feeds, tags) are unchanged. Ghost sends staff
invitations by e-mail, which this machine cannot deliver: `seed` marks the invitation
"sent" in Ghost's SQLite database (what the delivered e-mail would do) and accepts it
through the API, as the link in the e-mail would.

`export` writes the Admin API's answer byte for byte. `trim` keeps every post or page
that is not an ordinary copy of a WordPress anchor post (published, public, by the
owner, 4 tags, only <p> and <h2>, no feature image, no excerpt, not mobiledoc) plus the
newest N ordinary ones, and of the other tables only the rows those posts reference
(tags, users, posts_* join rows) and every row of the tables that reference no post,
tag or user (settings, roles, newsletters...). The {"db": [{"meta", "data"}]} structure
stays as Ghost wrote it; users' password hashes and the settings holding secrets or
private keys become "<redacted>". Standard library only.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import sqlite3
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WP_UPLOADS = HERE.parent / "wordpress" / "uploads" / "2026" / "05"
SECOND = {
    "name": "Zoë Ångström",
    "email": "zoe@example.com",
    "password": "Film-Camera-Roll-2026!",  # a loopback anchor's staff user
}
REDACT_SETTINGS = re.compile(r"secret|private_key|api_key|^password$|^public_hash$")
POSTS = (  # the titles of what seed adds
    "Every element from HTML",
    "A feature image, an internal tag and a non-ASCII tag",
    "Written in the mobiledoc editor",
    "A draft, half written",
    "Scheduled for next month",
    "For members only",
    "Ünïcödé — 日本語のタイトル",
    "Written by two authors",
    "Zoë’s first roll of film",
)
PAGES = ("Über uns — Café Ünïcödé", "Colophon")
BLOCK_TAGS = re.compile(r"<([a-z0-9]+)[\s>]")
IMAGE_REF = re.compile(r"__GHOST_URL__/content/images/([^\"'\s)<>\\]+)")


# --- the Admin API (the anchor's own client, load_ghost_content.Ghost) ----------------


def client(a: argparse.Namespace) -> Any:
    sys.path.insert(0, str(a.anchors))
    from load_ghost_content import Ghost

    return Ghost(a.ghost)


def login(a: argparse.Namespace, email: str = "", password: str = "") -> Any:
    g = client(a)
    from load_ghost_content import OWNER  # the owner account setup_ghost.sh made

    creds = {
        "username": email or OWNER["email"],
        "password": password or OWNER["password"],
    }
    st, r = g.call("POST", "/session/", creds)
    if st >= 300:
        sys.exit(f"login failed: {st} {r}")
    return g


def call(g: Any, method: str, path: str, body: Any = None) -> Any:
    st, r = g.call(method, path, body)
    if st >= 300:
        sys.exit(f"{method} {path}: {st} {str(r)[:800]}")
    return r


def raw_request(g: Any, path: str, **kw: Any) -> bytes:
    headers = {"Accept-Version": "v5.0", "Origin": g.base, **kw.pop("headers", {})}
    url = g.base + "/ghost/api/admin" + path  # http://127.0.0.1:2368 or --ghost
    req = urllib.request.Request(url, headers=headers, **kw)  # noqa: S310
    with g.op.open(req, timeout=300) as r:
        return bytes(r.read())


def upload(g: Any, path: Path) -> str:
    """POST /images/upload/ (multipart), as the editor does; returns the URL."""
    b = uuid.uuid4().hex
    ctype = "image/png" if path.suffix == ".png" else "image/jpeg"
    disp = "Content-Disposition: form-data; name="
    head = f'--{b}\r\n{disp}"file"; filename="{path.name}"\r\nContent-Type: {ctype}'
    fields = (("purpose", "image"), ("ref", path.name))
    tail = "".join(f'\r\n--{b}\r\n{disp}"{k}"\r\n\r\n{v}' for k, v in fields)
    body = (
        f"{head}\r\n\r\n".encode()
        + path.read_bytes()
        + f"{tail}\r\n--{b}--\r\n".encode()
    )
    ans = raw_request(
        g,
        "/images/upload/",
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={b}"},
    )
    return str(json.loads(ans)["images"][0]["url"])


# --- seed -----------------------------------------------------------------------------


def second_user(g: Any, a: argparse.Namespace) -> str:
    """Invite the second staff user (role Author), accept the invitation; its id."""
    users = call(g, "GET", "/users/?limit=all")["users"]
    found = [u for u in users if u["email"] == SECOND["email"]]
    if found:
        return str(found[0]["id"])
    roles = call(g, "GET", "/roles/?permissions=assign")["roles"]
    author = next(r["id"] for r in roles if r["name"] == "Author")
    invite = {"invites": [{"email": SECOND["email"], "role_id": author}]}
    st, _ = g.call("POST", "/invites/", invite)
    print("invite:", st, "(the e-mail cannot be sent here)" if st >= 300 else "")
    with sqlite3.connect(a.ghost_db) as c:  # what the delivered e-mail would have done
        sql = "SELECT token FROM invites WHERE email = ?"
        (token,) = c.execute(sql, (SECOND["email"],)).fetchone()
        sql = "UPDATE invites SET status = 'sent' WHERE email = ?"
        c.execute(sql, (SECOND["email"],))
    # the link's token: @tryghost/security's url.encodeBase64
    token = token.replace("+", "-").replace("/", "_").rstrip("=")
    accept = {"invitation": [{"token": token, **SECOND}]}
    call(client(a), "POST", "/authentication/invitation/", accept)
    users = call(g, "GET", "/users/?limit=all")["users"]
    uid = str(next(u["id"] for u in users if u["email"] == SECOND["email"]))
    profile = {
        "bio": "Writes about film cameras. Ünïcödé — 日本語.",
        "website": "https://zoe.example.org",
        "location": "Malmö",
    }
    call(g, "PUT", f"/users/{uid}/", {"users": [profile]})
    return uid


def p(s: str) -> str:
    return f"<p>{s}</p>"


def rich_html(image: str) -> str:
    return "".join(
        [
            p(
                "Paragraph with <strong>bold</strong>, <em>italic</em>, "
                '<code>inline code</code>, <a href="https://ghost.org/">a link</a> '
                "and an ampersand &amp; a non-breaking&nbsp;space."
            ),
            "<h2>A second-level heading</h2><h3>A third-level heading</h3>",
            "<ul><li>First item</li>"
            '<li>Second item, with <a href="https://example.org/">a link</a></li></ul>',
            "<ol><li>Step one</li><li>Step two</li></ol>",
            "<blockquote><p>Simplicity is prerequisite for reliability.</p>"
            "</blockquote>",
            f'<figure><img src="{image}" alt="A diagram with a square and a circle">'
            "<figcaption>An image with a caption</figcaption></figure>",
            '<pre><code class="language-python">def greet(name):\n'
            '    return f"&lt;b&gt;Hello, {name}&lt;/b&gt;"</code></pre>',
            "<hr>",
            '<figure><iframe width="560" height="315" '
            'src="https://www.youtube.com/embed/aqz-KE-bpKQ" frameborder="0" '
            "allowfullscreen></iframe>"
            "<figcaption>A YouTube embed</figcaption></figure>",
            "<table><thead><tr><th>Lens</th><th>Aperture</th></tr></thead>"
            "<tbody><tr><td>35 mm</td><td>f/2</td></tr></tbody></table>",
            p("The last paragraph."),
        ]
    )


def mobiledoc(image: str) -> str:
    text = lambda s, m=(), closes=0: [0, list(m), closes, s]  # noqa: E731
    doc = {
        "version": "0.3.1",
        "atoms": [],
        "markups": [["em"], ["a", ["href", "https://example.org/"]]],
        "cards": [
            [
                "image",
                {"src": image, "alt": "A diagram", "caption": "A mobiledoc card"},
            ],
            ["code", {"code": "print('mobiledoc')", "language": "python"}],
            ["hr", {}],
        ],
        "sections": [
            [
                1,
                "p",
                [
                    text("Written in Ghost's older editor: "),
                    text("mobiledoc", [0], 1),
                    text(", with "),
                    text("a link", [1], 1),
                    text("."),
                ],
            ],
            [1, "h2", [text("A mobiledoc heading")]],
            [10, 0],
            [10, 1],
            [10, 2],
            [3, "ul", [[text("List item one")], [text("List item two")]]],
        ],
    }
    return json.dumps(doc)


def seed(a: argparse.Namespace) -> None:
    g = login(a)
    # (kind, title) of what is there already: each edge case is added once
    have: set[tuple[str, str]] = set()
    for kind in ("posts", "pages"):
        q = "?limit=all&fields=title&filter=status:[draft,published,scheduled]"
        have |= {(kind, x["title"]) for x in call(g, "GET", f"/{kind}/{q}")[kind]}
    if {("posts", t) for t in POSTS} | {("pages", t) for t in PAGES} <= have:
        print("edge cases already added: nothing to do", file=sys.stderr)
        return
    owner = call(g, "GET", "/users/me/")["users"][0]["id"]
    zoe = second_user(g, a)
    zs = login(a, SECOND["email"], SECOND["password"])
    q = "/posts/?limit=all&formats=html&filter=status:[draft,published,scheduled]"
    page = json.dumps(call(g, "GET", q))  # what the posts' html and fields refer to
    urls = re.findall(r"https?://[^\"\s\\]+/content/images/[^\"\s\\]+", page)
    known = {u.rsplit("/", 1)[-1]: u for u in urls}  # images uploaded before
    harbour = known.get("harbour.jpg") or upload(g, WP_UPLOADS / "harbour.jpg")
    diagram = known.get("diagram.png") or upload(g, WP_UPLOADS / "diagram.png")
    base = time.time() - 200 * 86400

    def day(n: int) -> str:
        return time.strftime("%Y-%m-%dT10:00:00.000Z", time.gmtime(base + n * 86400))

    future = time.gmtime(time.time() + 30 * 86400)
    tags = lambda *names: [{"name": n} for n in names]  # noqa: E731
    published = {"status": "published"}
    posts: list[tuple[str, Any, dict[str, Any]]] = [
        (
            "posts",
            g,
            {
                "title": "Every element from HTML",
                "slug": "every-element-from-html",
                **published,
                "published_at": day(0),
                "html": rich_html(diagram),
                "tags": tags("Photography", "Engineering"),
            },
        ),
        (
            "posts",
            g,
            {
                "title": "A feature image, an internal tag and a non-ASCII tag",
                "slug": "feature-image-and-tags",
                **published,
                "published_at": day(1),
                "feature_image": harbour,
                "feature_image_alt": "Boats in a harbour at dawn",
                "feature_image_caption": "The harbour at <em>dawn</em>",
                "custom_excerpt": "A hand-written excerpt, shown on cards and feeds.",
                "meta_title": "Meta title for search engines",
                "meta_description": "Meta description.",
                "og_title": "Open Graph title",
                "tags": tags("Travel", "Café Ünïcödé", "#internal-hash", "Photography"),
                "html": p("A feature image, 4 tags (one internal), an excerpt, meta."),
            },
        ),
        (
            "posts",  # no ?source=html: Ghost keeps the mobiledoc it is given
            g,
            {
                "title": "Written in the mobiledoc editor",
                "slug": "written-in-mobiledoc",
                **published,
                "published_at": day(2),
                "mobiledoc": mobiledoc(diagram),
                "tags": tags("Books"),
            },
        ),
        (
            "posts",
            g,
            {
                "title": "A draft, half written",
                "status": "draft",
                "html": p("Draft text that is not published yet."),
                "tags": tags("Books"),
            },
        ),
        (
            "posts",
            g,
            {
                "title": "Scheduled for next month",
                "slug": "scheduled-for-next-month",
                "status": "scheduled",
                "published_at": time.strftime("%Y-%m-%dT08:00:00.000Z", future),
                "html": p("This post publishes itself in 30 days."),
                "tags": tags("Science"),
            },
        ),
        (
            "posts",
            g,
            {
                "title": "For members only",
                "slug": "for-members-only",
                **published,
                "published_at": day(3),
                "visibility": "members",
                "html": p("Only signed-in members read this.") + p("Second paragraph."),
                "tags": tags("Finance"),
            },
        ),
        (
            "posts",
            g,
            {
                "title": "Ünïcödé — 日本語のタイトル",
                **published,
                "published_at": day(4),
                "html": p(
                    "Texte accentué : Ærøskøbing, naïve café, Zoë, 日本語のテキスト, "
                    "emoji 📷, <em>“curly quotes”</em> and a dash —."
                ),
                "tags": tags("Café Ünïcödé"),
            },
        ),
        (
            "posts",
            g,
            {
                "title": "Written by two authors",
                "slug": "written-by-two-authors",
                **published,
                "published_at": day(5),
                "authors": [{"id": owner}, {"id": zoe}],
                "html": p("Two authors: the owner first, the second user second."),
                "tags": tags("Music"),
            },
        ),
        (
            "posts",  # an Author must name herself first author to add a post
            zs,
            {
                "title": "Zoë’s first roll of film",
                "slug": "zoes-first-roll-of-film",
                **published,
                "published_at": day(6),
                "authors": [{"id": zoe}],
                "html": p("Written by the second staff user (role Author)."),
                "tags": tags("Photography"),
            },
        ),
        (
            "pages",
            g,
            {
                "title": "Über uns — Café Ünïcödé",
                **published,
                "published_at": day(7),
                "html": p("A page with a non-ASCII title: über, café, 日本語.")
                + "<h2>Kontakt</h2>"
                + p('Write to <a href="mailto:admin@example.com">admin</a>.'),
            },
        ),
        (
            "pages",
            g,
            {
                "title": "Colophon",
                "slug": "colophon",
                **published,
                "published_at": day(8),
                "feature_image": harbour,
                "html": p("Set in the Source theme."),
            },
        ),
    ]
    assert [b["title"] for k, _, b in posts] == [*POSTS, *PAGES]
    for kind, session, body in posts:
        if (kind, body["title"]) in have:
            print(f"{kind[:-1]} already there: {body['title']}")
            continue
        source = "" if "mobiledoc" in body else "?source=html"
        r = call(session, "POST", f"/{kind}/{source}", {kind: [body]})[kind][0]
        print(f"{kind[:-1]} {r['status']:9} {r['slug']}")
    tag = call(g, "GET", "/tags/slug/cafe-unicode/")["tags"][0]
    if not tag["description"]:  # a tag made inside a post gets no description
        desc = {"description": "A tag with a non-ASCII name: café, ünïcödé."}
        call(g, "PUT", f"/tags/{tag['id']}/", {"tags": [desc]})


# --- export, trim, stats --------------------------------------------------------------


def export(a: argparse.Namespace) -> None:
    raw = raw_request(login(a), "/db/")
    json.loads(raw)
    a.dst.write_bytes(raw)
    print(f"{a.dst}: {len(raw):,} bytes", file=sys.stderr)


def is_ordinary(
    post: dict[str, Any],
    authors: dict[str, list[str]],
    ntags: collections.Counter[str],
    owner: str,
) -> bool:
    """A published post as load_ghost_content.py copies them, and nothing else."""
    return (
        post["type"] == "post"
        and post["status"] == "published"
        and post["visibility"] == "public"
        and not post["feature_image"]
        and not post["custom_excerpt"]
        and not post["mobiledoc"]
        and authors.get(post["id"]) == [owner]
        and ntags[post["id"]] == 4
        and set(BLOCK_TAGS.findall(post["html"] or "")) <= {"p", "h2"}
    )


def wanted(table: str, row: dict[str, Any], keep: dict[str, set[str]]) -> bool:
    if table in ("posts", "tags", "users"):
        return row["id"] in keep[table]
    refs = {
        "post_id": "posts",
        "tag_id": "tags",
        "author_id": "users",
        "user_id": "users",
    }
    return all(row.get(k) is None or row[k] in keep[t] for k, t in refs.items())


def redact(table: str, row: dict[str, Any]) -> dict[str, Any]:
    if table == "users" and row.get("password"):
        return {**row, "password": "<redacted>"}
    if table == "settings" and REDACT_SETTINGS.search(row["key"]) and row["value"]:
        return {**row, "value": "<redacted>"}
    return row


def trim(a: argparse.Namespace) -> None:
    db = json.loads(a.src.read_bytes())["db"][0]
    data = db["data"]
    role = {r["id"]: r["name"] for r in data["roles"]}
    owner = next(
        r["user_id"] for r in data["roles_users"] if role[r["role_id"]] == "Owner"
    )
    authors: dict[str, list[str]] = collections.defaultdict(list)
    for r in sorted(data["posts_authors"], key=lambda r: r["sort_order"]):
        authors[r["post_id"]].append(r["author_id"])
    ntags = collections.Counter(r["post_id"] for r in data["posts_tags"])
    ordinary = [p for p in data["posts"] if is_ordinary(p, authors, ntags, owner)]
    ordinary.sort(key=lambda p: (p["published_at"], p["id"]))
    posts = {p["id"] for p in data["posts"]} - {p["id"] for p in ordinary}
    posts |= (
        {p["id"] for p in ordinary[len(ordinary) - a.newest :]} if a.newest else set()
    )
    keep = {
        "posts": posts,
        "tags": {r["tag_id"] for r in data["posts_tags"] if r["post_id"] in posts},
        "users": {owner}
        | {r["author_id"] for r in data["posts_authors"] if r["post_id"] in posts},
    }
    out = {
        table: [redact(table, r) for r in rows if wanted(table, r, keep)]
        for table, rows in data.items()
    }
    text = json.dumps(
        {"db": [{"meta": db["meta"], "data": out}]}, ensure_ascii=False, indent=2
    )
    a.dst.write_text(text + "\n", encoding="utf-8")
    n = f"{len(out['posts'])} of {len(data['posts'])} posts and pages"
    print(f"{a.dst}: {n}, {len(text.encode()) + 1:,} bytes", file=sys.stderr)
    if a.images_from and a.images_to:
        for rel in sorted(set(IMAGE_REF.findall(text))):
            src = a.images_from / rel
            if not src.is_file():
                print(f"image {rel}: not in {a.images_from}", file=sys.stderr)
                continue
            (a.images_to / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, a.images_to / rel)
            print(f"image {rel}: {src.stat().st_size:,} bytes", file=sys.stderr)


def stats(path: Path) -> dict[str, Any]:
    db = json.loads(path.read_bytes())["db"][0]
    d = db["data"]
    by = collections.Counter(f"{p['type']}/{p['status']}" for p in d["posts"])
    fields = ("html", "lexical", "mobiledoc")
    body = collections.Counter(
        "+".join(k for k in fields if p.get(k)) or "none" for p in d["posts"]
    )
    role = {r["id"]: r["name"] for r in d["roles"]}
    user_role = {r["user_id"]: role[r["role_id"]] for r in d["roles_users"]}
    n_authors = collections.Counter(r["post_id"] for r in d["posts_authors"])
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "meta": db["meta"],
        "tables": {k: len(v) for k, v in d.items()},
        "posts_by_type_status": dict(sorted(by.items())),
        "published_posts": by["post/published"],
        "drafts": by["post/draft"],
        "scheduled": by["post/scheduled"],
        "pages": sum(v for k, v in by.items() if k.startswith("page/")),
        "visibility": dict(collections.Counter(p["visibility"] for p in d["posts"])),
        "body_fields": dict(body),
        "with_feature_image": sum(1 for p in d["posts"] if p["feature_image"]),
        "posts_with_several_authors": sum(1 for v in n_authors.values() if v > 1),
        "tags": len(d["tags"]),
        "tags_by_visibility": dict(
            collections.Counter(t["visibility"] for t in d["tags"])
        ),
        "users": [
            {
                "id": u["id"],
                "name": u["name"],
                "slug": u["slug"],
                "status": u["status"],
                "role": user_role.get(u["id"]),
            }
            for u in d["users"]
        ],
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--ghost", default="http://127.0.0.1:2368")
    ap.add_argument(
        "--anchors",
        type=Path,
        default=Path("/work/shared/anchors/ghost"),
        help="folder of the anchor's load_ghost_content.py (client, owner account)",
    )
    ap.add_argument(
        "--ghost-db", type=Path, default=Path("/opt/ghost/content/data/ghost.db")
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("seed", help="add the edge cases through the Admin API")
    e = sub.add_parser("export", help="save Ghost's own export (GET /db/)")
    e.add_argument("dst", type=Path)
    t = sub.add_parser("trim", help="keep the edge cases and what they reference")
    t.add_argument("src", type=Path)
    t.add_argument("dst", type=Path)
    t.add_argument("--newest", type=int, default=2, help="ordinary posts (default 2)")
    t.add_argument("--images-from", type=Path, help="Ghost's content/images folder")
    t.add_argument("--images-to", type=Path, help="where to copy referenced images")
    s = sub.add_parser("stats", help="print what a Ghost export holds, as JSON")
    s.add_argument("file", type=Path)
    a = ap.parse_args()
    if a.cmd == "seed":
        seed(a)
    elif a.cmd == "export":
        export(a)
    elif a.cmd == "trim":
        trim(a)
    else:
        json.dump(stats(a.file), sys.stdout, indent=2, ensure_ascii=False)
        print()


if __name__ == "__main__":
    main()
