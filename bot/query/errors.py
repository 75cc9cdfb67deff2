class Unanswerable(Exception):
    """The data cannot answer the plan as asked; the message says why, with suggestions."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions
