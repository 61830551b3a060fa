"""Studio forms: shape rules only; the article services check the facts."""

from flask_wtf import FlaskForm
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

from blog.models import ArticleKind, Role
from blog.models.article import SLUG_MAX, SUMMARY_MAX, TITLE_MAX
from blog.models.profile import BIO_MAX, LINKS_MAX, URL_MAX
from blog.models.taxonomy import NAME_MAX
from blog.models.upload import ALT_MAX

# Limits with no column behind them: the body is unbounded text and the tag
# list is split into tags.
BODY_MAX = 200_000
TAGS_MAX = 500


class ArticleForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX)])
    slug = StringField(
        "Slug (the address: /articles/<slug>)",
        validators=[
            Optional(),
            Length(max=SLUG_MAX),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message="Use lower-case letters, digits and single hyphens.",
            ),
        ],
        description="Leave empty to make one from the title. Changing it later "
        "keeps the old address working.",
    )
    category = StringField(
        "Category",
        validators=[Optional(), Length(max=NAME_MAX)],
        description="Pick one or type a new name.",
    )
    tags = StringField(
        "Tags",
        validators=[Optional(), Length(max=TAGS_MAX)],
        description="Separated by commas; new tags are created.",
    )
    summary = TextAreaField(
        "Summary",
        validators=[Optional(), Length(max=SUMMARY_MAX)],
        description="Shown in listings and feeds; empty = the first paragraph.",
    )
    body = TextAreaField(
        "Text (Markdown)", validators=[DataRequired(), Length(max=BODY_MAX)]
    )
    comments_open = BooleanField("Comments open", default=True)
    # An article or a page (About, Contact), chosen when it is made.
    kind = HiddenField(
        default="article", validators=[Optional(), AnyOf(("article", "page"))]
    )

    def chosen_kind(self) -> ArticleKind:
        """What a new article is to be (anything else sent makes an article)."""
        return ArticleKind.PAGE if self.kind.data == "page" else ArticleKind.ARTICLE

    def describe_a_page(self) -> None:
        """A page's address and summary serve other ends than an article's."""
        self.slug.label.text = "Slug (the address: /<slug>)"
        self.slug.description = (
            "Leave empty to make one from the title. A page stands outside "
            "listings and feeds: link it from Studio › Menus."
        )
        self.summary.description = (
            "What search engines and link previews show; empty = the first paragraph."
        )

    # Choices are the images the author may use, set by the view; it checks
    # the choice (an autosave validates the form with none set).
    cover = SelectField("Cover image", validate_choice=False)
    cover_image = FileField("Or upload a new cover", validators=[Optional()])
    cover_alt = StringField(
        "Cover description (alt text)",
        validators=[Optional(), Length(max=ALT_MAX)],
        description="What the picture shows, for people who cannot see it.",
    )
    # Typed as text, year first: a date picker shows the browser's own
    # order (mm/dd/yyyy for many), never the site's zone.
    publish_at = DateTimeLocalField(
        "Publish at",
        validators=[Optional()],
        format=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"],
        widget=TextInput(),
        description="For Schedule: year-month-day hours:minutes, such as "
        "2026-12-24 09:30.",
    )
    preview = SubmitField("Preview")
    save = SubmitField("Save")
    publish = SubmitField("Publish now")
    schedule = SubmitField("Schedule")


class UploadForm(FlaskForm):
    image = FileField("Image (PNG, JPEG, GIF or WebP, up to 5 MB)", [FileRequired()])
    alt = StringField(
        "Description for people who cannot see it (alt text)",
        validators=[Optional(), Length(max=ALT_MAX)],
    )
    submit = SubmitField("Upload")


class AltForm(FlaskForm):
    """An image's alt text, given or changed after upload."""

    alt = StringField(
        "Description (alt text)", validators=[Optional(), Length(max=ALT_MAX)]
    )
    submit = SubmitField("Save description")


class RoleForm(FlaskForm):
    # Value to label: WTForms 3.3 deprecates tuples, and the stubs (3.2) do not
    # know its bare-string or SelectChoice forms.
    role = SelectField("Role", choices={role.value: role.value for role in Role})
    submit = SubmitField("Change role")


class ActiveForm(FlaskForm):
    """Deactivate or reactivate: the button says which."""

    submit = SubmitField()


class SiteSettingsForm(FlaskForm):
    """The site's identity and policies; the facts (contrast, zone, image)
    are checked by blog/site_settings.py."""

    title = StringField("Site title", validators=[DataRequired(), Length(max=80)])
    tagline = StringField(
        "Tagline",
        validators=[Optional(), Length(max=160)],
        description="A line under the title on the home page and in the footer.",
    )
    description = TextAreaField(
        "Description",
        validators=[Optional(), Length(max=300)],
        description="A sentence or two: the home page, search engines, link "
        "previews and the feed's description.",
    )
    accent_color = StringField(
        "Accent colour",
        validators=[
            DataRequired(),
            Regexp(
                r"^#[0-9a-fA-F]{6}$",
                message="Give a colour as # and six hex digits, such as #1f5bb8.",
            ),
        ],
        widget=ColorInput(),
        description="Links, buttons and the focus ring. It must have a contrast "
        "of 4.5:1 with the page; dark mode uses a lighter step of it.",
    )
    # Both filled in by the view.
    language = SelectField("Language", choices={})
    timezone = SelectField(
        "Time zone",
        choices={},
        description="Pages show times in it, and authors schedule in it.",
    )
    comment_moderation = SelectField(
        "Comments wait for a moderator",
        choices={
            "first": "A reader's first comment waits; then they are trusted",
            "all": "Every comment waits",
            "none": "No comment waits (links-heavy ones still do)",
        },
    )
    registration_open = BooleanField("Readers may create accounts")
    logo = FileField(
        "Logo",
        description="Shown in the header instead of the title (which becomes "
        "its alt text). PNG, JPEG, GIF or WebP.",
    )
    remove_logo = BooleanField("Remove the logo")
    icon = FileField(
        "Icon",
        description="A square image, 512 × 512 pixels or more: the favicon, the "
        "phone home-screen icon and the web app icons are made from it.",
    )
    remove_icon = BooleanField("Remove the icon")
    submit = SubmitField("Save settings")


class MenuRowForm(Form):
    """One link of a menu (no CSRF token of its own: the menu's form has it)."""

    position = IntegerField(
        "Position", validators=[Optional(), NumberRange(min=1, max=99)]
    )
    label = StringField("Label", validators=[Optional(), Length(max=60)])
    # Filled in by the view; checked by the service, which names the link.
    target = SelectField("Links to", choices={}, validate_choice=False)
    url = StringField("Address", validators=[Optional(), Length(max=500)])
    remove = BooleanField("Remove")


class MenuForm(FlaskForm):
    items = FieldList(FormField(MenuRowForm), max_entries=20)
    submit = SubmitField("Save menu")


class ProfileForm(FlaskForm):
    """An author's public profile; blog/authors/profiles.py checks the links."""

    bio = TextAreaField(
        "Bio",
        validators=[
            Optional(),
            Length(max=BIO_MAX, message=f"A bio may be at most {BIO_MAX} characters."),
        ],
        description="A few sentences about you, under your articles and on your "
        "page. Markdown: *emphasis*, **bold**, [links](https://example.com).",
    )
    website = StringField(
        "Website",
        validators=[
            Optional(),
            Length(
                max=URL_MAX,
                message=f"An address may be at most {URL_MAX} characters.",
            ),
        ],
        description="Your own site, if you have one.",
    )
    links = TextAreaField(
        "Other profiles",
        validators=[Optional(), Length(max=(URL_MAX + 1) * LINKS_MAX * 2)],
        description=f"Up to {LINKS_MAX} addresses, one per line: Mastodon, "
        'GitHub… They are linked with rel="me", which lets Mastodon verify them.',
    )
    avatar = FileField(
        "Photo",
        description="A square photo looks best; it is cropped from the centre. "
        "Without one, your initials are shown.",
    )
    remove_avatar = BooleanField("Remove the photo")
    submit = SubmitField("Save profile")
