"""The main window and what it holds: menus, toolbar, banner, docks, the generator."""
