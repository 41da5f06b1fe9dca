"""The domain and mailbox tables: models over the order, views, edits, undo steps, marks."""
