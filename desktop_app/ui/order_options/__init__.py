"""The draft's order options: the provider, the order's fields, and the column that holds them."""
