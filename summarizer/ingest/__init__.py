"""Turning raw files into clean articles with numbered sentences and detected quotations."""
