"""site content version

Revision ID: 0004_site_state
Revises: 0003_redirects_uploads_search
Create Date: 2026-11-25 03:07:11.391529

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_site_state'
down_revision = '0003_redirects_uploads_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('content_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_state'))
    )
    # The one row whose version every content change increments.
    op.execute("INSERT INTO site_state (id, content_version) VALUES (1, 0)")


def downgrade():
    op.drop_table('site_state')
