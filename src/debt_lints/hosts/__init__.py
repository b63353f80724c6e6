"""What the host adapters share: configuration lookup, sessions, message ids."""
