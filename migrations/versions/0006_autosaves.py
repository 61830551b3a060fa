"""editor autosaves

Revision ID: 0006_autosaves
Revises: 0005_user_sessions
Create Date: 2026-12-03 22:14:54.137075

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_autosaves'
down_revision = '0005_user_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('autosaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_autosaves_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_autosaves_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_autosaves')),
    sa.UniqueConstraint('user_id', 'article_id', name=op.f('uq_autosaves_user_id'))
    )
    with op.batch_alter_table('autosaves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_autosaves_article_id'), ['article_id'], unique=False)



def downgrade():
    with op.batch_alter_table('autosaves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_autosaves_article_id'))

    op.drop_table('autosaves')
