from blog.articles.routes import bp

__all__ = ["bp"]
