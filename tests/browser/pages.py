"""Every page type a person can see, with who sees it, for the audits."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.exceptions import (
    BadRequest,
    Forbidden,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
    TooManyRequests,
)

from blog import errors
from tests.browser.live_site import LiveSite


@dataclass(frozen=True)
class PageType:
    name: str
    # {article}, {article_id}, {revision_id}, {comment_id} and the followers'
    # {manage_token} and {confirm_token} name the seeded site's rows
    # (live_site.Seeded).
    path: str
    role: str = "anonymous"  # or a key of live_site.ACCOUNTS
    status: int = 200

    def address(self, site: LiveSite) -> str:
        return site.url + self.path.format(**vars(site.seeded))


STUDIO_ARTICLE = "/studio/articles/{article_id}"
PAGE_TYPES = [
    PageType("home", "/"),
    PageType("home, page 2", "/?page=2"),
    PageType("article with threaded comments", "/articles/{article_slug}"),
    PageType("article, reader's comment form", "/articles/{article_slug}", "reader"),
    PageType(
        "reply form",
        "/articles/{article_slug}?reply_to={comment_id}#reply-form",
        "reader",
    ),
    PageType("page", "/about"),
    PageType("category", "/category/news"),
    PageType("tag", "/tag/python"),
    PageType("author", "/author/author"),
    PageType("archive", "/archive"),
    PageType("archive year", "/archive/2026"),
    PageType("search, empty", "/search"),
    PageType("search results", "/search?q=article"),
    PageType("subscribe", "/subscribe"),
    PageType("subscription confirmed", "/subscribe/confirm/{confirm_token}"),
    PageType("manage a subscription", "/subscribe/manage/{manage_token}"),
    PageType("unsubscribe", "/unsubscribe/{manage_token}"),
    PageType("a dead subscription link", "/unsubscribe/forged", status=404),
    PageType("log in", "/auth/login"),
    PageType("register", "/auth/register"),
    PageType("password reset", "/auth/reset"),
    PageType("account", "/auth/account", "reader"),
    PageType("edit a comment", "/comments/{comment_id}/edit", "reader"),
    PageType("delete a comment", "/comments/{comment_id}/delete", "reader"),
    PageType("studio dashboard", "/studio/", "author"),
    PageType("editor, new article", "/studio/articles/new", "author"),
    PageType("editor, new page", "/studio/articles/new?kind=page", "author"),
    PageType("editor", STUDIO_ARTICLE + "/edit", "author"),
    PageType("revisions", STUDIO_ARTICLE + "/revisions", "author"),
    PageType("revision", STUDIO_ARTICLE + "/revisions/{revision_id}", "author"),
    PageType("delete an article", STUDIO_ARTICLE + "/delete", "author"),
    PageType("images", "/studio/uploads", "author"),
    PageType("profile", "/studio/profile", "author"),
    # Without a photo: the initials drawn in the page.
    PageType("profile, no photo", "/studio/profile", "admin"),
    PageType("moderation queue", "/studio/comments?status=pending", "admin"),
    PageType("accounts", "/studio/users", "admin"),
    PageType("settings", "/studio/settings", "admin"),
    PageType("menus", "/studio/navigation", "admin"),
    PageType("export", "/studio/export", "admin"),
    PageType("subscribers", "/studio/subscribers", "admin"),
    PageType("not found", "/no-such-page", status=404),
    PageType("forbidden", "/studio/users", "reader", status=403),
    PageType("bad request", "/error/400", status=400),
    PageType("method not allowed", "/error/405", status=405),
    PageType("too large", "/error/413", status=413),
    PageType("too many requests", "/error/429", status=429),
    PageType("server error", "/error/500", status=500),
]


RENDERED_ERRORS = {
    400: BadRequest(),
    403: Forbidden(),
    404: NotFound(),
    405: MethodNotAllowed(["POST"]),
    413: RequestEntityTooLarge(),
    429: TooManyRequests(),
}


def rendered_error_page(site: LiveSite, status: int) -> str:
    """An error page as the server renders it, for the statuses no page of
    the live site is meant to answer with (a crash, a rate limit)."""
    with site.app.test_request_context(f"/error/{status}"):
        if status == 500:
            response = errors.handle_unexpected_error(RuntimeError("a test crash"))
            body, _status = response
            return body if isinstance(body, str) else body.get_data(as_text=True)
        return errors.handle_http_error(RENDERED_ERRORS[status]).get_data(as_text=True)
