"""Reads for the counsellor cockpit: who may use it, caseloads with risk, one learner's
overview, cohort views and a learner's own data export.

Every read is scoped twice: by the centre serving the request and by the viewer's membership
in it. A learner who is not a learner of that centre does not exist here (LearnerNotFound,
answered 404). Caseload reads take a fixed number of queries whatever the caseload size:
risk is read from each learner's stored row, and what a row needs computed again (activity,
attempts, enrolments and plans) is aggregated for the whole set at once.
"""

from .caseload import (
    COCKPIT_ROLES,
    HISTORY_DAYS,
    PAGE_SIZE,
    CaseloadFilters,
    CaseloadRow,
    CourseLine,
    LearnerNotFound,
    LocalDay,
    caseload_learners,
    caseload_options,
    caseload_rows,
    cockpit_roles,
    counsellors_of,
    learner_get,
    learners_of,
    rows_detail,
    rows_for_learners,
    stored_rows,
)
from .cohorts import CourseFunnel, FunnelStage, Heatmap, completion_funnels, skill_heatmap
from .export import learner_data_export, staff_roles_seeing
from .learner import (
    LearnerOverview,
    TimelineEvent,
    access_log_for,
    enrolment_lines,
    goal_context,
    learner_overview,
    learner_risk,
    note_get,
    notes_for,
    plans_for,
    timeline,
    weekly_activity,
)

__all__ = [
    "COCKPIT_ROLES",
    "HISTORY_DAYS",
    "PAGE_SIZE",
    "CaseloadFilters",
    "CaseloadRow",
    "CourseFunnel",
    "CourseLine",
    "FunnelStage",
    "Heatmap",
    "LearnerNotFound",
    "LearnerOverview",
    "LocalDay",
    "TimelineEvent",
    "access_log_for",
    "caseload_learners",
    "caseload_options",
    "caseload_rows",
    "cockpit_roles",
    "completion_funnels",
    "counsellors_of",
    "enrolment_lines",
    "goal_context",
    "learner_data_export",
    "learner_get",
    "learner_overview",
    "learner_risk",
    "learners_of",
    "note_get",
    "notes_for",
    "plans_for",
    "rows_detail",
    "rows_for_learners",
    "skill_heatmap",
    "staff_roles_seeing",
    "stored_rows",
    "timeline",
    "weekly_activity",
]
