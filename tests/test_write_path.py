"""The one write path: blocks nest, errors surface where they happen, and
what must follow a commit waits for it."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from blog.database import after_commit, is_writing, write_transaction
from blog.extensions import db
from blog.models import User
from tests.factories import make_user


def test_an_inner_block_s_error_surfaces_inside_it(app) -> None:
    with app.app_context():
        taken = make_user().email
        caught = []
        with pytest.raises(RuntimeError), write_transaction():
            try:
                with write_transaction():
                    db.session.add(User(email=taken, display_name="Twin", slug="twin"))
            except IntegrityError:
                caught.append("inside")
            raise RuntimeError("the outer block gives up")
        assert caught == ["inside"]
        assert not is_writing()


def test_after_commit_waits_for_the_outermost_commit(app) -> None:
    ran: list[str] = []
    with app.app_context():
        with write_transaction():
            with write_transaction():
                make_user_in_block("inner@example.com")
                after_commit(lambda: ran.append("announced"))
            assert ran == []
        assert ran == ["announced"]


def test_nothing_follows_a_rolled_back_block(app) -> None:
    ran: list[str] = []
    with app.app_context():
        with pytest.raises(RuntimeError), write_transaction():
            make_user_in_block("gone@example.com")
            after_commit(lambda: ran.append("announced"))
            raise RuntimeError("refused")
        assert ran == []
        assert db.session.scalar(User.select_by_email("gone@example.com")) is None


def make_user_in_block(email: str) -> None:
    db.session.add(User(email=email, display_name=email, slug=email.split("@")[0]))
