"""Domain errors that carry the form field they belong to."""


class FieldError(ValueError):
    """A problem with one field; the view shows `message` next to `field`."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
