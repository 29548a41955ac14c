import pytest
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.management import call_command

from frameworks.files import framework_data
from frameworks.models import (
    FrameworkVersion,
    FrozenVersionError,
    Principle,
    ScaleOption,
    VersionStateError,
)
from frameworks.scales import SCALE_KEYS, Scale
from frameworks.services import (
    PUBLISH_INCOMPLETE,
    framework_load_default,
    framework_version_copy,
    framework_version_fill_scales,
    framework_version_freeze,
    framework_version_problems,
    framework_version_publish,
)
from frameworks.tests.helpers import frameworks_counts, frameworks_snapshot
from thrive_edi.migrating import schema_is_current

pytestmark = pytest.mark.django_db


def test_freezing_a_version_records_when_it_was_frozen(current_version, draft_version):
    framework_version_freeze(version=current_version)
    assert FrameworkVersion.objects.get(pk=current_version.pk).is_frozen
    assert current_version.is_frozen
    assert not FrameworkVersion.objects.get(pk=draft_version.pk).is_frozen


def test_freezing_twice_keeps_the_first_freezing_time(current_version):
    first = framework_version_freeze(version=current_version).frozen_at
    stale = FrameworkVersion.objects.get(pk=current_version.pk)
    stale.frozen_at = None  # an object read before the first freeze
    again = framework_version_freeze(version=stale)
    assert again.frozen_at == first
    assert FrameworkVersion.objects.get(pk=current_version.pk).frozen_at == first


def test_a_frozen_version_refuses_edits_through_the_service_layer_too(frozen_version):
    before = frameworks_snapshot()
    principle = Principle.objects.get(version=frozen_version, key="equity")
    principle.summary = "Changed after submission."
    with pytest.raises(FrozenVersionError):
        principle.save()
    with pytest.raises(FrozenVersionError):
        ScaleOption.objects.filter(version=frozen_version, scale=Scale.IMPACT).update(label="Renamed")
    assert frameworks_snapshot() == before


def test_publishing_a_draft_makes_it_current_and_retires_the_previous_one(current_version, draft_version):
    framework_version_publish(version=draft_version)
    assert FrameworkVersion.objects.current() == draft_version
    assert draft_version.is_current and draft_version.published_at is not None
    previous = FrameworkVersion.objects.get(pk=current_version.pk)
    assert previous.status == FrameworkVersion.Status.RETIRED
    assert previous in FrameworkVersion.objects.visible()  # still readable
    assert FrameworkVersion.objects.filter(status=FrameworkVersion.Status.PUBLISHED).count() == 1


def test_a_frozen_current_version_is_retired_when_another_is_published(frozen_version, draft_version):
    framework_version_publish(version=draft_version)
    previous = FrameworkVersion.objects.get(pk=frozen_version.pk)
    assert previous.status == FrameworkVersion.Status.RETIRED
    assert previous.is_frozen
    assert previous.principles.count() == 8


@pytest.mark.parametrize("status", [FrameworkVersion.Status.PUBLISHED, FrameworkVersion.Status.RETIRED])
def test_only_drafts_can_be_published(current_version, draft_version, status):
    framework_version_publish(version=draft_version)  # the default one is now retired
    version = draft_version if status == FrameworkVersion.Status.PUBLISHED else current_version
    version.refresh_from_db()
    before = frameworks_snapshot()
    with pytest.raises(VersionStateError, match="Only a draft version can be published"):
        framework_version_publish(version=version)
    assert frameworks_snapshot() == before


def test_an_incomplete_draft_cannot_be_published(current_version, draft_version):
    ScaleOption.objects.filter(version=draft_version, scale=Scale.IMPACT, key="unknown").delete()
    draft_version.sections.filter(key="monitoring").update(purpose="")
    before = frameworks_snapshot()
    with pytest.raises(VersionStateError) as caught:
        framework_version_publish(version=draft_version)
    messages = caught.value.messages
    assert messages[0] == PUBLISH_INCOMPLETE
    assert any(
        message.startswith("scales.impact: keys differ from the code's: missing 'unknown'")
        for message in messages
    )
    assert "eia_template[9]: missing required field 'purpose'" in messages
    assert frameworks_snapshot() == before
    assert FrameworkVersion.objects.current() == current_version


def test_the_default_framework_has_no_problems(current_version):
    assert framework_version_problems(version=current_version) == []


def test_copying_a_version_makes_a_deep_copy_as_an_unfrozen_draft(frozen_version):
    copy = framework_version_copy(version=frozen_version)
    assert copy.pk != frozen_version.pk
    assert copy.label == "2022/23 (copy)"
    assert copy.status == FrameworkVersion.Status.DRAFT
    assert not copy.is_frozen
    assert copy.copied_from == frozen_version
    original, copied = framework_data(frozen_version), framework_data(copy)
    assert copied["framework"].pop("version") == "2022/23 (copy)"
    assert original["framework"].pop("version") == "2022/23"
    assert copied == original
    assert set(copy.principles.values_list("pk", flat=True)).isdisjoint(
        frozen_version.principles.values_list("pk", flat=True)
    )


def test_a_copy_can_be_edited_without_touching_the_original(frozen_version):
    copy = framework_version_copy(version=frozen_version)
    principle = copy.principles.get(key="equity")
    principle.name = "Equity and fairness"
    principle.save()
    principle.levels.clear()
    assert frozen_version.principles.get(key="equity").name == "Equity"
    assert frozen_version.principles.get(key="equity").levels.count() == 2


def test_copies_get_labels_of_their_own(current_version):
    first = framework_version_copy(version=current_version)
    second = framework_version_copy(version=current_version)
    named = framework_version_copy(version=current_version, label="2025/26")
    assert [first.label, second.label, named.label] == ["2022/23 (copy)", "2022/23 (copy 2)", "2025/26"]


def test_a_copy_of_a_version_with_a_long_label_gets_a_label_that_fits(current_version):
    FrameworkVersion.objects.filter(pk=current_version.pk).update(label="L" * 50)
    current_version.refresh_from_db()
    copy = framework_version_copy(version=current_version)
    assert copy.label == "L" * 39 + " (copy)"


def test_a_version_made_from_scratch_gets_every_fixed_scale_key_once(db):
    version = FrameworkVersion.objects.create(name="Blank", label="blank")
    added = framework_version_fill_scales(version=version)
    assert added == sum(len(choices.values) for choices in SCALE_KEYS.values())
    assert framework_version_fill_scales(version=version) == 0
    assert version.labels(Scale.DUTY_CONTRIBUTION) == dict(SCALE_KEYS[Scale.DUTY_CONTRIBUTION].choices)


def test_the_default_framework_is_loaded_only_when_there_is_no_version_at_all(current_version):
    before = frameworks_counts()
    assert framework_load_default() is None
    assert frameworks_counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_the_default_framework_back():
    call_command("flush", interactive=False, verbosity=0)
    current = FrameworkVersion.objects.current()
    assert current is not None and current.label == "2022/23"
    assert current.principles.count() == 8
    assert FrameworkVersion.objects.count() == 1


def test_the_default_is_not_loaded_into_tables_that_are_not_migrated_yet():
    frameworks = global_apps.get_app_config("frameworks")
    assert schema_is_current(frameworks, global_apps)
    assert not schema_is_current(frameworks, Apps(installed_apps=[]))
