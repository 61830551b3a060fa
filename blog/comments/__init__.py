from blog.comments.routes import bp

__all__ = ["bp"]
