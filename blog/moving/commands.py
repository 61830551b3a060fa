"""The moving commands, gathered for blog/cli.py. Each command imports its
module when it runs, so `flask` starts (and web workers load) none of their
libraries."""

from __future__ import annotations

import copy

import click


def moving_commands() -> list[click.Command]:
    from blog.moving.backup import backup_command, restore_command
    from blog.moving.export_commands import export_command, import_export_command
    from blog.moving.ghost_command import import_ghost_command
    from blog.moving.wordpress_command import import_wordpress_command

    # DESIGN.md's name for it: the articles as Markdown are what it writes first.
    export_markdown_command = copy.copy(export_command)
    export_markdown_command.name = "export-markdown"
    return [
        import_wordpress_command,
        import_ghost_command,
        backup_command,
        restore_command,
        export_command,
        export_markdown_command,
        import_export_command,
    ]
