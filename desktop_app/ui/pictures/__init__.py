"""The pictures area: slots keyed by mailbox, drops, folder imports."""
