"""The History pane: every send attempt, and what became of each order (Check status)."""
