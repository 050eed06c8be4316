"""Exports to CSV and Excel: a symbol's ticks for a day, bars of any interval, a watchlist.

Qt-free; the window's export menus will call the same tables and writers.
"""
