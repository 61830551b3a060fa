from blog.feeds.routes import bp

__all__ = ["bp"]
