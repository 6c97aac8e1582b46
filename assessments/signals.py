"""Domain events of grading, for the layers above (interop, notifications)."""

from django.dispatch import Signal

# Sent after the transaction commits, each time an attempt is graded: a quiz submitted (or
# closed at its time limit), a notebook submission graded or regraded.
# Arguments: attempt (Attempt).
attempt_graded = Signal()

# Sent INSIDE the transaction that stores a grade (see lms.learning.signals), each time an
# attempt is graded. Arguments: attempt (Attempt), grading (GradingResult, or None for a quiz).
attempt_grade_recorded = Signal()

# Sent when staff download a course's gradebook (CSV), before its rows stream, so the layers
# above can keep an audit trail of personal data leaving Dasi. Arguments: actor (User),
# course (CoursePage, the source course), rows_by_centre ({centre id: learners' rows}).
gradebook_exported = Signal()
