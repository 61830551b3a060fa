"""redirects, uploads, comment counts, search

Revision ID: 0003_redirects_uploads_search
Revises: 0002_notify_replies
Create Date: 2026-11-25 02:16:23.759266

"""
import html

import nh3
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_redirects_uploads_search'
down_revision = '0002_notify_replies'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('uploader_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_uploads_uploader_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    sa.UniqueConstraint('filename', name=op.f('uq_uploads_filename'))
    )
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uploads_uploader_id'), ['uploader_id'], unique=False)

    op.create_table('article_redirects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('old_slug', sa.String(length=200), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_redirects_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article_redirects')),
    sa.UniqueConstraint('old_slug', name=op.f('uq_article_redirects_old_slug'))
    )
    with op.batch_alter_table('article_redirects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_redirects_article_id'), ['article_id'], unique=False)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_text', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('comment_count', sa.Integer(), server_default='0', nullable=False))

    backfill_body_text_and_comment_counts()
    create_search_objects()


def backfill_body_text_and_comment_counts():
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, body_html FROM articles")).all()
    for article_id, body_html in rows:
        text = " ".join(html.unescape(nh3.clean(body_html or "", tags=set())).split())
        connection.execute(
            sa.text("UPDATE articles SET body_text = :text WHERE id = :id"),
            {"text": text, "id": article_id},
        )
    connection.execute(sa.text(
        "UPDATE articles SET comment_count = (SELECT count(*) FROM comments "
        "WHERE comments.article_id = articles.id AND comments.status = 'visible')"
    ))


# A frozen copy of blog/models/search.py's DDL as it was at this revision.
SQLITE_DDL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
        title, summary, body_text,
        content='articles', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
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
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]
POSTGRES_DDL = [
    "CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin (("
    "setweight(to_tsvector('english'::regconfig, title), 'A') || "
    "setweight(to_tsvector('english'::regconfig, summary), 'B') || "
    "setweight(to_tsvector('english'::regconfig, body_text), 'C')))",
]


def create_search_objects():
    connection = op.get_bind()
    ddl = {"sqlite": SQLITE_DDL, "postgresql": POSTGRES_DDL}
    for statement in ddl.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


def drop_search_objects():
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for trigger in ("insert", "update", "delete"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS articles_fts_{trigger}")
        connection.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql("DROP INDEX IF EXISTS ix_articles_search")


def downgrade():
    drop_search_objects()
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('comment_count')
        batch_op.drop_column('body_text')

    with op.batch_alter_table('article_redirects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_redirects_article_id'))

    op.drop_table('article_redirects')
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uploads_uploader_id'))

    op.drop_table('uploads')
