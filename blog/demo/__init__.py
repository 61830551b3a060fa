"""Demo content for a first run: articles we wrote, a demo author, a few comments."""

from blog.demo.content import DemoResult, load_demo

__all__ = ["DemoResult", "load_demo"]
