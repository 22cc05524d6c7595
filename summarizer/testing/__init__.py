"""Test doubles for your own checks and ours: model servers that run on loopback, no weights needed."""
