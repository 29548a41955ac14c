import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from thrive_edi.roles import ROLE_DEFINITIONS, Role

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = "Test"
    last_name = "User"
    password = factory.django.Password(TEST_PASSWORD)

    @classmethod
    def _create(cls, model_class, *args, role: Role | None = None, **kwargs):
        if role is Role.ADMIN:
            kwargs["is_staff"] = True
        user = super()._create(model_class, *args, **kwargs)
        if role is not None:
            user.groups.add(Group.objects.get(name=ROLE_DEFINITIONS[role].group_name))
        return user
