"""The index strip names each index in the interface's language and marks what is not live."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication

from hkdesk.domain.quotes import QuoteHub
from hkdesk.domain.symbols import default_universe
from hkdesk.domain.types import Tick
from hkdesk.ui.colours import make_palette
from hkdesk.ui.index_strip import IndexStrip
from hkdesk.ui.translations import install_translation

TS = 1_764_207_000_000  # 2025-11-27 09:30 HKT


@pytest.mark.parametrize(
    ("language", "name"), [("en", "HANG SENG INDEX"), ("zh_HK", "恒生指數"), ("zh_CN", "恒生指数")]
)
def test_each_index_is_named_in_the_interface_s_language(qtbot, language, name) -> None:
    hub = QuoteHub()
    strip = IndexStrip(hub, default_universe(), make_palette("hk", "dark"))
    qtbot.addWidget(strip)
    install_translation(QApplication.instance(), language)
    try:
        hub.set_previous_close("HSI", Decimal("26000"))
        hub.apply_ticks([Tick("HSI", 1, TS, Decimal("26100.5"), Decimal(0))])
        strip.set_codes(["HSI"])
        text = strip._quotes["HSI"].text()
        assert f"<b>{name}</b>" in text and "26,100.50" in text
    finally:
        install_translation(QApplication.instance(), "en")
