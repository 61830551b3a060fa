"""article covers, upload variants and alt text

Revision ID: 0007_covers
Revises: 0006_autosaves
Create Date: 2026-12-04 01:30:59.349680

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_covers'
down_revision = '0006_autosaves'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cover_alt', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_articles_cover_id_uploads'), 'uploads', ['cover_id'], ['id'], ondelete='SET NULL')
    restore_search_triggers()

    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variant_widths', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('alt', sa.String(length=200), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('alt')
        batch_op.drop_column('variant_widths')

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_articles_cover_id_uploads'), type_='foreignkey')
        batch_op.drop_column('cover_alt')
        batch_op.drop_column('cover_id')
    restore_search_triggers()


# SQLite's batch mode rebuilds the articles table, which drops the triggers
# that keep its search index in step: a frozen copy of them, as at 0003.
SQLITE_SEARCH_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, summary, body_text)
        VALUES (new.id, new.title, new.summary, new.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, summary, body_text)
        VALUES ('delete', old.id, old.title, old.summary, old.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_update
        AFTER UPDATE OF title, summary, body_text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, summary, body_text)
        VALUES ('delete', old.id, old.title, old.summary, old.body_text);
        INSERT INTO articles_fts(rowid, title, summary, body_text)
        VALUES (new.id, new.title, new.summary, new.body_text);
    END""",
]


def restore_search_triggers():
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_TRIGGERS:
            connection.exec_driver_sql(statement)

