"""Studio › Subscribers, for admins: who follows by e-mail, the list as CSV,
and erasing one (GDPR)."""

from __future__ import annotations

from flask import (
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from blog.extensions import db
from blog.forms import ButtonForm
from blog.http import page_number
from blog.models import Role, Subscriber, SubscriberState
from blog.permissions import require_role
from blog.studio.blueprint import bp
from blog.subscriptions import admin

SEARCH_MAX = 254


@bp.get("/subscribers")
@login_required
@require_role(Role.ADMIN)
def subscribers() -> str:
    text = request.args.get("q", "")[:SEARCH_MAX]
    state_name = request.args.get("state", "")
    state = (
        SubscriberState(state_name)
        if state_name in {member.value for member in SubscriberState}
        else None
    )
    per_page = current_app.config["USERS_PER_PAGE"]
    page = db.paginate(
        admin.search(text, state),
        page=page_number(),
        per_page=per_page,
        max_per_page=per_page,
    )
    return render_template(
        "studio/subscribers.html",
        page=page,
        counts=admin.counts(),
        query=text,
        state=state.value if state else "",
        states=[member.value for member in SubscriberState],
        state_names=state_names(),
        state_since=admin.state_since,
    )


def state_names() -> dict[str, str]:
    return {
        SubscriberState.CONFIRMED.value: _("confirmed"),
        SubscriberState.PENDING.value: _("waiting to confirm"),
        SubscriberState.UNSUBSCRIBED.value: _("unsubscribed"),
        SubscriberState.BOUNCED.value: _("bounced"),
    }


@bp.get("/subscribers.csv")
@login_required
@require_role(Role.ADMIN)
def subscribers_csv() -> Response:
    response = Response(
        stream_with_context(admin.csv_lines()), mimetype="text/csv; charset=utf-8"
    )
    response.headers["Content-Disposition"] = 'attachment; filename="subscribers.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/subscribers/<int:subscriber_id>/remove", methods=["GET", "POST"])
@login_required
@require_role(Role.ADMIN)
def remove_subscriber(subscriber_id: int) -> WerkzeugResponse | str:
    """GET asks; POST erases the address and everything sent to it."""
    subscriber = db.get_or_404(Subscriber, subscriber_id)
    form = ButtonForm()
    if form.validate_on_submit():
        email = subscriber.email
        admin.remove(subscriber.id)
        flash(_("%(email)s is removed, with everything sent to it.", email=email))
        return redirect(url_for("studio.subscribers"), code=303)
    return render_template(
        "studio/remove_subscriber.html", subscriber=subscriber, form=form
    )
