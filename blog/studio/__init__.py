from blog.studio.routes import bp

__all__ = ["bp"]
