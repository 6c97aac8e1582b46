"""Domain events of the learner journey that other engines subscribe to."""

from django.dispatch import Signal

# Sent once, after the transaction commits, when an enrolment becomes completed.
# Arguments: enrolment (Enrolment). Certificates and the recommender listen.
course_completed = Signal()

# The signals below are sent INSIDE the transaction that records the event, not after it
# commits: a receiver's own writes (the xAPI outbox) commit or roll back with the event, so a
# record of it is never lost nor made for an event that did not happen. Receivers only write
# rows; they never call out.
# Arguments: enrolment (Enrolment), on a new enrolment.
enrolment_created = Signal()
# Arguments: progress (LessonProgress), the first time a learner opens a lesson.
lesson_started = Signal()
# Arguments: progress (LessonProgress), the first time a lesson is marked completed.
lesson_completed = Signal()
# Arguments: enrolment (Enrolment), when the enrolment becomes completed (before commit).
course_completion_recorded = Signal()
