"""users.has_approved_comment: whether a first comment still waits

Revision ID: 0008_trusted_commenters
Revises: 0007_covers
Create Date: 2026-12-04 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_trusted_commenters'
down_revision = '0007_covers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('has_approved_comment', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Whoever has a comment shown today has had one approved.
    op.execute(
        "UPDATE users SET has_approved_comment = true WHERE EXISTS ("
        "SELECT 1 FROM comments WHERE comments.author_id = users.id "
        "AND comments.status = 'visible')"
    )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('has_approved_comment')
