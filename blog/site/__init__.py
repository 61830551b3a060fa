from blog.site.routes import bp

__all__ = ["bp"]
