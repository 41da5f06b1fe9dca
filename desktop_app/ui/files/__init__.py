"""The open draft's files: open, save, import, export, autosave, restore, recent files."""
