"""The API key box: an environment's key, read from and kept in the OS keyring."""
