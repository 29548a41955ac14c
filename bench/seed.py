"""Realistic assessments at scale, for benchmarks and demos.

Every status, full impact grids, intersectional impacts, principles, duties, participation,
actions, review comments, events, and sign-offs with their snapshots (canonical JSON and
SHA-256, made by the same code as a real sign-off), written with bulk inserts so that
thousands load in a minute or two:

    python -m bench.inside seed 5000 [--signed-off 10000] [--password ...] [--force]

Additive: ``seed N`` brings the number of seeded assessments (those owned by the
seeded ``seed-*`` users) up to N, so running it twice with the same N adds nothing, and a
larger N adds the difference. ``--signed-off M`` then adds signed-off assessments until M
are signed off. Seeded users get ``--password`` (one hash, set on all of them) or none.

It is for benchmarks and demos: it refuses to run with DEBUG off unless given ``--force``.
"""

from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from assessments.models import (
    ASSESSMENT_ROW_MODELS,
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    Partner,
    PrincipleAlignment,
    ReferenceCounter,
    ReviewComment,
    Screening,
    SectionProgress,
    Snapshot,
)
from assessments.selectors import (
    AssessmentContent,
    FrameworkTemplate,
    template_sections,
    version_characteristics,
)
from assessments.signals import published_assessments_loaded
from assessments.snapshots import canonical_json, fingerprint, snapshot_document
from bench.seed_plan import (
    BATCH,
    DRAFT,
    FIRST_NAMES,
    LAST_NAMES,
    PARTNERS,
    PATTERN,
    SIGNED_OFF,
    SUPERSEDED,
    USER_PREFIX,
    Planned,
    Planner,
    _rng,
)
from frameworks.models import FrameworkVersion
from frameworks.services import framework_version_freeze
from places.models import LocalAuthority
from thrive_edi.roles import ROLE_DEFINITIONS, Role

AUTO_DATE_MODELS = (
    Assessment,
    *ASSESSMENT_ROW_MODELS,
    SectionProgress,
    ReviewComment,
    AssessmentEvent,
    Snapshot,
    Screening,
)


@contextmanager
def dates_as_given():
    """Let bulk inserts keep the dates given to auto_now/auto_now_add fields."""
    fields = [
        f
        for model in AUTO_DATE_MODELS
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def refresh_planner_statistics() -> None:
    """Vacuum and analyse the assessment tables, as autovacuum would in time.

    Right after bulk inserts PostgreSQL's row estimates are those of the tables before, so it
    plans queries over thousands of rows as if they were a few dozen; and until a vacuum marks
    the new pages all-visible, a scan of an index alone still reads the table.
    """
    if connection.vendor != "postgresql":
        return
    models = apps.get_app_config("assessments").get_models(include_auto_created=True)
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    # VACUUM cannot run inside a transaction; within one, the estimates are brought up to date.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {tables}")


REFUSED_MESSAGE = "The seeder is for benchmarks and demos: it runs only with DEBUG on, or with --force."


class Seeder(Planner):
    def __init__(self, *, password: str | None = None, out=None):
        self.out = out or (lambda message: None)
        self.now = timezone.now()
        version = FrameworkVersion.objects.current()
        if version is None:
            raise CommandError("There is no published framework version: run migrate first.")
        self.version = FrameworkVersion.objects.prefetch_related("scale_options", "levels").get(pk=version.pk)
        self.sections, self.questions_by_section = template_sections(self.version)
        self.characteristics = list(version_characteristics(self.version))
        self.principles = list(self.version.principles.order_by("order", "pk"))
        self.level_keys = [level.key for level in self.version.levels.all()]
        self.users = self._users(password)
        self.partners = self._partners()
        self.local_authorities = {a.name: a for a in LocalAuthority.objects.order_by("gss_code")}

    # People and partners -------------------------------------------------------------------

    def _users(self, password: str | None) -> dict[Role, list]:
        User = get_user_model()
        wanted = {Role.STAFF: 24, Role.APPROVER: 6, Role.BOARD: 6}
        hashed = make_password(password) if password else make_password(None)
        users: dict[Role, list] = {}
        for role, count in wanted.items():
            names = [f"{USER_PREFIX}{role.value}-{n:02d}" for n in range(1, count + 1)]
            existing = {u.username: u for u in User.objects.filter(username__in=names)}
            new = []
            for index, name in enumerate(names):
                if name not in existing:
                    new.append(
                        User(
                            username=name,
                            password=hashed,
                            first_name=FIRST_NAMES[(index * 7 + len(role.value)) % len(FIRST_NAMES)],
                            last_name=LAST_NAMES[(index * 3 + len(role.value)) % len(LAST_NAMES)],
                            email=f"{name}@thrive-edi.localhost",
                        )
                    )
            User.objects.bulk_create(new)
            group = Group.objects.get(name=ROLE_DEFINITIONS[role].group_name)
            group.user_set.add(*new)
            if password and existing:
                User.objects.filter(pk__in=[u.pk for u in existing.values()]).update(password=hashed)
            users[role] = list(User.objects.filter(username__in=names).order_by("username"))
        return users

    def _partners(self) -> list[Partner]:
        partners = []
        for name in PARTNERS:
            partner = Partner.objects.filter(name__iexact=name).first() or Partner.objects.create(name=name)
            partners.append(partner)
        return partners

    # Plans ----------------------------------------------------------------------------------

    @staticmethod
    def seeded() -> Assessment:
        return Assessment.objects.filter(owner__username__startswith=USER_PREFIX)

    def kinds_to_add(self, total: int) -> list[str]:
        """The kinds of the assessments that bring the seeded count to ``total`` (see ``add``)."""
        kinds, slot = [], self.seeded().count()
        while slot < total:
            kind = PATTERN[slot % len(PATTERN)] or SIGNED_OFF
            if kind == SUPERSEDED and slot + 1 >= total:
                kind = DRAFT
            kinds.append(kind)
            slot += 2 if kind == SUPERSEDED else 1
        return kinds

    # Writing ------------------------------------------------------------------------------------

    def add(self, kinds: list[str], *, action_count: int | None = None) -> list[Assessment]:
        """Create assessments of the given kinds, in batches, each batch one transaction.

        A ``SUPERSEDED`` kind makes two: the superseded version and the signed-off one that replaced it.
        """
        created = []
        start = self.seeded().count()
        for offset in range(0, len(kinds), BATCH):
            created += self._write_batch(start + len(created), kinds[offset : offset + BATCH], action_count)
        return created

    @transaction.atomic
    def _write_batch(self, start: int, kinds: list[str], action_count: int | None) -> list[Assessment]:
        plans, successors, index = [], [], start
        for status in kinds:
            plan = self._plan(index, status, _rng(index), action_count=action_count)
            plans.append(plan)
            index += 1
            if status == SUPERSEDED:
                rng = _rng(index)
                successors.append(
                    self._plan(index, SIGNED_OFF, rng, previous=plan, action_count=action_count)
                )
                index += 1
        for successor in successors:
            self._supersede(successor)
        all_plans = plans + successors
        self._references(all_plans)
        with dates_as_given():
            Assessment.objects.bulk_create([p.assessment for p in plans])
            for successor in successors:
                successor.assessment.previous = successor.previous.assessment
            Assessment.objects.bulk_create([p.assessment for p in successors])
            self._write_rows(all_plans)
        if any(p.assessment.status != DRAFT for p in all_plans):
            framework_version_freeze(version=self.version)
        return [p.assessment for p in all_plans]

    def _supersede(self, successor: Planned) -> None:
        """The older version: re-assessment started, then superseded at the new sign-off."""
        old, new = successor.previous, successor.assessment
        review = AssessmentEvent(
            assessment=old.assessment,
            kind=AssessmentEvent.Kind.REASSESSMENT_STARTED,
            actor=new.owner,
            at=new.created_at,
            note="Version 2 started.",
        )
        superseded = AssessmentEvent(
            assessment=old.assessment,
            kind=AssessmentEvent.Kind.SUPERSEDED,
            actor=new.signed_off_by,
            at=new.signed_off_at,
            note=f"Superseded by version {new.version_number}.",
        )
        old.events += [review, superseded]
        old.assessment.updated_at = new.signed_off_at

    def _references(self, plans: list[Planned]) -> None:
        by_year: dict[int, list[Planned]] = {}
        for plan in sorted(plans, key=lambda p: p.assessment.created_at):
            by_year.setdefault(timezone.localtime(plan.assessment.created_at).year, []).append(plan)
        for year, items in by_year.items():
            counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
            for offset, plan in enumerate(items, start=1):
                plan.assessment.reference = f"EIA-{year}-{counter.last_number + offset:04d}"
            counter.last_number += len(items)
            counter.save(update_fields=["last_number"])

    def _write_rows(self, plans: list[Planned]) -> None:
        for plan in plans:
            for row in (
                *plan.answers,
                *plan.ratings,
                *plan.intersectional,
                *plan.alignments,
                *plan.duties,
                *plan.participation,
                *plan.actions,
                *plan.progress,
                *plan.events,
                *([plan.screening] if plan.screening else []),
            ):
                row.assessment = plan.assessment  # now with its primary key
        Assessment.collaborators.through.objects.bulk_create(
            Assessment.collaborators.through(assessment=p.assessment, user=u)
            for p in plans
            for u in p.collaborators
        )
        Assessment.partners.through.objects.bulk_create(
            Assessment.partners.through(assessment=p.assessment, partner=x) for p in plans for x in p.partners
        )
        Assessment.local_authorities.through.objects.bulk_create(
            Assessment.local_authorities.through(assessment=p.assessment, localauthority=x)
            for p in plans
            for x in p.local_authorities
        )
        for name in (
            "answers",
            "ratings",
            "intersectional",
            "alignments",
            "duties",
            "participation",
            "actions",
        ):
            rows = [row for p in plans for row in getattr(p, name)]
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=2000)
        IntersectionalImpact.characteristics.through.objects.bulk_create(
            IntersectionalImpact.characteristics.through(intersectionalimpact=row, characteristic=c)
            for p in plans
            for row, chosen in p.intersectional_links
            for c in chosen
        )
        Action.characteristics.through.objects.bulk_create(
            Action.characteristics.through(action=action, characteristic=c)
            for p in plans
            for action, chosen, _ in p.action_links
            for c in chosen
        )
        Action.intersectional_impacts.through.objects.bulk_create(
            Action.intersectional_impacts.through(action=action, intersectionalimpact=i)
            for p in plans
            for action, _, combinations in p.action_links
            for i in combinations
        )
        Screening.objects.bulk_create([p.screening for p in plans if p.screening])
        Screening.groups.through.objects.bulk_create(
            Screening.groups.through(screening=p.screening, characteristic=c)
            for p in plans
            if p.screening
            for c in p.screening_groups
        )
        SectionProgress.objects.bulk_create([row for p in plans for row in p.progress], batch_size=2000)
        AssessmentEvent.objects.bulk_create([row for p in plans for row in p.events], batch_size=2000)
        parents = []
        for p in plans:
            for comment, _ in p.comments:
                comment.assessment = p.assessment
                parents.append(comment)
        ReviewComment.objects.bulk_create(parents)
        replies = []
        for p in plans:
            for comment, answers in p.comments:
                for reply in answers:
                    reply.assessment, reply.parent = p.assessment, comment
                    replies.append(reply)
        ReviewComment.objects.bulk_create(replies)
        self._history(plans)
        frozen = [p for p in plans if p.assessment.status in Assessment.FROZEN_STATUSES]
        prefetch_related_objects(
            [p.assessment for p in frozen], "collaborators", "partners", "local_authorities__ics"
        )
        for plan in frozen:
            if plan.screening:
                plan.assessment.screening = plan.screening  # what the snapshot's first section reads
        prefetch_related_objects([p.screening for p in frozen if p.screening], "groups")
        Snapshot.objects.bulk_create([self._snapshot(p) for p in frozen])

    def _history(self, plans: list[Planned]) -> None:
        for plan in plans:
            plan.assessment._history_user = plan.assessment.owner
            plan.assessment._history_date = plan.assessment.created_at
        Assessment.history.bulk_history_create([p.assessment for p in plans], batch_size=2000)
        for model in (*ASSESSMENT_ROW_MODELS, Screening):
            rows = [row for p in plans for row in self._rows_of(p, model)]
            for row in rows:
                row._history_user, row._history_date = row.updated_by, row.updated_at
            model.history.bulk_history_create(rows, batch_size=2000)

    @staticmethod
    def _rows_of(plan: Planned, model) -> list:
        return {
            Answer: plan.answers,
            ImpactRating: plan.ratings,
            IntersectionalImpact: plan.intersectional,
            PrincipleAlignment: plan.alignments,
            DutyContribution: plan.duties,
            ParticipationEntry: plan.participation,
            Action: plan.actions,
            Screening: [plan.screening] if plan.screening else [],
        }.get(model, [])  # the finer groups' rows (race by ethnic group) are left unmade: optional

    def _snapshot(self, plan: Planned) -> Snapshot:
        """The snapshot a real sign-off makes, built from the rows in memory."""
        assessment = plan.assessment
        # The links as ``assessment_content`` gives them to its rows.
        for row, chosen in plan.intersectional_links:
            row.characteristic_list = chosen
        for action, chosen, combinations in plan.action_links:
            action.characteristic_list, action.combination_list = chosen, combinations
        content = AssessmentContent(
            assessment,
            FrameworkTemplate(self.version, self.sections, self.questions_by_section),
            answers={answer.question_id: answer for answer in plan.answers},
            ratings=plan.ratings,
            intersectional=plan.intersectional,
            alignments=plan.alignments,
            duties=plan.duties,
            participation=plan.participation,
            actions=plan.actions,
            progress={p.section_id: p for p in plan.progress},
        )
        document = snapshot_document(
            content, signed_off_by=plan.signed_off_by, signed_off_at=assessment.signed_off_at
        )
        text = canonical_json(document)
        return Snapshot(
            assessment=assessment,
            document=text,
            sha256=fingerprint(text),
            created_at=assessment.signed_off_at,
        )

    # Entry points -------------------------------------------------------------------------------

    def seed(self, *, assessments: int, signed_off: int = 0) -> int:
        kinds = self.kinds_to_add(assessments)
        added = 0
        for offset in range(0, len(kinds), BATCH * 4):
            added += len(self.add(kinds[offset : offset + BATCH * 4]))
            self.out(f"  {self.seeded().count()} seeded assessments")
        missing = signed_off - Assessment.objects.filter(status=SIGNED_OFF).count()
        for offset in range(0, max(missing, 0), BATCH * 4):
            added += len(self.add([SIGNED_OFF] * min(BATCH * 4, missing - offset)))
            self.out(f"  {Assessment.objects.filter(status=SIGNED_OFF).count()} signed off")
        if added:
            refresh_planner_statistics()
            published_assessments_loaded.send(sender=Assessment)
        return added

    def full_assessment(self, *, actions: int = 30) -> Assessment:
        """A signed-off assessment with every section filled in and exactly ``actions`` actions."""
        (assessment,) = self.add([SIGNED_OFF], action_count=actions)
        published_assessments_loaded.send(sender=Assessment)
        return assessment


def seed_demo(
    *, assessments: int, signed_off: int = 0, password: str | None = None, force: bool = False, out=None
) -> int:
    """Seed up to ``assessments`` (then ``signed_off`` signed off); returns how many were added.

    Refused with ``DEBUG`` off unless ``force``: on a live database it would add made-up people.
    """
    if not settings.DEBUG and not force:
        raise CommandError(REFUSED_MESSAGE)
    return Seeder(password=password, out=out).seed(assessments=assessments, signed_off=signed_off)
