"""Following the blog by e-mail: the subscribe form's answer, and the pages
the signed links in subscribers' mail open (confirm, manage, unsubscribe).

The GET of /subscribe is the feeds' page (blog/feeds/routes.py), which
shows this form among the ways to follow; its POST is here."""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.wrappers import Response as FlaskResponse
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user, login_required
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from blog.cache import exempt_blueprint
from blog.errors import BlogError, render_error
from blog.extensions import csrf, limiter
from blog.forms import add_error, first_error
from blog.models import Subscriber
from blog.subscriptions import services
from blog.subscriptions.forms import AccountSubscribeForm, ManageForm, SubscribeForm
from blog.subscriptions.links import (
    CONFIRM_PURPOSE,
    MANAGE_PURPOSE,
    manage_path,
    subscriber_from,
)
from blog.subscriptions.mails import what_they_get

bp = Blueprint("subscriptions", __name__)
exempt_blueprint(bp, "one reader's request, or a page a personal signed link opens")

Page = Response | str | tuple[str, int]
# Per client address, and per address typed (normalised), whatever its state.
LIMIT_PER_CLIENT = "10/hour"
LIMIT_PER_ADDRESS = "3/hour"


def submitted_address() -> str:
    """Rate-limit key: the typed address as it will be stored, so that
    "Ann@Example.com " and "ann@example.com" count as one."""
    typed = request.form.get("email", "")
    try:
        address = services.normalised_address(typed)
    except BlogError:
        address = typed.strip().lower()[:254]
    # "ann+1@" and "ann+2@" land in ann@'s inbox (RFC 5233 subaddresses):
    # one mailbox, one count.
    local, at, domain = address.rpartition("@")
    if at and "+" in local:
        address = local.split("+", 1)[0] + at + domain
    return "subscribe:" + address


def too_many(message: str, limit: RequestLimit) -> FlaskResponse:
    body, status = render_error(429, TooManyRequests().name, message)
    response = make_response(body, status)
    response.headers["Retry-After"] = str(max(1, limit.reset_at - int(time.time())))
    return response


def too_many_from_here(limit: RequestLimit) -> FlaskResponse:
    return too_many(
        _(
            "Too many subscription requests came from your network in the last "
            "hour. Nothing was sent. Wait an hour, then try again."
        ),
        limit,
    )


def too_many_for_address(limit: RequestLimit) -> FlaskResponse:
    return too_many(
        _(
            "This address was asked for several times in the last hour. Nothing "
            "more was sent: if you asked, our mail is in your inbox (or your spam "
            "folder). Otherwise, wait an hour and try again."
        ),
        limit,
    )


@bp.post("/subscribe")
@csrf.exempt  # the form is on cached pages: see SubscribeForm
@limiter.limit(LIMIT_PER_CLIENT, scope="subscribe-ip", on_breach=too_many_from_here)
@limiter.limit(
    LIMIT_PER_ADDRESS,
    key_func=submitted_address,
    scope="subscribe-address",
    on_breach=too_many_for_address,
)
def subscribe() -> Page:
    form = SubscribeForm()
    if not form.validate_on_submit():
        return render_template("feeds/subscribe.html", subscribe_form=form), 400
    services.request_subscription(form.email.data or "", form.chosen_frequency)
    # The same page whatever the address's state: it tells nobody who
    # subscribed.
    return render_template("subscriptions/requested.html", email=form.email.data)


def link_not_valid() -> tuple[str, int]:
    """One answer for a forged, expired or voided link: it names nobody."""
    form = SubscribeForm(formdata=None)
    return render_template("subscriptions/invalid_link.html", form=form), 404


@bp.get("/subscribe/confirm/<token>")
def confirm(token: str) -> Page:
    """A GET, as mail clients open links: following it twice is harmless."""
    subscriber = subscriber_from(token, CONFIRM_PURPOSE)
    if subscriber is None:
        return link_not_valid()
    try:
        confirmed_now = services.confirm(subscriber)
    except services.LinkNotValid:
        return link_not_valid()
    return render_template(
        "subscriptions/confirmed.html",
        subscriber=subscriber,
        confirmed_now=confirmed_now,
        manage_url=manage_path(subscriber),
    )


@bp.route("/subscribe/manage/<token>", methods=["GET", "POST"])
def manage(token: str) -> Page:
    subscriber = subscriber_from(token, MANAGE_PURPOSE)
    if subscriber is None:
        return link_not_valid()
    form = ManageForm(frequency=subscriber.frequency.value)
    if form.validate_on_submit():
        try:
            services.change_frequency(subscriber, form.chosen_frequency)
        except services.LinkNotValid:
            return link_not_valid()
        except BlogError as error:
            add_error(form.frequency, error.message)
        else:
            flash(
                _(
                    "Saved: you will get %(what)s.",
                    what=what_they_get(subscriber.frequency),
                )
            )
            return redirect(url_for("subscriptions.manage", token=token), code=303)
    status = 400 if request.method == "POST" else 200
    return manage_page(subscriber, form, token), status


def manage_page(subscriber: Subscriber, form: ManageForm, token: str) -> str:
    return render_template(
        "subscriptions/manage.html",
        subscriber=subscriber,
        form=form,
        token=token,
        resubscribe_form=SubscribeForm(formdata=None, email=subscriber.email),
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str) -> Page:
    """The List-Unsubscribe address. A GET only asks to confirm: mail
    scanners open links. A POST unsubscribes at once (RFC 8058's one-click:
    the mail client posts "List-Unsubscribe=One-Click", with no session and
    no CSRF token, which is why this view is exempt), and does nothing
    else: no session, no other change, 200 however often it comes."""
    subscriber = subscriber_from(token, MANAGE_PURPOSE)
    if subscriber is None:
        return link_not_valid()
    resubscribe_form = SubscribeForm(formdata=None, email=subscriber.email)
    if request.method == "GET":
        template = "subscriptions/unsubscribe.html"
    else:
        try:
            services.unsubscribe(subscriber)
        except services.LinkNotValid:
            return link_not_valid()
        template = "subscriptions/unsubscribed.html"
    return render_template(
        template, subscriber=subscriber, token=token, form=resubscribe_form
    )


@bp.post("/subscribe/account")
@login_required
def account_subscribe() -> Response:
    """The account page's one click. An account's address is not verified
    on this blog (anyone may register with any address), so it gets the
    same double opt-in as the public form: a confirmation mail."""
    form = AccountSubscribeForm()
    if not form.validate_on_submit():
        flash(first_error(form))
    else:
        try:
            services.request_subscription(
                current_user.email, form.chosen_frequency, user_id=current_user.id
            )
        except BlogError as error:
            flash(error.message)
        else:
            flash(
                _(
                    "Check your inbox at %(email)s: open the link in our mail to "
                    "start receiving new articles.",
                    email=current_user.email,
                )
            )
    return redirect(url_for("auth.account", _anchor="subscription"), code=303)
