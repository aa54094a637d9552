"""Prometheus metrics of the real-time layer (served at /metrics)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class RealtimeMetrics:
    """One registry per app, so two apps in one process (tests) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.connections = Gauge("hubdeck_ws_connections", "Open WebSocket connections", registry=r)
        self.subscriptions = Gauge(
            "hubdeck_ws_subscriptions", "Channel subscriptions of open connections", registry=r
        )
        self.events = Counter("hubdeck_events", "Domain events handled", registry=r)
        self.publications = Counter(
            "hubdeck_publications", "Publications appended to channel history", registry=r
        )
        self.deliveries = Counter(
            "hubdeck_deliveries", "Publications queued to a subscriber of this node", registry=r
        )
        self.recovered = Counter(
            "hubdeck_recoveries", "Subscriptions recovered from history", registry=r
        )
        self.unrecoverable = Counter(
            "hubdeck_unrecoverable",
            "Recoveries refused (gap beyond history, new epoch)",
            registry=r,
        )
        self.gaps = Counter(
            "hubdeck_fanout_gaps",
            "Publications lost between Redis and this node (members sent to recover)",
            registry=r,
        )
        self.slow_disconnects = Counter(
            "hubdeck_slow_disconnects", "Connections closed for not keeping up", registry=r
        )
