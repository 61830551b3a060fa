"""author_profiles: an author's avatar, bio and links

Revision ID: 0012_author_profiles
Revises: 0011_menus
Create Date: 2026-12-04 06:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_author_profiles'
down_revision = '0011_menus'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'author_profiles',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('bio_markdown', sa.Text(), server_default='', nullable=False),
        sa.Column('bio_html', sa.Text(), server_default='', nullable=False),
        sa.Column('bio_text', sa.Text(), server_default='', nullable=False),
        sa.Column('website', sa.String(length=300), server_default='', nullable=False),
        sa.Column('links', sa.JSON(), server_default='[]', nullable=False),
        sa.Column('avatar_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['avatar_id'], ['uploads.id'], name=op.f('fk_author_profiles_avatar_id_uploads'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_author_profiles_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_author_profiles')),
    )


def downgrade():
    op.drop_table('author_profiles')
