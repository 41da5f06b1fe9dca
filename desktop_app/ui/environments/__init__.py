"""Where orders go: the environment switch and practice mode."""
