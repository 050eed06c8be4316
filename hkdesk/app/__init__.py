"""Qt-aware services behind the window, no widgets: market service, settings, watch lists, status."""
