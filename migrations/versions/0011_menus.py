"""menu_items: the header and footer menus arranged in the studio

Revision ID: 0011_menus
Revises: 0010_pages
Create Date: 2026-12-04 06:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_menus'
down_revision = '0010_pages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'menu_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('menu', sa.String(length=16), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.Column('target', sa.Enum('page', 'category', 'tag', 'home', 'archive', 'search', 'subscribe', 'url', name='menu_target', native_enum=False, create_constraint=True, length=16), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=True),
        sa.Column('category_id', sa.Integer(), nullable=True),
        sa.Column('tag_id', sa.Integer(), nullable=True),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_menu_items_article_id_articles'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_menu_items_category_id_categories'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_menu_items_tag_id_tags'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_menu_items')),
    )
    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_menu_items_menu'), ['menu'], unique=False)


def downgrade():
    with op.batch_alter_table('menu_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_menu_items_menu'))
    op.drop_table('menu_items')
