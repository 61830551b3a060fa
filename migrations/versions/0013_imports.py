"""imports: old addresses, imported items, guest commenters' names

Revision ID: 0013_imports
Revises: 0012_author_profiles
Create Date: 2026-12-04 09:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_imports'
down_revision = '0012_author_profiles'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'legacy_addresses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('target', sa.Enum('article', 'category', 'tag', 'author', 'address', name='legacy_target', native_enum=False, create_constraint=True, length=16), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=True),
        sa.Column('target_path', sa.String(length=500), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_addresses')),
        sa.UniqueConstraint('path', name=op.f('uq_legacy_addresses_path')),
    )
    op.create_table(
        'imported_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('external_id', sa.String(length=100), nullable=False),
        sa.Column('local_id', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_imported_items')),
        sa.UniqueConstraint('source', 'kind', 'external_id', name=op.f('uq_imported_items_source')),
    )
    with op.batch_alter_table('comments') as batch_op:
        batch_op.add_column(sa.Column('guest_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('guest_email', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('comments') as batch_op:
        batch_op.drop_column('guest_email')
        batch_op.drop_column('guest_name')
    op.drop_table('imported_items')
    op.drop_table('legacy_addresses')
