"""Domain events of grading, for the layers above (interop, notifications)."""

from django.dispatch import Signal

# Sent after the transaction commits, each time an attempt is graded: a quiz submitted (or
# closed at its time limit), a notebook submission graded or regraded.
# Arguments: attempt (Attempt).
attempt_graded = Signal()
