"""The crash-safe outbox: every submission is stored before the screen says "sent"."""
