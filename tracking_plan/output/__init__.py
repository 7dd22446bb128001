"""Helpers that know no verb: atomic file writes and Markdown escaping."""
