"""Sending from the window: key settings, review, worker thread, outcome, History."""
