from blog.auth.routes import bp

__all__ = ["bp"]
