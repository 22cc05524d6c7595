"""The briefing pipeline (private): see CONTRIBUTING.md's map."""
