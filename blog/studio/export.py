"""The export as a download, for admins: the same zip `flask --app blog
export FILE.zip` writes, built in the instance folder and streamed from its
file. The export's code is imported on the first download only: a worker
that never exports never loads it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from blog.extensions import db
from blog.forms import ButtonForm
from blog.models import Role, utcnow
from blog.moving.export_queries import select_counts
from blog.permissions import require_role
from blog.studio.blueprint import bp


@bp.get("/export")
@login_required
@require_role(Role.ADMIN)
def export() -> str:
    counts = dict(db.session.execute(select_counts()).mappings().one())
    return render_template("studio/export.html", form=ButtonForm(), counts=counts)


@bp.post("/export")
@login_required
@require_role(Role.ADMIN)
def download_export() -> Response:
    if not ButtonForm().validate_on_submit():
        flash(_("This page has expired. Reload it and try again."))
        return redirect(url_for("studio.export"), code=303)
    # The first export only.
    from blog.moving.export_writer import export_site, remove_stale_folders

    scratch = Path(current_app.instance_path) / "exports"
    scratch.mkdir(mode=0o700, parents=True, exist_ok=True)
    remove_stale_folders(scratch)
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        built = Path(folder) / "export.zip"
        export_site(built)
        # Open, then removed with its folder: the open file streams on, and
        # nothing is left behind however the download ends.
        file = built.open("rb")
    return send_file(
        file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"blog-export-{utcnow():%Y-%m-%d}.zip",
        conditional=False,
        etag=False,
    )
