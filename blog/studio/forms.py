"""Studio forms: shape rules only; the article services check the facts."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import ColorInput

from blog.forms import BlogForm
from blog.models import Role
from blog.models.profile import BIO_MAX, LINKS_MAX, URL_MAX
from blog.models.upload import ALT_MAX

# How the studio names each role, in the accounts list and its messages.
ROLE_NAMES = {
    Role.READER: _l("reader"),
    Role.AUTHOR: _l("author"),
    Role.EDITOR: _l("editor"),
    Role.ADMIN: _l("admin"),
}


class UploadForm(BlogForm):
    image = FileField(
        _l("Image (PNG, JPEG, GIF or WebP, up to 5 MB)"), [FileRequired()]
    )
    alt = StringField(
        _l("Description for people who cannot see it (alt text)"),
        validators=[Optional(), Length(max=ALT_MAX)],
    )
    submit = SubmitField(_l("Upload"))


class AltForm(BlogForm):
    """An image's alt text, given or changed after upload."""

    alt = StringField(
        _l("Description (alt text)"), validators=[Optional(), Length(max=ALT_MAX)]
    )
    submit = SubmitField(_l("Save description"))


class RoleForm(BlogForm):
    # Value to label: WTForms 3.3 deprecates tuples, and the stubs (3.2) do not
    # know its bare-string or SelectChoice forms. Said as the form is made: a
    # label in a dict must be a str, not a lazy string.
    role = SelectField(
        _l("Role"),
        choices=lambda: {role.value: str(ROLE_NAMES[role]) for role in Role},
    )
    submit = SubmitField(_l("Change role"))


class ActiveForm(BlogForm):
    """Deactivate or reactivate: the button says which."""

    submit = SubmitField()


class SiteSettingsForm(BlogForm):
    """The site's identity and policies; the facts (contrast, zone, image)
    are checked by blog/site_settings.py."""

    title = StringField(_l("Site title"), validators=[DataRequired(), Length(max=80)])
    tagline = StringField(
        _l("Tagline"),
        validators=[Optional(), Length(max=160)],
        description=_l("A line under the title on the home page and in the footer."),
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "A sentence or two: the home page, search engines, link "
            "previews and the feed's description."
        ),
    )
    accent_color = StringField(
        _l("Accent colour"),
        validators=[
            DataRequired(),
            Regexp(
                r"^#[0-9a-fA-F]{6}$",
                message=_l("Give a colour as # and six hex digits, such as #1f5bb8."),
            ),
        ],
        widget=ColorInput(),
        description=_l(
            "Links, buttons and the focus ring. It must have a contrast "
            "of 4.5:1 with the page; dark mode uses a lighter step of it."
        ),
    )
    # The three filled in by the view.
    language = SelectField(_l("Language"), choices={})
    timezone = SelectField(
        _l("Time zone"),
        choices={},
        description=_l("Pages show times in it, and authors schedule in it."),
    )
    comment_moderation = SelectField(_l("Comments wait for a moderator"), choices={})
    registration_open = BooleanField(_l("Readers may create accounts"))
    logo = FileField(
        _l("Logo"),
        description=_l(
            "Shown in the header instead of the title (which becomes "
            "its alt text). PNG, JPEG, GIF or WebP."
        ),
    )
    remove_logo = BooleanField(_l("Remove the logo"))
    icon = FileField(
        _l("Icon"),
        description=_l(
            "A square image, 512 × 512 pixels or more: the favicon, the "
            "phone home-screen icon and the web app icons are made from it."
        ),
    )
    remove_icon = BooleanField(_l("Remove the icon"))
    submit = SubmitField(_l("Save settings"))


class MenuRowForm(Form):
    """One link of a menu (no CSRF token of its own: the menu's form has it)."""

    position = IntegerField(
        _l("Position"), validators=[Optional(), NumberRange(min=1, max=99)]
    )
    label = StringField(_l("Label"), validators=[Optional(), Length(max=60)])
    # Filled in by the view; checked by the service, which names the link.
    target = SelectField(_l("Links to"), choices={}, validate_choice=False)
    url = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    remove = BooleanField(_l("Remove"))


class MenuForm(BlogForm):
    items = FieldList(FormField(MenuRowForm), max_entries=20)
    submit = SubmitField(_l("Save menu"))


class ProfileForm(BlogForm):
    """An author's public profile; blog/authors/profiles.py checks the links."""

    # Length puts its limit in the message's %(max)d.
    bio = TextAreaField(
        _l("Bio"),
        validators=[
            Optional(),
            Length(max=BIO_MAX, message=_l("A bio may be at most %(max)d characters.")),
        ],
        description=_l(
            "A few sentences about you, under your articles and on your "
            "page. Markdown: *emphasis*, **bold**, [links](https://example.com)."
        ),
    )
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(
                max=URL_MAX,
                message=_l("An address may be at most %(max)d characters."),
            ),
        ],
        description=_l("Your own site, if you have one."),
    )
    links = TextAreaField(
        _l("Other profiles"),
        validators=[Optional(), Length(max=(URL_MAX + 1) * LINKS_MAX * 2)],
        description=_l(
            "Up to %(max)d addresses, one per line: Mastodon, GitHub… They are "
            'linked with rel="me", which lets Mastodon verify them.',
            max=LINKS_MAX,
        ),
    )
    avatar = FileField(
        _l("Photo"),
        description=_l(
            "A square photo looks best; it is cropped from the centre. "
            "Without one, your initials are shown."
        ),
    )
    remove_avatar = BooleanField(_l("Remove the photo"))
    submit = SubmitField(_l("Save profile"))
