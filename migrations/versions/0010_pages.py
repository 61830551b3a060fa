"""articles.kind: standalone pages beside articles

Revision ID: 0010_pages
Revises: 0009_site_settings
Create Date: 2026-12-04 05:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_pages'
down_revision = '0009_site_settings'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, CHECK included: SQLite's batch mode would rebuild
    # the table and drop its search triggers.
    op.add_column('articles', sa.Column(
        'kind', sa.String(length=16), server_default='article', nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        op.create_check_constraint(
            op.f('ck_articles_article_kind'), 'articles', "kind IN ('article', 'page')")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('ck_articles_article_kind'), 'articles', type_='check')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('kind')
