"""The settings panes of a draft: provider and order options."""
