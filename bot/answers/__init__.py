"""Use cases shared by the CLI and Slack: ask a question, draft a story, compose a digest."""
