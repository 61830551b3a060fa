"""Accounts: register, log in and out, the account page, password reset."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from blog.auth import services, sessions
from blog.auth.forms import (
    DeleteAccountForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from blog.cache import exempt_blueprint
from blog.errors import BlogError
from blog.extensions import limiter
from blog.forms import ButtonForm, add_error, text_of
from blog.http import safe_next_url
from blog.ratelimit import (
    LOGIN_PAIR_SCOPE,
    address_has_logged_in_to_submitted_account,
)
from blog.site_settings import current_site
from blog.subscriptions.account import account_panel

bp = Blueprint("auth", __name__, url_prefix="/auth")
exempt_blueprint(bp, "forms with a CSRF token, and a reader's own account")

Page = Response | str | tuple[str, int]


def submitted_email() -> str:
    """Rate-limit key for per-account limits: the address typed in the form."""
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def submitted_email_from_here() -> str:
    """Logins are counted per account and client address together: a
    stranger who keeps failing for someone's account is stopped, while the
    owner, from their own address, still gets in. (Counted per account alone,
    twenty wrong passwords from anywhere would lock the owner out.) Only
    failures stay counted, but each attempt is counted up front so that no
    parallel burst passes (blog/ratelimit.py, give_back_login_attempt).

    Guessing spread over many addresses meets a ceiling per account instead
    (RATELIMIT_LOGIN_ACCOUNT_CEILING), above what one address can fail, so
    one stranger never reaches it. It slows a botnet to that many guesses an
    hour, and holds back only addresses that never logged in to the account:
    the owner, from where they logged in before, is not refused; from a new
    address in the middle of such an attack they wait out the hour. We chose
    this over an e-mailed sign-in link, which would be a second login path to
    secure, for a case (a distributed attack on one account) that is rare."""
    return f"{submitted_email()}:from:{get_remote_address()}"


def registration_closed_page() -> tuple[str, int]:
    return render_template("auth/registration_closed.html"), 403


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("5/hour", methods=["POST"], scope="register-ip")
def register() -> Page:
    if not current_site().registration_open:
        return registration_closed_page()
    form = RegistrationForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = services.register_user(
                email=text_of(form.email),
                display_name=text_of(form.display_name),
                password=text_of(form.password),
            )
        except BlogError as error:
            add_error(form.email, error.message)
        else:
            sessions.log_in(user)
            flash(
                _("Welcome, %(name)s. Your account is ready.", name=user.display_name)
            )
            return redirect(safe_next_url(form.next.data), code=303)
    return render_template("auth/register.html", form=form), form_status()


def failed_login(response: Response) -> bool:
    """Only failures count against the per-address limits and the account's
    ceiling, so nobody can lock a user out of their account by failing to log
    in as them, nor an office behind one address by logging in. Success
    redirects. An attempt refused with 429 checked no password: it is no
    guess either, and counting it would let one address that keeps knocking
    fill the limits it has not met yet (the account's ceiling among them)."""
    return response.status_code not in (303, 429)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    "10/minute;50/hour", methods=["POST"], scope="login-ip", deduct_when=failed_login
)
@limiter.limit(
    "5/minute",
    methods=["POST"],
    key_func=submitted_email_from_here,
    scope=LOGIN_PAIR_SCOPE,
)
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT_CEILING"],
    methods=["POST"],
    key_func=submitted_email,
    scope="login-account-ceiling",
    deduct_when=failed_login,
    exempt_when=address_has_logged_in_to_submitted_account,
)
def login() -> Page:
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(safe_next_url(form.next.data))
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                email=text_of(form.email), password=text_of(form.password)
            )
        except BlogError as error:
            add_error(form.password, error.message)
        else:
            sessions.log_in(user, remember=bool(form.remember.data))
            flash(_("Welcome back, %(name)s.", name=user.display_name))
            return redirect(safe_next_url(form.next.data), code=303)
    return render_template("auth/login.html", form=form), form_status()


@bp.post("/logout")
@login_required
def logout() -> Response:
    if ButtonForm().validate_on_submit():
        sessions.log_out()
        flash(_("You are logged out."))
    return redirect(url_for("articles.index"), code=303)


def form_status() -> int:
    """200 for a fresh form, 400 when a submitted one is sent back with errors."""
    return 400 if request.method == "POST" else 200


def account_page(**forms: object) -> str:
    forms.setdefault(
        "profile_form",
        ProfileForm(
            display_name=current_user.display_name,
            notify_replies=current_user.notify_replies,
            formdata=None,
        ),
    )
    forms.setdefault("password_form", PasswordChangeForm(formdata=None))
    forms.setdefault("delete_form", DeleteAccountForm(formdata=None))
    return render_template(
        "auth/account.html",
        # Comment.author_name's DELETED_USER_NAME, in the site's language.
        deleted_user_name=_("deleted user"),
        sessions=sessions.live_sessions(current_user),
        current_session=sessions.current_session_digest(),
        describe_browser=sessions.describe_browser,
        logout_others_form=ButtonForm(formdata=None),
        **account_panel(current_user),
        **forms,
    )


@bp.get("/account")
@login_required
def account() -> str:
    return account_page()


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions() -> Response:
    if ButtonForm().validate_on_submit():
        ended = sessions.end_other_sessions(current_user)
        flash(
            ngettext(
                "Logged out %(num)d other session.",
                "Logged out %(num)d other sessions.",
                ended,
            )
        )
    return redirect(url_for("auth.account"), code=303)


@bp.post("/account/profile")
@login_required
def update_profile() -> Page:
    form = ProfileForm()
    if form.validate_on_submit():
        try:
            services.update_profile(
                user=current_user,
                display_name=text_of(form.display_name),
                notify_replies=form.notify_replies.data,
            )
        except BlogError as error:
            add_error(form.display_name, error.message)
        else:
            flash(_("Your profile is saved."))
            return redirect(url_for("auth.account"), code=303)
    return account_page(profile_form=form), 400


@bp.post("/account/password")
@login_required
def change_password() -> Page:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(
                user=current_user,
                current_password=text_of(form.current_password),
                new_password=text_of(form.password),
            )
        except BlogError as error:
            add_error(form.current_password, error.message)
        else:
            # Every session of the account ended; this browser gets a new one.
            sessions.log_in(user)
            flash(_("Your password is changed. Other sessions have been logged out."))
            return redirect(url_for("auth.account"), code=303)
    return account_page(password_form=form), 400


@bp.post("/account/delete")
@login_required
def delete_account() -> Page:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(
                user=current_user, password=text_of(form.current_password)
            )
        except BlogError as error:
            add_error(form.current_password, error.message)
        else:
            sessions.log_out()
            flash(
                _(
                    "Your account is deleted. Your comments remain as “%(name)s”.",
                    name=_("deleted user"),
                )
            )
            return redirect(url_for("articles.index"), code=303)
    return account_page(delete_form=form), 400


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(
    "3/hour", methods=["POST"], key_func=submitted_email, scope="reset-account"
)
def request_reset() -> Page:
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(text_of(form.email))
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form), form_status()


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Page:
    try:
        services.user_for_reset_token(token)
    except BlogError as error:
        return render_template("auth/reset_invalid.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token=token, new_password=text_of(form.password))
        except BlogError as error:
            add_error(form.password, error.message)
        else:
            flash(_("Your password is set. You can log in with it now."))
            return redirect(url_for("auth.login"), code=303)
    return render_template("auth/reset_password.html", form=form), form_status()
