"""Studio forms: shape rules only; the article services check the facts."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)
from wtforms.widgets import ColorInput, TextInput

from blog.forms import BlogForm
from blog.models import ArticleKind, Role
from blog.models.article import SLUG_MAX, SUMMARY_MAX, TITLE_MAX
from blog.models.profile import BIO_MAX, LINKS_MAX, URL_MAX
from blog.models.taxonomy import NAME_MAX
from blog.models.upload import ALT_MAX

# Limits with no column behind them: the body is unbounded text and the tag
# list is split into tags.
BODY_MAX = 200_000
TAGS_MAX = 500
# How the studio names each role, in the accounts list and its messages.
ROLE_NAMES = {
    Role.READER: _l("reader"),
    Role.AUTHOR: _l("author"),
    Role.EDITOR: _l("editor"),
    Role.ADMIN: _l("admin"),
}


class ArticleForm(BlogForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    # Its label is said as the form is made (a lazy string passes for markup,
    # which would hide "<slug>").
    slug = StringField(
        validators=[
            Optional(),
            Length(max=SLUG_MAX),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Use lower-case letters, digits and single hyphens."),
            ),
        ],
        description=_l(
            "Leave empty to make one from the title. Changing it later "
            "keeps the old address working."
        ),
    )
    category = StringField(
        _l("Category"),
        validators=[Optional(), Length(max=NAME_MAX)],
        description=_l("Pick one or type a new name."),
    )
    tags = StringField(
        _l("Tags"),
        validators=[Optional(), Length(max=TAGS_MAX)],
        description=_l("Separated by commas; new tags are created."),
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), Length(max=SUMMARY_MAX)],
        description=_l("Shown in listings and feeds; empty = the first paragraph."),
    )
    body = TextAreaField(
        _l("Text (Markdown)"), validators=[DataRequired(), Length(max=BODY_MAX)]
    )
    comments_open = BooleanField(_l("Comments open"), default=True)
    # An article or a page (About, Contact), chosen when it is made.
    kind = HiddenField(
        default="article", validators=[Optional(), AnyOf(("article", "page"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slug.label.text = _("Slug (the address: /articles/<slug>)")

    def chosen_kind(self) -> ArticleKind:
        """What a new article is to be (anything else sent makes an article)."""
        return ArticleKind.PAGE if self.kind.data == "page" else ArticleKind.ARTICLE

    def describe_a_page(self) -> None:
        """A page's address and summary serve other ends than an article's."""
        self.slug.label.text = _("Slug (the address: /<slug>)")
        self.slug.description = _l(
            "Leave empty to make one from the title. A page stands outside "
            "listings and feeds: link it from Studio › Menus."
        )
        self.summary.description = _l(
            "What search engines and link previews show; empty = the first paragraph."
        )

    # Choices are the images the author may use, set by the view; it checks
    # the choice (an autosave validates the form with none set).
    cover = SelectField(_l("Cover image"), validate_choice=False)
    cover_image = FileField(_l("Or upload a new cover"), validators=[Optional()])
    cover_alt = StringField(
        _l("Cover description (alt text)"),
        validators=[Optional(), Length(max=ALT_MAX)],
        description=_l("What the picture shows, for people who cannot see it."),
    )
    # Typed as text, year first: a date picker shows the browser's own
    # order (mm/dd/yyyy for many), never the site's zone.
    publish_at = DateTimeLocalField(
        _l("Publish at"),
        validators=[Optional()],
        format=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        widget=TextInput(),
        description=_l(
            "For Schedule: year-month-day hours:minutes, such as 2026-12-24 09:30."
        ),
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))
    publish = SubmitField(_l("Publish now"))
    schedule = SubmitField(_l("Schedule"))


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
