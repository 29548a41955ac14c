"""The in_array lookup: the same rows as ``__in``, written so that PostgreSQL can use indexes."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from assessments.models import Assessment
from assessments.tests.factories import make_assessment

pytestmark = pytest.mark.django_db


def test_in_array_finds_the_rows_in_finds(staff_user, user_factory):
    other = user_factory(username="omar")
    mine, shared, theirs = make_assessment(staff_user), make_assessment(other), make_assessment(other)
    shared.collaborators.add(staff_user)
    collaborating = Assessment.collaborators.through.objects.filter(user=staff_user).values("assessment_id")
    assert list(Assessment.objects.filter(pk__in_array=collaborating)) == [shared]
    involving = Assessment.objects.involving(staff_user)
    assert set(involving) == {mine, shared} and theirs not in involving
    assert involving.count() == 2


def test_in_array_is_an_array_on_postgresql_and_a_subquery_elsewhere():
    users = get_user_model().objects.values("pk")
    sql = str(get_user_model().objects.filter(pk__in_array=users).query)
    if connection.vendor == "postgresql":
        assert '"auth_user"."id" = ANY(ARRAY(SELECT' in sql
    else:
        assert '"auth_user"."id" IN (SELECT' in sql
