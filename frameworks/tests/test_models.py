import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frameworks.models import (
    FROZEN_MESSAGE,
    Characteristic,
    FrameworkVersion,
    FrozenVersionError,
    Level,
    Pillar,
    Principle,
    Question,
    ScaleOption,
    Section,
    VersionStateError,
)
from frameworks.scales import SCALE_KEYS, Decision, Impact, Scale
from frameworks.tests.helpers import frameworks_snapshot

pytestmark = pytest.mark.django_db


def test_a_fresh_database_has_the_2022_23_framework_as_the_current_version(current_version):
    assert current_version.label == "2022/23"
    assert current_version.name == "Thrive LDN EDI Framework"
    assert current_version.status == FrameworkVersion.Status.PUBLISHED
    assert current_version.published_at is not None
    assert not current_version.is_frozen
    assert FrameworkVersion.objects.count() == 1
    assert current_version.principles.count() == 8
    assert current_version.characteristics.filter(kind=Characteristic.Kind.PROTECTED).count() == 9
    assert current_version.characteristics.filter(kind=Characteristic.Kind.ADDITIONAL).count() == 15
    assert current_version.sections.count() == 10
    assert current_version.questions.count() == 16
    assert list(current_version.levels.values_list("key", flat=True)) == [
        "individuals",
        "communities",
        "systems",
    ]
    assert list(current_version.pillars.values_list("key", flat=True)) == ["enabler", "direct_action"]


def test_every_scale_of_the_default_framework_has_exactly_the_codes_keys(current_version):
    for scale, choices in SCALE_KEYS.items():
        assert list(current_version.labels(scale)) == list(choices.values), scale


def test_principles_keep_their_pillar_levels_and_guiding_questions(current_version):
    equity = current_version.principles.get(key="equity")
    assert equity.pillar.key == "enabler"
    assert [level.key for level in equity.levels.all()] == ["communities", "systems"]
    assert equity.guiding_questions[0] == "Who benefits least today, and what in this design changes that?"
    assert equity.get_absolute_url() == f"/framework/versions/{current_version.pk}/principles/equity/"


def test_the_current_version_is_none_when_nothing_is_published(current_version):
    FrameworkVersion.objects.update(status=FrameworkVersion.Status.RETIRED)
    assert FrameworkVersion.objects.current() is None


def test_only_one_version_can_be_published_at_a_time(current_version, draft_version):
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.filter(pk=draft_version.pk).update(
            status=FrameworkVersion.Status.PUBLISHED, published_at=timezone.now()
        )


def test_keys_are_unique_within_a_version_but_may_repeat_in_another(current_version, draft_version):
    assert draft_version.principles.filter(key="equity").exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Level.objects.create(version=current_version, key="systems", name="Systems again")
    with pytest.raises(IntegrityError), transaction.atomic():
        section = current_version.sections.get(key="about")
        Question.objects.create(section=section, key="review_date", text="Again?", type=Question.Type.DATE)


def test_a_scale_is_read_once_per_version_whatever_is_asked_of_it(current_version, django_assert_num_queries):
    version = FrameworkVersion.objects.get(pk=current_version.pk)
    with django_assert_num_queries(1):
        labels = version.labels(Scale.IMPACT)
        choices = version.choices(Impact)
        requirements = version.requirements("impact")
        decisions = version.choices(Decision)
    assert labels["negative"] == "Some negative"
    assert choices[0] == ("significant_positive", "Significant positive")
    assert requirements["significant_negative"] == ["action", "justification"]
    assert decisions[2] == (
        "continue_with_justification",
        "Continue despite adverse impact, with objective justification",
    )


def test_a_label_missing_from_a_version_falls_back_to_the_codes_label(draft_version):
    ScaleOption.objects.filter(version=draft_version, scale=Scale.IMPACT, key="neutral").delete()
    version = FrameworkVersion.objects.get(pk=draft_version.pk)
    assert version.label_for(Impact, "neutral") == "Neutral"
    assert version.label_for(Impact, "negative") == "Some negative"


def test_an_unknown_scale_is_a_clear_error(current_version):
    with pytest.raises(ValueError, match="is not a scale"):
        current_version.labels("weather")


def test_choice_questions_list_their_own_options_or_the_versions_data(current_version):
    questions = {question.key: question for question in current_version.questions.all()}
    assert questions["stage"].choices() == [("new", "New"), ("changed", "Changed"), ("existing", "Existing")]
    assert questions["disaggregation"].choices()[2] == ("not_at_all", "Not at all")
    assert questions["levels"].choices() == [
        ("individuals", "Individuals"),
        ("communities", "Communities"),
        ("systems", "Systems"),
    ]
    assert questions["decision"].choices()[0] == ("no_major_change", "No major change needed")


def test_model_validation_refuses_inconsistent_content(current_version, draft_version):
    other_pillar = Pillar.objects.get(version=draft_version, key="enabler")
    principle = Principle(
        version=current_version, key="new_one", name="New", pillar=other_pillar, summary="A summary."
    )
    with pytest.raises(ValidationError, match="same framework version"):
        principle.full_clean()
    question = Question(
        version=current_version,
        section=current_version.sections.get(key="about"),
        key="colour",
        text="Which colour?",
        type=Question.Type.CHOICE,
    )
    with pytest.raises(ValidationError, match="needs either options or options from"):
        question.full_clean()
    option = ScaleOption(
        version=current_version, scale=Scale.IMPACT, key="catastrophic", label="Catastrophic"
    )
    with pytest.raises(ValidationError, match="keys are fixed"):
        option.full_clean()


# Freezing: a frozen version and everything in it refuse every change, whichever way it comes.


def _content_of(version: FrameworkVersion) -> dict:
    return {
        "level": Level.objects.filter(version=version).first(),
        "pillar": Pillar.objects.filter(version=version).first(),
        "principle": Principle.objects.filter(version=version).first(),
        "characteristic": Characteristic.objects.filter(version=version).first(),
        "section": Section.objects.filter(version=version).first(),
        "question": Question.objects.filter(version=version).first(),
        "scale option": ScaleOption.objects.filter(version=version).first(),
    }


CONTENT_KINDS = ["level", "pillar", "principle", "characteristic", "section", "question", "scale option"]


def test_a_frozen_error_is_a_validation_error_and_a_permission_denied_with_a_clear_message():
    error = FrozenVersionError()
    assert isinstance(error, ValidationError)
    assert isinstance(error, PermissionDenied)
    assert error.messages == [FROZEN_MESSAGE]
    assert "Create a new draft version" in FROZEN_MESSAGE


@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_saving_content_of_a_frozen_version_is_refused(frozen_version, kind):
    item = _content_of(frozen_version)[kind]
    before = frameworks_snapshot()
    item.order = 999
    with pytest.raises(FrozenVersionError):
        item.save()
    assert frameworks_snapshot() == before


@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_deleting_content_of_a_frozen_version_is_refused(frozen_version, kind):
    item = _content_of(frozen_version)[kind]
    before = frameworks_snapshot()
    with pytest.raises(FrozenVersionError):
        item.delete()
    assert frameworks_snapshot() == before


@pytest.mark.parametrize("kind", CONTENT_KINDS)
def test_bulk_updates_and_deletes_of_a_frozen_versions_content_are_refused(frozen_version, kind):
    model = type(_content_of(frozen_version)[kind])
    before = frameworks_snapshot()
    with pytest.raises(FrozenVersionError):
        model.objects.filter(version=frozen_version).update(order=1)
    with pytest.raises(FrozenVersionError):
        model.objects.filter(version=frozen_version).delete()
    with pytest.raises(FrozenVersionError):
        model.objects.all().delete()  # a frozen row among others: nothing is deleted
    assert frameworks_snapshot() == before


def test_adding_content_to_a_frozen_version_is_refused(frozen_version):
    before = frameworks_snapshot()
    with pytest.raises(FrozenVersionError):
        Level.objects.create(version=frozen_version, key="nations", name="Nations")
    with pytest.raises(FrozenVersionError):
        Characteristic.objects.bulk_create(
            [Characteristic(version=frozen_version, key="students", name="Students", kind="additional")]
        )
    with pytest.raises(FrozenVersionError):
        section = frozen_version.sections.get(key="about")
        Question.objects.create(section=section, key="budget", text="What is the budget?", type="short_text")
    assert frameworks_snapshot() == before


def test_changing_a_frozen_principles_levels_is_refused(frozen_version):
    principle = frozen_version.principles.get(key="equity")
    individuals = frozen_version.levels.get(key="individuals")
    equality = frozen_version.principles.get(key="equality")
    before = frameworks_snapshot()
    # Django changes many-to-many relations inside its own transaction, which the refusal
    # rolls back: each attempt gets a savepoint of its own.
    with pytest.raises(FrozenVersionError), transaction.atomic():
        principle.levels.add(individuals)
    with pytest.raises(FrozenVersionError), transaction.atomic():
        principle.levels.clear()
    with pytest.raises(FrozenVersionError), transaction.atomic():
        individuals.principles.remove(equality)
    assert frameworks_snapshot() == before


def test_moving_content_out_of_or_into_a_frozen_version_is_refused(frozen_version, draft_version):
    before = frameworks_snapshot()
    characteristic = frozen_version.characteristics.get(key="age")
    characteristic.version = draft_version
    characteristic.key = "age_copy"
    with pytest.raises(FrozenVersionError):
        characteristic.save()
    draft_level = draft_version.levels.get(key="systems")
    draft_level.version = frozen_version
    draft_level.key = "systems_copy"
    with pytest.raises(FrozenVersionError):
        draft_level.save()
    with pytest.raises(FrozenVersionError):
        Level.objects.filter(version=draft_version).update(version=frozen_version)
    question = draft_version.questions.get(key="aims")
    question.section = frozen_version.sections.get(key="about")
    question.key = "aims_again"
    with pytest.raises(FrozenVersionError):
        question.save()
    assert frameworks_snapshot() == before


def test_changing_a_frozen_versions_own_text_is_refused(frozen_version):
    before = frameworks_snapshot()
    version = FrameworkVersion.objects.get(pk=frozen_version.pk)
    version.summary = "Rewritten after the fact."
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        FrameworkVersion.objects.filter(pk=frozen_version.pk).update(name="Another name")
    with pytest.raises(FrozenVersionError):
        FrameworkVersion.objects.filter(pk=frozen_version.pk).update(frozen_at=None)
    assert frameworks_snapshot() == before


def test_a_stale_copy_of_a_version_cannot_unfreeze_it(current_version):
    stale = FrameworkVersion.objects.get(pk=current_version.pk)
    FrameworkVersion.objects.filter(pk=current_version.pk).update(frozen_at=timezone.now())
    with pytest.raises(FrozenVersionError):
        stale.save()
    assert FrameworkVersion.objects.get(pk=current_version.pk).is_frozen


def test_a_frozen_version_may_still_be_retired(frozen_version):
    FrameworkVersion.objects.filter(pk=frozen_version.pk).update(status=FrameworkVersion.Status.RETIRED)
    frozen_version.refresh_from_db()
    assert frozen_version.status == FrameworkVersion.Status.RETIRED
    frozen_version.status = FrameworkVersion.Status.PUBLISHED
    frozen_version.save(update_fields=["status"])
    assert FrameworkVersion.objects.current() == frozen_version


def test_deleting_a_frozen_version_is_refused(frozen_version, draft_version):
    FrameworkVersion.objects.filter(pk=frozen_version.pk).update(status=FrameworkVersion.Status.RETIRED)
    before = frameworks_snapshot()
    with pytest.raises(FrozenVersionError):
        FrameworkVersion.objects.get(pk=frozen_version.pk).delete()
    with pytest.raises(FrozenVersionError):
        FrameworkVersion.objects.all().delete()
    assert frameworks_snapshot() == before


def test_deleting_the_current_version_is_refused(current_version):
    before = frameworks_snapshot()
    with pytest.raises(VersionStateError, match="current framework version cannot be deleted"):
        current_version.delete()
    with pytest.raises(VersionStateError):
        FrameworkVersion.objects.filter(pk=current_version.pk).delete()
    assert frameworks_snapshot() == before


def test_a_draft_version_can_be_deleted_with_all_its_content(current_version, draft_version):
    before = {model: model.objects.count() for model in (Principle, Question, Section, ScaleOption)}
    draft_version.delete()
    assert not FrameworkVersion.objects.filter(pk=draft_version.pk).exists()
    for model, count in before.items():
        assert model.objects.count() == count // 2, model


def test_a_draft_versions_content_can_be_edited(draft_version):
    principle = draft_version.principles.get(key="equity")
    principle.summary = "A new summary."
    principle.save()
    principle.levels.add(draft_version.levels.get(key="individuals"))
    assert Principle.objects.get(pk=principle.pk).summary == "A new summary."
    assert principle.levels.count() == 3
