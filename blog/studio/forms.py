"""Studio forms: shape rules only; the article services check the facts."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import TextInput

from blog.models import Role
from blog.models.article import SLUG_MAX, SUMMARY_MAX, TITLE_MAX
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
