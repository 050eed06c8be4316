"""The shared desk: one process holds the AllTick connection, many desktops read from NATS.

Qt-free. The desk server (:class:`~hkdesk.desk.server.DeskServer`) leads or stands by, stores
through the batch writer and publishes every trade and book to a JetStream stream
(:class:`~hkdesk.desk.publisher.DeskPublisher`); desktops and recorders read it through
:class:`~hkdesk.desk.feed.DeskFeed`, a drop-in for the feed client. See the README's
"Shared desk" section for deployment and sizing.
"""
