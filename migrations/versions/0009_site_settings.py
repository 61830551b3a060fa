"""site_settings: the owner's title, tagline, accent, logo, icon and policies;
uploads.square_sizes for icons and avatars

Revision ID: 0009_site_settings
Revises: 0008_trusted_commenters
Create Date: 2026-12-04 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_site_settings'
down_revision = '0008_trusted_commenters'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN: SQLite's batch mode would rebuild the table.
    op.add_column('uploads', sa.Column('square_sizes', sa.JSON(), server_default='[]', nullable=False))
    op.create_table(
        'site_settings',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('title', sa.String(length=80), nullable=True),
        sa.Column('tagline', sa.String(length=160), nullable=True),
        sa.Column('description', sa.String(length=300), nullable=True),
        sa.Column('accent_color', sa.String(length=7), nullable=True),
        sa.Column('language', sa.String(length=16), nullable=True),
        sa.Column('timezone', sa.String(length=64), nullable=True),
        sa.Column('comment_moderation', sa.String(length=8), nullable=True),
        sa.Column('registration_open', sa.Boolean(), nullable=True),
        sa.Column('logo_id', sa.Integer(), nullable=True),
        sa.Column('icon_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['icon_id'], ['uploads.id'], name=op.f('fk_site_settings_icon_id_uploads'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['logo_id'], ['uploads.id'], name=op.f('fk_site_settings_logo_id_uploads'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_site_settings')),
    )


def downgrade():
    op.drop_table('site_settings')
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_column('square_sizes')
