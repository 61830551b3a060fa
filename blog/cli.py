"""`flask --app blog …` commands. Each one calls the same services as the views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from blog.auth.services import create_user, generate_password, set_role
from blog.errors import BlogError
from blog.extensions import db
from blog.models import Role, User

T = TypeVar("T")


# migrations/ sits beside the package at the top of the repository.
MIGRATIONS_DIRECTORY = str(Path(__file__).resolve().parent.parent / "migrations")
NOT_UPGRADED = (
    "The database is not up to date with this version of the blog: "
    "run `flask --app blog db upgrade` first."
)


def needs_current_schema(command: Callable[..., T]) -> Callable[..., T]:
    """Refuse, in one line and with exit status 1, to run against a database
    the migrations have not brought up to date (a fresh one, or one from
    before a code update): otherwise the first query fails with a SQL
    traceback about a missing table or column."""

    @functools.wraps(command)
    def checked(*args: Any, **kwargs: Any) -> T:
        try:
            current = schema_is_current()
        except SQLAlchemyError as error:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0]
            raise click.ClickException(f"Cannot reach the database: {reason}") from None
        if not current:
            raise click.ClickException(NOT_UPGRADED)
        return command(*args, **kwargs)

    return checked


def schema_is_current() -> bool:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    heads = set(ScriptDirectory(MIGRATIONS_DIRECTORY).get_heads())
    with db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    return applied == heads


def init_app(app: Flask) -> None:
    from blog.jobs.commands import worker_command
    from blog.moving.commands import moving_commands

    for command in (
        worker_command,
        create_user_command,
        set_role_command,
        import_markdown_command,
        demo_command,
        *moving_commands(),
    ):
        app.cli.add_command(command)


@click.command("create-user")
@with_appcontext
@needs_current_schema
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.READER.value,
    show_default=True,
)
@click.option("--name", "display_name", default="", help="Display name.")
@click.option(
    "--generate-password",
    "generate",
    is_flag=True,
    help="Make up a password and print it instead of asking.",
)
def create_user_command(
    email: str, role: str, display_name: str, generate: bool
) -> None:
    """Create an account, asking for its password or generating one."""
    password = None if generate else ask_password()
    printed = password is None
    password = password or generate_password()
    try:
        user = create_user(
            email=email, display_name=display_name, role=Role(role), password=password
        )
    except BlogError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role} {user.email} ({user.display_name}).")
    if printed:
        click.echo(f"Password: {password}")


@click.command("set-role")
@with_appcontext
@needs_current_schema
@click.argument("email")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def set_role_command(email: str, role: str) -> None:
    """Give an account another role."""
    user = db.session.scalar(User.select_by_email(email))
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    set_role(user=user, role=Role(role))
    click.echo(f"{user.email} is now {user.role}.")


def ask_password() -> str | None:
    """The password typed twice, or None (generate one) for an empty answer."""
    password = click.prompt(
        "Password (leave empty to generate one)",
        default="",
        show_default=False,
        hide_input=True,
        confirmation_prompt=True,
    )
    return password or None


@click.command("import-markdown")
@with_appcontext
@needs_current_schema
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
def import_markdown_command(files: tuple[Path, ...]) -> None:
    """Create or update articles from Markdown files with YAML front matter."""
    from blog.articles.importing import import_markdown_file  # YAML: commands only

    failed = 0
    for path in files:
        try:
            outcome = import_markdown_file(path)
        except BlogError as error:
            db.session.rollback()
            failed += 1
            click.echo(f"failed  {path}: {error.message}", err=True)
            continue
        verb = "created" if outcome.created else "updated"
        click.echo(f"{verb} {path} -> /articles/{outcome.article.slug}")
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} files failed to import")


@click.command("demo")
@with_appcontext
@needs_current_schema
def demo_command() -> None:
    """Load demo articles, a demo author and comments (once)."""
    from blog.demo import load_demo

    result = load_demo()
    if result.loaded:
        click.echo(
            f"Loaded {result.articles} demo articles and {result.comments} comments."
        )
        click.echo(f"Demo author login: {result.email} / password: {result.password}")
    else:
        click.echo(
            f"Demo content is already loaded (author login: {result.email}; its "
            "password was printed on the first run)."
        )
