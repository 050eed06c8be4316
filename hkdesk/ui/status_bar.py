"""The status bar: link state, latency, tick rate, writer backlog, market session, gap marker."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from hkdesk.app.status import StatusSnapshot


class StatusPanel(QStatusBar):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("statusPanel")
        self.setSizeGripEnabled(False)
        self.link = self._label("linkLabel", 230)
        self.source = self._label("sourceLabel", 0)
        self.latency = self._label("latencyLabel", 90)
        self.rate = self._label("rateLabel", 100)
        self.writer = self._label("writerLabel", 190)
        self.gap = self._label("gapLabel", 0)
        self.gap.hide()
        self.session = self._label("sessionLabel", 150)
        self.clock = self._label("clockLabel", 90)
        for w in (self.link, self.source, self.gap):
            self.addWidget(w)
        for w in (self.latency, self.rate, self.writer, self.session, self.clock):
            self.addPermanentWidget(w)

    def _label(self, name: str, min_width: int) -> QLabel:
        lab = QLabel(self, objectName=name)
        if min_width:
            lab.setMinimumWidth(min_width)
        return lab

    def show_snapshot(self, s: StatusSnapshot) -> None:
        self.link.setText(f"● {s.link_text}")
        self.link.setProperty("level", s.link_level.value)
        self.link.style().unpolish(self.link)
        self.link.style().polish(self.link)
        self.source.setText(s.source)
        self.latency.setText("RTT –" if s.rtt_ms is None else f"RTT {s.rtt_ms:.0f} ms")
        self.rate.setText(f"{s.ticks_per_s:,.0f} ticks/s")
        store = f"DB queue {s.writer_queue:,} · stored {s.rows_stored:,}"
        self.writer.setText(store if s.writer_ok else f"DB ERROR · queue {s.writer_queue:,}")
        self.writer.setProperty("level", "ok" if s.writer_ok else "bad")
        self.writer.style().unpolish(self.writer)
        self.writer.style().polish(self.writer)
        self.session.setText(s.session_text)
        self.clock.setText(s.clock_text)
        self.gap.setVisible(bool(s.gap_text))
        self.gap.setText(f"⚠ {s.gap_text}" if s.gap_text else "")

    def texts(self) -> list[str]:
        return [w.text() for w in self.findChildren(QLabel)]
