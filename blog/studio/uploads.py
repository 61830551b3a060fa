"""Studio uploads: send an image, get the Markdown to paste."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blog.articles.uploads import save_upload
from blog.errors import BlogError
from blog.extensions import db
from blog.http import page_number
from blog.models import Role, Upload
from blog.permissions import require_role
from blog.studio.blueprint import bp
from blog.studio.forms import UploadForm


@bp.route("/uploads", methods=["GET", "POST"])
@login_required
@require_role(Role.AUTHOR)
def uploads() -> Response | tuple[str, int]:
    form = UploadForm()
    if form.validate_on_submit():
        try:
            upload = save_upload(
                stream=form.image.data.stream,
                original_name=form.image.data.filename or "",
                uploader=current_user,
            )
        except BlogError as error:
            form.image.errors.append(error.message)
        else:
            snippet = markdown_for(upload, form.alt.data)
            flash(f"Uploaded. Paste this into an article: {snippet}")
            return redirect(url_for("studio.uploads"), code=303)
    status = 400 if request.method == "POST" else 200
    return uploads_page(form), status


def uploads_page(form: UploadForm) -> str:
    per_page = current_app.config["UPLOADS_PER_PAGE"]
    # Authors see their own images; editors and admins see everyone's.
    uploader_id = None if current_user.has_role(Role.EDITOR) else current_user.id
    page = db.paginate(
        Upload.select_newest(uploader_id),
        page=page_number(),
        per_page=per_page,
        max_per_page=per_page,
    )
    return render_template(
        "studio/uploads.html", form=form, page=page, markdown_for=markdown_for
    )


def markdown_for(upload: Upload, alt: str | None = None) -> str:
    """The Markdown that shows this image in an article."""
    description = (alt or "").replace("]", "").replace("[", "") or "Describe the image"
    return f"![{description}]({url_for('site.upload', filename=upload.filename)})"
