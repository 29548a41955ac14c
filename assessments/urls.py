from django.urls import path

from assessments import views, views_review, views_rounds

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("my-actions/", views_review.my_actions, name="my_actions"),
    path("<str:reference>/", views.assessment_detail, name="detail"),
    path("<str:reference>/details/", views.assessment_edit_details, name="edit_details"),
    path("<str:reference>/sections/<slug:section_key>/", views.section_edit, name="section"),
    path("<str:reference>/check/", views.check_answers, name="check"),
    path("<str:reference>/submit/", views.assessment_submit, name="submit"),
    path("<str:reference>/history/", views.assessment_history, name="history"),
    path("<str:reference>/review/", views_review.review, name="review"),
    path("<str:reference>/review/comments/", views_review.comment_add, name="comment_add"),
    path("<str:reference>/review/send-comments/", views_rounds.comments_send, name="comments_send"),
    path("<str:reference>/comments/<int:pk>/reply/", views_review.comment_reply, name="comment_reply"),
    path("<str:reference>/comments/<int:pk>/resolve/", views_review.comment_resolve, name="comment_resolve"),
    path("<str:reference>/request-changes/", views_review.request_changes, name="request_changes"),
    path("<str:reference>/sign-off/", views_review.sign_off, name="sign_off"),
    path("<str:reference>/withdraw/", views_review.withdraw, name="withdraw"),
    path("<str:reference>/start-reassessment/", views_review.reassess, name="reassess"),
    path("<str:reference>/actions/<int:pk>/", views_review.action_follow_up, name="action_follow_up"),
]
