from django.urls import path

from assessments.views import assessment, evidence, review, rounds, screening

app_name = "assessments"

urlpatterns = [
    path("", assessment.assessment_list, name="list"),
    path("new/", assessment.assessment_create, name="create"),
    path("my-actions/", review.my_actions, name="my_actions"),
    path("<str:reference>/", assessment.assessment_detail, name="detail"),
    path("<str:reference>/details/", assessment.assessment_edit_details, name="edit_details"),
    path("<str:reference>/screening/", screening.screening_edit, name="screening"),
    path("<str:reference>/screening/confirm/", screening.screening_confirm, name="screening_confirm"),
    path("<str:reference>/sections/<slug:section_key>/", assessment.section_edit, name="section"),
    path("<str:reference>/evidence/", evidence.evidence_page, name="evidence"),
    path("<str:reference>/evidence/<int:pk>/", evidence.evidence_download, name="evidence_file"),
    path("<str:reference>/evidence/<int:pk>/remove/", evidence.evidence_remove, name="evidence_remove"),
    path("<str:reference>/check/", assessment.check_answers, name="check"),
    path("<str:reference>/submit/", assessment.assessment_submit, name="submit"),
    path("<str:reference>/history/", assessment.assessment_history, name="history"),
    path("<str:reference>/review/", review.review, name="review"),
    path("<str:reference>/review/comments/", review.comment_add, name="comment_add"),
    path("<str:reference>/review/send-comments/", rounds.comments_send, name="comments_send"),
    path("<str:reference>/comments/<int:pk>/reply/", review.comment_reply, name="comment_reply"),
    path("<str:reference>/comments/<int:pk>/resolve/", review.comment_resolve, name="comment_resolve"),
    path("<str:reference>/request-changes/", review.request_changes, name="request_changes"),
    path("<str:reference>/sign-off/", review.sign_off, name="sign_off"),
    path("<str:reference>/withdraw/", review.withdraw, name="withdraw"),
    path("<str:reference>/start-reassessment/", review.reassess, name="reassess"),
    path("<str:reference>/actions/<int:pk>/", review.action_follow_up, name="action_follow_up"),
]
