"""The HTTP edge of outgoing webhooks."""
