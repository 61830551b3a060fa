"""The editor's form: shape rules only; the article services check the facts."""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp
from wtforms.widgets import TextInput

from blog.forms import BlogForm
from blog.models import ArticleKind
from blog.models.article import SLUG_MAX, SUMMARY_MAX, TITLE_MAX
from blog.models.taxonomy import NAME_MAX
from blog.models.upload import ALT_MAX

# Limits with no column behind them: the body is unbounded text and the tag
# list is split into tags.
BODY_MAX = 200_000
TAGS_MAX = 500


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
    # Unticked: publish without mailing. The view leaves it out for pages
    # and for an article whose mailing has started (it goes once).
    mail_subscribers = BooleanField(
        _l("Mail it to e-mail subscribers when it is published"), default=True
    )
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
