"""Comments on dashboards and widgets: threads, @mentions, safe Markdown."""
