"""Test doubles for your own checks and ours: an in-process backend at the seam, model servers on loopback.

``fake_backend.FakeBackend`` answers requests from a script without a socket (for what the library
does with an answer); ``stub_model`` is an OpenAI-compatible loopback server (for the transport).
"""
