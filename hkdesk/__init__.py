"""hkdesk: real-time Hong Kong stock quotes on the desktop."""

__version__ = "0.1.0"
