"""Trim a real WordPress export (WXR) into a small fixture, or count what a WXR holds.

    python tests/data/wordpress/trim_wxr.py trim FULL.wxr OUT.wxr \
        [--newest 3] [--oldest 1] [--most-commented 1] [--keep-id ID ...]
    python tests/data/wordpress/trim_wxr.py stats FILE.wxr

`trim` removes whole <item> elements and nothing else: the output is the input's bytes
with the lines of the dropped items cut out, so the channel header (site, authors,
categories, tags, terms), the kept items and their comments stay exactly as WordPress
wrote them. It keeps every item that is not an "ordinary" post of the anchor's
generator (load_content.php: a published post by admin, only paragraph and heading
blocks, one category and three tags, no excerpt, no postmeta, only approved top-level
comments by visitors), i.e. every edge case that add_edge_cases.php made, and of the
ordinary posts the newest N, the oldest N and the N with the most comments, whole, with
all their comments. `stats` prints, as JSON, what a WXR holds: items by type and
status, comments by status and type, authors, categories, tags, postmeta keys.

Needs lxml (the project's [test] extra). WordPress writes WXR; never edit one by hand.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

from lxml import etree

WP = "http://wordpress.org/export/1.2/"
NS = {
    "wp": WP,
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
BLOCK = re.compile(r"<!-- wp:([a-z0-9/-]+)")
COMMENT_STATUS = {"1": "approved", "0": "pending", "trash": "trash", "spam": "spam"}


def parse(data: bytes) -> etree._ElementTree:
    # huge_tree: a whole site's WXR can hold text nodes over libxml2's default limit
    parser = etree.XMLParser(huge_tree=True, strip_cdata=False, resolve_entities=False)
    return etree.ElementTree(etree.fromstring(data, parser))


def text(el: etree._Element, path: str) -> str:
    found = el.find(path, NS)
    return "" if found is None or found.text is None else found.text


def is_ordinary(item: etree._Element) -> bool:
    """A published post as load_content.php makes them, with nothing else about it."""
    if text(item, "wp:post_type") != "post" or text(item, "wp:status") != "publish":
        return False
    if text(item, "dc:creator") != "admin" or text(item, "excerpt:encoded"):
        return False
    if item.find("wp:postmeta", NS) is not None or text(item, "wp:post_password"):
        return False
    domains = collections.Counter(c.get("domain") for c in item.findall("category"))
    if domains != {"category": 1, "post_tag": 3}:
        return False
    blocks = set(BLOCK.findall(text(item, "content:encoded")))
    if not blocks or not blocks <= {"paragraph", "heading"}:
        return False
    return all(
        text(c, "wp:comment_approved") == "1"
        and text(c, "wp:comment_type") in ("comment", "")
        and text(c, "wp:comment_user_id") == "0"
        and text(c, "wp:comment_parent") == "0"
        for c in item.findall("wp:comment", NS)
    )


def choose(items: list[etree._Element], a: argparse.Namespace) -> set[int]:
    """Indexes of the items to keep."""
    keep = {i for i, it in enumerate(items) if not is_ordinary(it)}
    ordinary = [i for i, it in enumerate(items) if is_ordinary(it)]

    def date(i: int) -> tuple[str, int]:
        return text(items[i], "wp:post_date_gmt"), int(text(items[i], "wp:post_id"))

    by_date = sorted(ordinary, key=date)
    keep.update(by_date[len(by_date) - a.newest :] if a.newest else [])
    keep.update(by_date[: a.oldest])
    by_comments = sorted(
        ordinary, key=lambda i: (-len(items[i].findall("wp:comment", NS)), date(i))
    )
    keep.update(by_comments[: a.most_commented])
    ids = {str(x) for x in a.keep_id}
    keep.update(i for i, it in enumerate(items) if text(it, "wp:post_id") in ids)
    return keep


# <item> and </item> outside CDATA sections and XML comments (WXR puts text in CDATA)
TOKENS = re.compile(rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<item>|</item>", re.S)


def item_spans(data: bytes) -> list[tuple[int, int]]:
    """Byte ranges of the items, from <item>'s line start to </item>'s line end."""
    spans, start = [], -1
    for m in TOKENS.finditer(data):
        if m.group() == b"<item>":
            assert start < 0, "nested <item>"
            start = data.rfind(b"\n", 0, m.start()) + 1
            assert not data[start : m.start()].strip(), "text before <item> on its line"
        elif m.group() == b"</item>":
            assert start >= 0, "</item> without <item>"
            end = data.find(b"\n", m.end())
            end = len(data) if end < 0 else end + 1
            assert not data[m.end() : end].strip(), "text after </item> on its line"
            spans.append((start, end))
            start = -1
    return spans


def gaps(
    spans: list[tuple[int, int]], keep: set[int], size: int
) -> list[tuple[int, int]]:
    """The byte ranges left when the items not in keep are cut out."""
    out, pos = [], 0
    for k, (s, e) in enumerate(spans):
        if k not in keep:
            out.append((pos, s))
            pos = e
    out.append((pos, size))
    return out


def trim(src: Path, dst: Path, a: argparse.Namespace) -> None:
    data = src.read_bytes()
    tree = parse(data)
    channel = tree.getroot().find("channel")
    assert channel is not None, "no <channel>"
    items = channel.findall("item")
    keep = choose(items, a)

    spans = item_spans(data)
    assert len(spans) == len(items), (
        f"{len(spans)} <item> tags in the text, {len(items)} items in the tree"
    )
    out = b"".join(data[s:e] for s, e in gaps(spans, keep, len(data)))

    # the result must be the same document with fewer items
    small = parse(out).getroot().find("channel")
    assert small is not None
    want = [etree.tostring(it) for k, it in enumerate(items) if k in keep]
    assert [etree.tostring(it) for it in small.findall("item")] == want
    assert [etree.tostring(c) for c in small if c.tag != "item"] == [
        etree.tostring(c) for c in channel if c.tag != "item"
    ]
    dst.write_bytes(out)
    print(
        f"{dst}: {len(keep)} of {len(items)} items, {len(out):,} bytes", file=sys.stderr
    )


def stats(path: Path) -> dict[str, object]:
    root = parse(path.read_bytes()).getroot()
    channel = root.find("channel")
    assert channel is not None
    items = channel.findall("item")
    by_type: collections.Counter[str] = collections.Counter()
    comments: collections.Counter[str] = collections.Counter()
    comment_types: collections.Counter[str] = collections.Counter()
    postmeta: collections.Counter[str] = collections.Counter()
    for it in items:
        by_type[f"{text(it, 'wp:post_type')}/{text(it, 'wp:status')}"] += 1
        for m in it.findall("wp:postmeta", NS):
            postmeta[text(m, "wp:meta_key")] += 1
        for c in it.findall("wp:comment", NS):
            a = text(c, "wp:comment_approved")
            comments[COMMENT_STATUS.get(a, a)] += 1
            comment_types[text(c, "wp:comment_type") or "(empty)"] += 1
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "wxr_version": text(channel, "wp:wxr_version"),
        "generator": text(channel, "generator"),
        "link": text(channel, "link"),
        "base_site_url": text(channel, "wp:base_site_url"),
        "base_blog_url": text(channel, "wp:base_blog_url"),
        "authors": [
            text(x, "wp:author_login") for x in channel.findall("wp:author", NS)
        ],
        "categories": len(channel.findall("wp:category", NS)),
        "tags": len(channel.findall("wp:tag", NS)),
        "terms": len(channel.findall("wp:term", NS)),
        "items": len(items),
        "items_by_type_status": dict(sorted(by_type.items())),
        "ordinary_posts": sum(map(is_ordinary, items)),
        "comments": sum(comments.values()),
        "comments_by_status": dict(sorted(comments.items())),
        "comments_by_type": dict(sorted(comment_types.items())),
        "postmeta_keys": dict(sorted(postmeta.items())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("trim", help="keep the edge cases and a few ordinary posts")
    t.add_argument("src", type=Path)
    t.add_argument("dst", type=Path)
    t.add_argument(
        "--newest",
        type=int,
        default=3,
        help="newest ordinary posts to keep (default 3)",
    )
    t.add_argument(
        "--oldest",
        type=int,
        default=1,
        help="oldest ordinary posts to keep (default 1)",
    )
    t.add_argument(
        "--most-commented",
        type=int,
        default=1,
        help="ordinary posts with most comments (default 1)",
    )
    t.add_argument(
        "--keep-id",
        type=int,
        action="append",
        default=[],
        help="also keep this wp:post_id",
    )
    s = sub.add_parser("stats", help="print what a WXR holds, as JSON")
    s.add_argument("file", type=Path)
    a = ap.parse_args()
    if a.cmd == "trim":
        trim(a.src, a.dst, a)
    else:
        json.dump(stats(a.file), sys.stdout, indent=2, ensure_ascii=False)
        print()


if __name__ == "__main__":
    main()
