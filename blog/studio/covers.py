"""The editor's cover: picked from the images this user may use, or sent
with the form and stored at once."""

from __future__ import annotations

from flask_login import current_user

from blog.articles.uploads import save_upload
from blog.errors import BlogError
from blog.extensions import db
from blog.models import Article, Role, Upload
from blog.studio.article_form import ArticleForm
from blog.studio.uploads import usable_image

COVER_CHOICES = 50


def chosen_cover(form: ArticleForm, article: Article | None) -> int | None:
    """The image picked as cover, or the one sent to be the cover."""
    sent = stored_cover(form)
    if sent is not None:
        return sent.id
    if not form.cover.data:
        return None
    return usable_image(form.cover.data, article).id


def stored_cover(form: ArticleForm) -> Upload | None:
    """The image sent to be the cover, stored at once and picked in the
    form: a page that comes back refused cannot send a file back."""
    sent = form.cover_image.data
    if not (sent and sent.filename):
        return None
    upload = save_upload(
        stream=sent.stream,
        original_name=sent.filename,
        uploader=current_user,
        alt=form.cover_alt.data or "",
    )
    form.cover.data = str(upload.id)
    return upload


def keep_sent_cover(form: ArticleForm) -> None:
    """Store the cover sent with a refused form (not with a forged one)."""
    if form.meta.csrf and form.csrf_token.errors:
        return
    try:
        stored_cover(form)
    except BlogError as error:
        form.cover_image.errors = [*form.cover_image.errors, error.message]


def usable_images(article: Article | None) -> list[Upload]:
    """The newest images this user may use, and the article's own cover."""
    uploader_id = None if current_user.has_role(Role.EDITOR) else current_user.id
    images = list(
        db.session.scalars(Upload.select_newest(uploader_id).limit(COVER_CHOICES))
    )
    if article is not None and article.cover and article.cover not in images:
        images.append(article.cover)
    return images
