"""Slack: Bolt listeners (thin) and the HTTP / Socket Mode servers."""
