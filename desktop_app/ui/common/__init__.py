"""Small Qt helpers every part of the window uses: plain text, fixes, banners, colours."""
