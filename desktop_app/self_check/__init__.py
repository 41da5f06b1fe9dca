"""``order-desk --self-test``: checks an installed or frozen app can do its work."""
