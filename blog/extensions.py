"""Extension objects, created unbound here and bound to an app in create_app."""

from flask import request
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from blog.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
# Storage comes from RATELIMIT_STORAGE_URI (config.py): Redis with BLOG_REDIS_URL,
# else a file every worker of the host shares (blog/ratelimit.py).
limiter = Limiter(get_remote_address, key_prefix="blog", headers_enabled=True)


@limiter.request_filter
def reading_is_never_limited() -> bool:
    """Every limit is on a POST; sparing GETs the check saves each page view
    a tenth of a millisecond."""
    return request.method in ("GET", "HEAD")


# In-process by default, Redis when BLOG_REDIS_URL is set (see config.py).
cache = Cache()
