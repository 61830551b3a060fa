"""Studio images: upload one with its description, get the Markdown that
shows it; describe it again later. The editor's script uploads the images an
author drops or pastes through upload_for_editor()."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blog.articles.uploads import save_upload
from blog.database import write_transaction
from blog.errors import BlogError, InvalidInput, PermissionDenied
from blog.extensions import db
from blog.forms import first_error
from blog.http import page_number
from blog.models import Article, Role, Upload
from blog.permissions import require_role
from blog.studio.blueprint import bp
from blog.studio.forms import AltForm, UploadForm


@bp.route("/uploads", methods=["GET", "POST"])
@login_required
@require_role(Role.AUTHOR)
def uploads() -> Response | tuple[str, int]:
    form = UploadForm()
    if form.validate_on_submit():
        try:
            upload = uploaded(form)
        except BlogError as error:
            form.image.errors.append(error.message)
        else:
            flash(
                _(
                    "Uploaded. Paste this into an article: %(markdown)s",
                    markdown=markdown_for(upload),
                )
            )
            return redirect(url_for("studio.uploads"), code=303)
    status = 400 if request.method == "POST" else 200
    return uploads_page(form), status


@bp.post("/uploads/insert")
@login_required
@require_role(Role.AUTHOR)
def upload_for_editor() -> Response | tuple[Response, int]:
    """An image dropped or pasted into the editor: stored with the alt text
    the author gave, answered with the Markdown to insert (JSON)."""
    form = UploadForm()
    if not form.validate_on_submit():
        return jsonify(error=first_error(form)), 400
    try:
        upload = uploaded(form)
    except BlogError as error:
        return jsonify(error=error.message), error.status_code
    return jsonify(
        id=upload.id,
        label=image_label(upload),
        markdown=markdown_for(upload),
        url=url_for("site.upload", filename=upload.filename),
    )


@bp.post("/uploads/<int:upload_id>/alt")
@login_required
@require_role(Role.AUTHOR)
def describe(upload_id: int) -> Response | tuple[str, int]:
    """Give an image its alt text, or change it: new inserts and covers
    without text of their own use it."""
    upload = db.get_or_404(Upload, upload_id)
    if not can_change(upload):
        raise PermissionDenied(
            _("Only its uploader or an editor can describe this image.")
        )
    form = AltForm(prefix=f"upload-{upload.id}")
    if form.alt.name not in request.form:
        # An empty description is a choice; a form without one is not.
        form.alt.errors = [_("No description was sent.")]
    elif form.validate_on_submit():
        with write_transaction():
            upload.alt = (form.alt.data or "").strip()
        flash(_("The description of %(name)s is saved.", name=upload.original_name))
        return redirect(url_for("studio.uploads", page=page_number()), code=303)
    return uploads_page(UploadForm(formdata=None), refused={upload.id: form}), 400


def uploaded(form: UploadForm) -> Upload:
    return save_upload(
        stream=form.image.data.stream,
        original_name=form.image.data.filename or "",
        uploader=current_user,
        alt=form.alt.data or "",
    )


def usable_image(upload_id: str, article: Article | None) -> Upload:
    """An image this user may put in an article: their own, any for editors,
    or the one the article already has."""
    upload = db.session.get(Upload, int(upload_id)) if is_row_id(upload_id) else None
    if upload is None or not (
        can_change(upload) or (article is not None and article.cover_id == upload.id)
    ):
        raise InvalidInput(_("That image is not one you can use. Choose another."))
    return upload


def is_row_id(text: str) -> bool:
    """Digits a database integer can hold ("²" is a digit to str.isdigit)."""
    return text.isascii() and text.isdigit() and len(text) <= 9


def can_change(upload: Upload) -> bool:
    return current_user.has_role(Role.EDITOR) or upload.uploader_id == current_user.id


def uploads_page(form: UploadForm, refused: dict[int, AltForm] | None = None) -> str:
    """The images page; `refused` holds description forms sent back with
    their messages."""
    per_page = current_app.config["UPLOADS_PER_PAGE"]
    # Authors see their own images; editors and admins see everyone's.
    uploader_id = None if current_user.has_role(Role.EDITOR) else current_user.id
    page = db.paginate(
        Upload.select_newest(uploader_id),
        page=page_number(),
        per_page=per_page,
        max_per_page=per_page,
    )
    alt_forms = {
        upload.id: AltForm(prefix=f"upload-{upload.id}", formdata=None, alt=upload.alt)
        for upload in page.items
    } | (refused or {})
    return render_template(
        "studio/uploads.html",
        form=form,
        page=page,
        alt_forms=alt_forms,
        markdown_for=markdown_for,
    )


def markdown_for(upload: Upload) -> str:
    """The Markdown that shows this image in an article, with its alt text."""
    description = upload.alt.replace("]", "").replace("[", "").replace("\n", " ")
    return f"![{description}]({url_for('site.upload', filename=upload.filename)})"


def image_label(upload: Upload) -> str:
    """How a list of images names one: its description, else its file name."""
    return f"{upload.alt or upload.original_name} ({upload.width}×{upload.height})"
