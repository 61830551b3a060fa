from blog.subscriptions.routes import bp

__all__ = ["bp"]
