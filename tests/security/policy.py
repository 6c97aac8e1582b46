"""The authorization policy: for each URL name, what each kind of person gets.

Roles (columns), all about centre A, whose owner's objects the URLs name:

  anon          not signed in
  owner         the learner the objects belong to
  peer          another learner of centre A (enrolled in the same course)
  alien         a learner of centre B
  instructor, counsellor, admin            centre A's staff
  instructor_b, counsellor_b, admin_b      centre B's staff
  superuser

Outcome classes: 200 (2xx: allowed), 302 (a redirect elsewhere: a script's endpoint sending a
browser on, or Wagtail's "no permission" bounce to the admin home), L (redirect to a sign-in
page), 403, 404, 405 (wrong method: POST-only endpoints answer GET so, before any check),
400/409 (an empty POST refused as bad input or a conflict).

POST rows (second string, POST-only endpoints): the outcome of an empty POST; "-" marks roles
allowed to act (their own goal, progress, membership...), which the matrix does not send.
Every other POST, and an empty POST to any Dasi URL as every role its GET row refuses, must
leave every Dasi table unchanged.

Category rules instead of one entry per URL (see ``category``):
  * Wagtail's and wagtailmedia's own admin URLs (under admin/, not registered by Dasi): Wagtail's
    permission system guards them; the matrix checks that nobody without admin access gets in
    (anonymous -> L, learners -> L/302/403/404, never 200) and that none answers 500; the
    sign-in, password-reset and asset URLs (WAGTAIL_ADMIN_PUBLIC) only that none answers 500.
  * Django's static/media serving exists only with DEBUG and is not mounted in tests.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = (
    "anon", "owner", "peer", "alien",
    "instructor", "counsellor", "admin",
    "instructor_b", "counsellor_b", "admin_b",
    "superuser",
)  # fmt: skip


@dataclass(frozen=True)
class Expect:
    get: dict[str, str]
    post: dict[str, str] | None = None  # POST-only endpoints: an empty POST as each role


def _row(text: str) -> dict[str, str]:
    tokens = text.split()
    assert len(tokens) == len(ROLES), text
    return dict(zip(ROLES, tokens, strict=True))


def expect(get: str, post: str | None = None) -> Expect:
    return Expect(_row(get), _row(post) if post else None)


# fmt: off
TABLE: dict[str, Expect] = {
    #                                                                  ano own pee ali ins cou adm inB coB adB su
    "certificates_admin_list":                                 expect("L   L   L   L   302 302 200 302 302 200 200"),
    "xapi_admin_stores":                                       expect("L   L   L   L   302 302 200 302 302 200 200"),
    "certificates_admin_issue":                                expect("L   L   L   L   302 302 200 302 302 200 200"),
    "certificates_admin_batch":                                expect("L   L   L   L   302 302 200 302 302 404 200"),
    "certificates_admin_revoke":                               expect("L   L   L   L   302 302 200 302 302 404 200"),
    "certificates_admin_reissue":                              expect("L   L   L   L   405 405 405 405 405 405 405",
                                                                      "L   L   L   L   302 302 302 302 302 404 302"),
    "lti_admin_list":                                          expect("L   L   L   L   302 302 200 302 302 200 200"),
    "lti_admin_add":                                           expect("L   L   L   L   302 302 200 302 302 200 200"),
    "lti_admin_edit":                                          expect("L   L   L   L   302 302 200 302 302 404 200"),
    "hub_sites_course_exchange":                               expect("L   L   L   L   302 302 200 302 302 200 200"),
    "assessments_gradebook_index":                             expect("L   L   L   L   200 302 200 200 302 200 200"),
    "assessments_gradebook":                                   expect("L   L   L   L   200 302 200 302 302 302 200"),
    "assessments_submissions":                                 expect("L   L   L   L   200 302 200 200 302 200 200"),
    "assessments_regrade":                                     expect("L   L   L   L   405 405 405 405 405 405 405",
                                                                      "L   L   L   L   302 302 302 302 302 302 302"),
    "assessments_gradebook_csv":                               expect("L   L   L   L   200 302 200 302 302 302 200"),
    "wagtailsnippets_skills_role:list":                        expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:list_results":                expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:add":                         expect("L   L   L   L   302 302 302 302 302 302 200"),
    "wagtailsnippets_skills_role:edit":                        expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:delete":                      expect("L   L   L   L   302 302 302 302 302 302 200"),
    "wagtailsnippets_skills_role:usage":                       expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:history":                     expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:history_results":             expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:inspect":                     expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:revisions_revert":            expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_role:revisions_compare":           expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippetchoosers_skills_role:choose":               expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_role:choose_results":       expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_role:chosen":               expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_role:chosen_multiple":      expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_role:create":               expect("L   L   L   L   302 302 302 302 302 302 200"),
    "wagtailsnippets_skills_skill:list":                       expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippets_skills_skill:list_results":               expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippets_skills_skill:add":                        expect("L   L   L   L   302 302 302 302 302 302 200"),
    "wagtailsnippets_skills_skill:edit":                       expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_skill:delete":                     expect("L   L   L   L   302 302 302 302 302 302 200"),
    "wagtailsnippets_skills_skill:usage":                      expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_skill:history":                    expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippets_skills_skill:history_results":            expect("L   L   L   L   302 302 200 302 302 200 200"),
    "wagtailsnippetchoosers_skills_skill:choose":              expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_skill:choose_results":      expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_skill:chosen":              expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_skill:chosen_multiple":     expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_skills_skill:create":              expect("L   L   L   L   302 302 302 302 302 302 200"),
    "wagtailsnippets_assessments_assessment:list":             expect("L   L   L   L   200 302 200 200 302 200 200"),
    "wagtailsnippets_assessments_assessment:list_results":     expect("L   L   L   L   200 302 200 200 302 200 200"),
    "wagtailsnippets_assessments_assessment:add":              expect("L   L   L   L   200 302 200 200 302 200 200"),
    "wagtailsnippets_assessments_assessment:edit":             expect("L   L   L   L   200 302 200 404 302 404 200"),
    "wagtailsnippets_assessments_assessment:delete":           expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippets_assessments_assessment:usage":            expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippets_assessments_assessment:history":          expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippets_assessments_assessment:history_results":  expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippetchoosers_assessments_assessment:choose":    expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_assessments_assessment:choose_results": expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_assessments_assessment:chosen":    expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippetchoosers_assessments_assessment:chosen_multiple": expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_assessments_assessment:create":    expect("L   L   L   L   200 302 200 200 302 200 200"),
    "wagtailsnippets_learning_cohort:list":                    expect("L   L   L   L   200 302 200 200 302 200 200"),
    "wagtailsnippets_learning_cohort:list_results":            expect("L   L   L   L   200 302 200 200 302 200 200"),
    "wagtailsnippets_learning_cohort:add":                     expect("L   L   L   L   200 302 200 200 302 200 200"),
    "wagtailsnippets_learning_cohort:edit":                    expect("L   L   L   L   200 302 200 404 302 404 200"),
    "wagtailsnippets_learning_cohort:delete":                  expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippets_learning_cohort:usage":                   expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippets_learning_cohort:history":                 expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippets_learning_cohort:history_results":         expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippetchoosers_learning_cohort:choose":           expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_learning_cohort:choose_results":   expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_learning_cohort:chosen":           expect("L   L   L   L   200 404 200 404 404 404 200"),
    "wagtailsnippetchoosers_learning_cohort:chosen_multiple":  expect("L   L   L   L   200 200 200 200 200 200 200"),
    "wagtailsnippetchoosers_learning_cohort:create":           expect("L   L   L   L   200 302 200 200 302 200 200"),
    "assessments_extensions":                                  expect("L   L   L   L   200 302 200 200 302 200 200"),
    "memberships:index":                                       expect("L   L   L   L   302 200 200 302 200 200 200"),
    "memberships:index_results":                               expect("L   L   L   L   302 200 200 302 200 200 200"),
    "memberships:edit":                                        expect("L   L   L   L   302 302 200 302 302 404 200"),
    "memberships:delete":                                      expect("L   L   L   L   404 404 200 404 404 404 200"),
    "memberships:inspect":                                     expect("L   L   L   L   404 200 200 404 404 404 200"),
    "wagtaildocs_serve":                                       expect("404 404 404 404 404 404 404 404 404 404 404"),
    "wagtaildocs_authenticate_with_password":                  expect("404 404 404 404 404 404 404 404 404 404 404"),
    "set_language":                                            expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "-   -   -   -   -   -   -   -   -   -   -"),
    "healthz":                                                 expect("200 200 200 200 200 200 200 200 200 200 200"),
    # Probes: no personal data, the same answer for everyone (lms/health.py); GET only.
    "health_live":                                             expect("200 200 200 200 200 200 200 200 200 200 200"),
    "health_ready":                                            expect("200 200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:oauth-server-metadata":                   expect("200 200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:oauth-server-metadata-issuer":            expect("200 200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:oauth-resource-metadata":                 expect("200 200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:oauth-resource-metadata-path":            expect("200 200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:authorize":                               expect("L   400 400 400 400 400 400 400 400 400 400"),
    "oauth2_provider:token":                                   expect("405 405 405 405 405 405 405 405 405 405 405"),
    "oauth2_provider:revoke-token":                            expect("405 405 405 405 405 405 405 405 405 405 405"),
    "oauth2_provider:introspect":                              expect("403 403 403 403 403 403 403 403 403 403 403"),
    "oauth2_provider:device-authorization":                    expect("405 405 405 405 405 405 405 405 405 405 405"),
    "oauth2_provider:device":                                  expect("L   200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:device-confirm":                          expect("L   404 404 404 404 404 404 404 404 404 404"),
    "oauth2_provider:device-grant-status":                     expect("L   404 404 404 404 404 404 404 404 404 404"),
    "oauth2_provider:authorized-token-list":                   expect("L   200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:authorized-token-delete":                 expect("L   404 404 404 404 404 404 404 404 404 404"),
    "oauth2_provider:oidc-connect-discovery-info":             expect("200 200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:jwks-info":                               expect("200 200 200 200 200 200 200 200 200 200 200"),
    "oauth2_provider:user-info":                               expect("401 401 401 401 401 401 401 401 401 401 401"),
    "oauth2_provider:rp-initiated-logout":                     expect("404 404 404 404 404 404 404 404 404 404 404"),
    "profile":                                                 expect("L   200 200 200 200 200 200 200 200 200 200"),
    "join_centre":                                             expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   -   -   -   -   -   -   -   -   -   -"),
    "account_login":                                           expect("200 302 302 302 302 302 302 302 302 302 302"),
    "account_logout":                                          expect("302 200 200 200 200 200 200 200 200 200 200"),
    "account_inactive":                                        expect("200 200 200 200 200 200 200 200 200 200 200"),
    "account_signup":                                          expect("200 302 302 302 302 302 302 302 302 302 302"),
    "account_reauthenticate":                                  expect("L   200 200 200 200 200 200 200 200 200 200"),
    "account_request_reauthentication_code":                   expect("L   302 302 302 302 302 302 302 302 302 302"),
    "account_confirm_reauthentication_code":                   expect("L   302 302 302 302 302 302 302 302 302 302"),
    "account_email":                                           expect("L   200 200 200 200 200 200 200 200 200 200"),
    "account_email_verification_sent":                         expect("200 200 200 200 200 200 200 200 200 200 200"),
    "account_change_password":                                 expect("L   200 200 200 200 200 200 200 200 200 200"),
    "account_set_password":                                    expect("L   302 302 302 302 302 302 302 302 302 302"),
    "account_reset_password":                                  expect("200 200 200 200 200 200 200 200 200 200 200"),
    "account_confirm_login_code":                              expect("L   302 302 302 302 302 302 302 302 302 302"),
    "account_confirm_email":                                   expect("200 200 200 200 200 200 200 200 200 200 200"),
    "account_reset_password_from_key_done":                    expect("200 200 200 200 200 200 200 200 200 200 200"),
    "account_reset_password_from_key":                         expect("200 200 200 200 200 200 200 200 200 200 200"),
    "account_reset_password_done":                             expect("200 200 200 200 200 200 200 200 200 200 200"),
    # Centre admins lift sign-in lockouts of their own centre's people (docs/security.md).
    "accounts_sign_in_locks":                                  expect("L   L   L   L   302 302 200 302 302 200 200"),
    # Two-step sign-in (allauth.mfa): every change asks for the password again first (302 to
    # the re-authentication page); nothing to show or remove without a factor set up (404).
    # The Wagtail admin's sign-in address sends everyone to allauth's (docs/security.md).
    "admin_login":                                             expect("L   302 302 302 302 302 302 302 302 302 302"),
    "mfa_index":                                               expect("L   200 200 200 200 200 200 200 200 200 200"),
    "mfa_authenticate":                                        expect("L   302 302 302 302 302 302 302 302 302 302"),
    "mfa_reauthenticate":                                      expect("L   302 302 302 302 302 200 302 302 200 200"),
    "mfa_activate_totp":                                       expect("L   302 302 302 302 302 302 302 302 302 302"),
    "mfa_deactivate_totp":                                     expect("L   404 404 404 404 404 302 404 404 302 302"),
    "mfa_view_recovery_codes":                                 expect("L   404 404 404 404 404 302 404 404 302 302"),
    "mfa_generate_recovery_codes":                             expect("L   302 302 302 302 302 302 302 302 302 302"),
    "mfa_download_recovery_codes":                             expect("L   404 404 404 404 404 302 404 404 302 302"),
    "learning:dashboard":                                      expect("L   200 200 200 200 200 200 200 200 200 200"),
    "learning:enrol":                                          expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   409 409 403 403 403 403 403 403 403 403"),
    "learning:lesson_complete":                                expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   -   -   403 403 403 403 403 403 403 403"),
    "learning:lesson_position":                                expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   400 400 400 400 400 400 400 400 400 400"),
    "assessments:my_grades":                                   expect("L   200 200 200 200 200 200 200 200 200 200"),
    "assessments:quiz":                                        expect("L   200 200 200 200 200 200 200 200 200 200"),
    "assessments:exercise":                                    expect("L   200 200 200 200 200 200 200 200 200 200"),
    "assessments:exercise_download":                           expect("L   200 200 403 200 403 200 403 403 403 200"),
    "assessments:attempt":                                     expect("L   200 403 403 200 403 200 403 403 403 200"),
    "assessments:answer":                                      expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   400 400 400 400 400 400 400 400 400 400"),
    "assessments:save":                                        expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   302 403 403 403 403 403 403 403 403 403"),
    "assessments:submit":                                      expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   -   403 403 403 403 403 403 403 403 403"),
    "assessments:calendar":                                    expect("L   200 200 200 200 200 200 200 200 200 200"),
    "assessments:calendar_feed_new":                           expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   -   -   -   -   -   -   -   -   -   -"),
    "assessments:calendar_feed_revoke":                        expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   -   -   -   -   -   -   -   -   -   -"),
    # A capability address: the owner's secret token opens the feed for whoever holds it
    # (calendar apps send no session); tests/assessments/test_deadline_views.py: revoked or
    # forged tokens answer 404.
    "assessments:calendar_ics":                                expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:mine":                                       expect("L   200 200 200 200 200 200 200 200 200 200"),
    "certificates:verify_upload":                              expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:verify":                                     expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:credential":                                 expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:credential_jsonld":                          expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:credential_jwt":                             expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:pdf":                                        expect("L   200 404 404 200 200 200 404 404 404 200"),
    "certificates:issuer":                                     expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:jwks":                                       expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:key":                                        expect("200 200 200 200 200 200 200 200 200 200 200"),
    "certificates:status_list":                                expect("200 200 200 200 200 200 200 200 200 200 200"),
    # LTI endpoints are called by learning platforms, anonymously by design: the key set is
    # public, a login or launch without a platform's signed values is refused as bad input,
    # a picker needs the id of a verified deep-linking launch, a registration the centre's
    # signed ticket.
    "lti:jwks":                                                expect("200 200 200 200 200 200 200 200 200 200 200"),
    "lti:login":                                               expect("400 400 400 400 400 400 400 400 400 400 400"),
    "lti:launch":                                              expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "400 400 400 400 400 400 400 400 400 400 400"),
    "lti:deep_link":                                           expect("404 404 404 404 404 404 404 404 404 404 404"),
    "lti:register":                                            expect("403 403 403 403 403 403 403 403 403 403 403"),
    "skills:overview":                                         expect("L   200 200 200 200 200 200 200 200 200 200"),
    "skills:role":                                             expect("L   200 200 200 200 200 200 200 200 200 200"),
    "skills:goal_set":                                         expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   302 302 302 302 302 302 302 302 302 302"),
    "skills:goal_clear":                                       expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   302 302 302 302 302 302 302 302 302 302"),
    "skills:self_assessment":                                  expect("L   200 200 200 200 200 200 200 200 200 200"),
    "skills:cv":                                               expect("L   200 200 200 200 200 200 200 200 200 200"),
    "skills:staff_learner":                                    expect("L   404 404 404 404 200 200 404 404 404 200"),
    "skills:claim_review":                                     expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   400 404 404 404 400 400 404 404 404 400"),
    "skills:postings":                                         expect("L   404 404 404 404 200 200 404 404 404 200"),
    "skills:posting_delete":                                   expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   404 404 404 404 -   -   404 404 404 -  "),
    "sandboxes:start":                                         expect("L   405 405 405 405 405 405 405 405 405 405",
                                                                      "L   400 400 400 400 400 400 400 400 400 400"),
    "sandboxes:launch":                                        expect("L   200 404 404 404 404 404 404 404 404 404"),
    "sandboxes:status":                                        expect("L   200 404 404 404 404 404 404 404 404 404"),
    "counselling:caseload":                                    expect("L   403 403 403 403 200 200 403 403 403 200"),
    "counselling:caseload_csv":                                expect("L   403 403 403 403 200 200 403 403 403 200"),
    "counselling:at_risk":                                     expect("L   403 403 403 403 200 200 403 403 403 200"),
    "counselling:cohorts":                                     expect("L   403 403 403 403 200 200 403 403 403 200"),
    "counselling:learner":                                     expect("L   403 403 403 403 200 200 403 403 403 200"),
    "counselling:note_create":                                 expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   403 403 403 403 400 400 403 403 403 400"),
    "counselling:plan_create":                                 expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   403 403 403 403 400 400 403 403 403 400"),
    "counselling:note":                                        expect("L   403 403 403 403 200 200 403 403 403 200"),
    "counselling:assignments":                                 expect("L   403 403 403 403 403 200 403 403 403 200"),
    "counselling:unassign":                                    expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   403 403 403 403 403 -   403 403 403 -"),
    "counselling:access_log":                                  expect("L   403 403 403 403 403 200 403 403 403 200"),
    "counselling:my_data":                                     expect("L   200 200 200 200 200 200 200 200 200 200"),
    "counselling:my_data_json":                                expect("L   200 200 200 200 200 200 200 200 200 200"),
    "privacy:consent":                                         expect("L   200 200 200 200 200 200 200 200 200 200"),
    "privacy:account":                                         expect("L   200 200 200 200 200 200 200 200 200 200"),
    "privacy:consents_update":                                 expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   400 400 400 400 400 400 400 400 400 400"),
    "privacy:export_request":                                  expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   -   -   -   -   -   -   -   -   -   -"),
    "privacy:export_download":                                 expect("L   404 404 404 404 404 404 404 404 404 404"),
    "privacy:erasure_request":                                 expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   409 -   -   409 409 409 409 409 409 409"),
    "privacy:erasure_cancel":                                  expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   -   404 404 404 404 404 404 404 404 404"),
    "privacy:audit_log":                                       expect("L   403 403 403 403 403 200 403 403 403 200"),
    "privacy:audit_log_csv":                                   expect("L   403 403 403 403 403 200 403 403 403 200"),
    "privacy:learner_erasure":                                 expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   403 403 403 403 403 409 403 403 403 403"),
    "notifications:list":                                      expect("L   200 200 200 200 200 200 200 200 200 200"),
    "notifications:mark_read":                                 expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   400 400 400 400 400 400 400 400 400 400"),
    "notifications:preferences":                               expect("L   200 200 200 200 200 200 200 200 200 200"),
    "notifications:announcements":                             expect("L   200 200 404 200 404 200 404 404 404 200"),
    "notifications:threads":                                   expect("L   200 200 200 200 200 200 200 200 200 200"),
    "notifications:message_new":                               expect("405 405 405 405 405 405 405 405 405 405 405",
                                                                      "L   400 403 403 403 400 403 403 403 403 403"),
    "notifications:thread":                                    expect("L   200 404 404 404 200 404 404 404 404 404"),
    # A centre's retention periods (Wagtail admin): its admins and superusers; another
    # centre's admin sees only their own centre in the list and 404 for this one.
    "privacy_retention":                                       expect("L   L   L   L   302 302 200 302 302 200 200"),
    "privacy_retention_edit":                                  expect("L   L   L   L   302 302 200 302 302 404 200"),
    "search":                                                  expect("200 200 200 200 200 200 200 200 200 200 200"),
    "wagtailcore_authenticate_with_password":                  expect("404 404 404 404 404 404 404 404 404 404 404"),
    "wagtailcore_login":                                       expect("200 200 200 200 200 200 200 200 200 200 200"),
    "wagtail_serve":                                           expect("200 200 200 200 200 200 200 200 200 200 200"),
}
# fmt: on


#: Pages anyone holding the link may open, by design: a certificate's verify page and its
#: credential (and its downloads) show the holder's name, as the printed certificate does (its id is a random
#: UUID the holder shares). The matrix lets the holder's name through here, nothing else.
PUBLIC_BY_LINK = {
    "certificates:verify",
    "certificates:credential",
    "certificates:credential_jsonld",
    "certificates:credential_jwt",
}


#: Wagtail admin URLs open to everyone: signing in, resetting a password, static assets.
WAGTAIL_ADMIN_PUBLIC = {
    "wagtailadmin_login",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
}


def category(route) -> str:
    """The category rule covering a URL that has no entry of its own, or "".

    wagtail-admin: anonymous -> L; a learner (no admin access) -> L, 302, 403 or 404, never a
    page. wagtail-admin-public: any answer but a 500.
    """
    if route.owner != "dasi" and route.route.startswith("admin/"):
        return "wagtail-admin-public" if route.name in WAGTAIL_ADMIN_PUBLIC else "wagtail-admin"
    return ""
