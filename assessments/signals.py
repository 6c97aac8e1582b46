"""Domain events of grading, for the layers above (interop, notifications)."""

from django.dispatch import Signal

# Sent after the transaction commits, each time an attempt is graded: a quiz submitted (or
# closed at its time limit), a notebook submission graded or regraded.
# Arguments: attempt (Attempt).
attempt_graded = Signal()

# Sent INSIDE the transaction that stores a grade (see lms.learning.signals), each time an
# attempt is graded. Arguments: attempt (Attempt), grading (GradingResult, or None for a quiz).
attempt_grade_recorded = Signal()
