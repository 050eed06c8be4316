"""The status bar: link state, latency, tick rate, writer backlog, market session, gap marker."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar

from hkdesk.app.status import BACKING_OFF, FAILED, StatusSnapshot
from hkdesk.ui.engine_words import clock_text, gap_text, source_text
from hkdesk.ui.feed_reasons import reason_text


def translated_link(text: str) -> str:
    """The link text in the UI language: "Backing off"/"Failed:" and the reason after them (its
    known forms; seconds and details stay as they are)."""
    if text.startswith(BACKING_OFF):
        rest = text[len(BACKING_OFF) :]
        if (m := _BACKING_OFF_REST.fullmatch(rest)) and m["why"] is not None:
            rest = f"{m['secs'] or ''} ({reason_text(m['why'])})"
        return QCoreApplication.translate("Status", BACKING_OFF) + rest
    if text.startswith(FAILED):
        return f"{QCoreApplication.translate('Status', FAILED)} {reason_text(text[len(FAILED) :].strip())}"
    return QCoreApplication.translate("Status", text)


#: What follows "Backing off": the seconds left and the reason in brackets, each when known.
_BACKING_OFF_REST = re.compile(r"(?P<secs> \d+ s)?(?: \((?P<why>.*)\))?")


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
        # number formats stay as they are in every language; only the words around them change
        self._no_rtt = self.tr("RTT –")
        self._rtt = self.tr("RTT {ms} ms")
        self._rate = self.tr("{rate} ticks/s")
        self._store = self.tr("DB queue {queue} · stored {stored}")
        self._store_error = self.tr("DB ERROR · queue {queue}")

    def _label(self, name: str, min_width: int) -> QLabel:
        lab = QLabel(self, objectName=name)
        if min_width:
            lab.setMinimumWidth(min_width)
        return lab

    def show_snapshot(self, s: StatusSnapshot) -> None:
        self.link.setText(f"● {translated_link(s.link_text)}")
        self.link.setProperty("level", s.link_level.value)
        self.link.style().unpolish(self.link)
        self.link.style().polish(self.link)
        self.source.setText(source_text(s.source))
        self.latency.setText(self._no_rtt if s.rtt_ms is None else self._rtt.format(ms=f"{s.rtt_ms:.0f}"))
        self.rate.setText(self._rate.format(rate=f"{s.ticks_per_s:,.0f}"))
        queue = f"{s.writer_queue:,}"
        store = self._store.format(queue=queue, stored=f"{s.rows_stored:,}")
        self.writer.setText(store if s.writer_ok else self._store_error.format(queue=queue))
        self.writer.setProperty("level", "ok" if s.writer_ok else "bad")
        self.writer.setToolTip(s.writer_detail)
        self.writer.style().unpolish(self.writer)
        self.writer.style().polish(self.writer)
        self.session.setText(QCoreApplication.translate("Status", s.session_text) if s.session_text else "")
        self.clock.setText(clock_text(s.clock_text))
        self.gap.setVisible(bool(s.gap_text))
        self.gap.setText(f"⚠ {gap_text(s.gap_text)}" if s.gap_text else "")

    def texts(self) -> list[str]:
        return [w.text() for w in self.findChildren(QLabel)]
