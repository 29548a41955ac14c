"""Realistic assessments at scale, for benchmarks and demos.

Every status, full impact grids, intersectional impacts, principles, duties, participation,
actions, review comments, events, and sign-offs with their snapshots (canonical JSON and
SHA-256, made by the same code as a real sign-off), written with bulk inserts so that
thousands load in a minute or two:

    python manage.py seed_demo --assessments 5000 [--signed-off 10000] [--password ...]

Additive: ``--assessments N`` brings the number of seeded assessments (those owned by the
seeded ``seed-*`` users) up to N, so running it twice with the same N adds nothing, and a
larger N adds the difference. ``--signed-off M`` then adds signed-off assessments until M
are signed off. Seeded users get ``--password`` (one hash, set on all of them) or none.

It is for benchmarks and demos: it refuses to run with DEBUG off unless given ``--force``.
"""

import random
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from assessments.models import (
    ASSESSMENT_ROW_MODELS,
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    DutyAim,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    Partner,
    PrincipleAlignment,
    ReferenceCounter,
    ReviewComment,
    SectionProgress,
    Snapshot,
)
from assessments.selectors import (
    AssessmentContent,
    FrameworkTemplate,
    attach_prefetched,
    template_sections,
    version_characteristics,
)
from assessments.signals import published_assessments_loaded
from assessments.snapshots import canonical_json, fingerprint, snapshot_document
from frameworks.models import FrameworkVersion, Question
from frameworks.scales import (
    ActivityType,
    Decision,
    DutyContributionLevel,
    EvidenceConfidence,
    Impact,
    ParticipationLevel,
    PrincipleAlignmentLevel,
    StructuredPart,
)
from frameworks.services import framework_version_freeze
from thrive_edi.roles import ROLE_DEFINITIONS, Role

USER_PREFIX = "seed-"
BATCH = 250  # assessments per transaction

DRAFT, IN_REVIEW, CHANGES, SIGNED_OFF, SUPERSEDED, WITHDRAWN = (
    Assessment.Status.DRAFT,
    Assessment.Status.IN_REVIEW,
    Assessment.Status.CHANGES_REQUESTED,
    Assessment.Status.SIGNED_OFF,
    Assessment.Status.SUPERSEDED,
    Assessment.Status.WITHDRAWN,
)
# Twenty slots, repeated: 40% drafts, 10% in review, 10% changes requested, 20% signed off
# (half of them re-assessments), 10% superseded, 10% withdrawn. A superseded assessment
# takes two slots: itself and the signed-off version that replaced it.
PATTERN = [
    DRAFT, IN_REVIEW, DRAFT, CHANGES, SIGNED_OFF, DRAFT, WITHDRAWN, SUPERSEDED, None, DRAFT,
    DRAFT, IN_REVIEW, DRAFT, CHANGES, SIGNED_OFF, DRAFT, WITHDRAWN, SUPERSEDED, None, DRAFT,
]  # fmt: skip

FIRST_NAMES = [
    "Amina", "Kwame", "Siobhan", "Priya", "Tomasz", "Fatima", "Jamal", "Chloe", "Oluwaseun", "Mei",
    "Rahul", "Zainab", "Declan", "Ayesha", "Marek", "Nia", "Hassan", "Grace", "Sanjay", "Leila",
    "Bola", "Yusuf", "Ruth", "Kofi", "Nadia", "Connor", "Shirin", "Dev", "Esther", "Ibrahim",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Rahman", "Kowalski", "Adeyemi", "Patel", "Begum", "Murphy", "Chen", "Mensah", "Ali",
    "Nowak", "Campbell", "Hussain", "Osei", "Kaur", "Ahmed", "Walsh", "Nguyen", "Ibrahim", "Shah",
]  # fmt: skip
PARTNERS = [
    "Newham Community Barbers", "Stratford Faith Forum", "Citizens Advice London", "Mind in Tower Hamlets",
    "Southwark Refugee Network", "Hackney Young Futures", "Brent Carers Centre", "Lewisham Pride Collective",
    "Croydon Deaf Alliance", "Islington Age Action", "Haringey Somali Women's Group", "Ealing Sikh Welfare",
    "Lambeth Housing Outreach", "Camden Traveller Support", "Barking Recovery Cafe", "Greenwich Veterans Hub",
    "Enfield Digital Inclusion", "Westminster Night Shelter", "Tottenham Youth Voice", "Peckham Sound Minds",
]  # fmt: skip
TITLES = [
    "Peer support for young men in {borough}", "Cost-of-living and mental health campaign, {borough}",
    "Suicide prevention training for faith leaders in {borough}", "Grants for grassroots groups in {borough}",
    "Winter outreach for people sleeping rough, {borough}", "Digital inclusion for older people, {borough}",
    "School wellbeing ambassadors in {borough}", "Carers' respite and listening service in {borough}",
    "Workplace wellbeing charter for small firms in {borough}", "Perinatal mental health drop-ins, {borough}",
    "Refugee and migrant wellbeing cafe in {borough}", "Anti-racism training for NHS partners in {borough}",
]  # fmt: skip
BOROUGHS = [
    "Newham", "Hackney", "Tower Hamlets", "Southwark", "Lambeth", "Brent", "Croydon", "Lewisham",
    "Haringey", "Ealing", "Camden", "Islington", "Enfield", "Greenwich", "Barking and Dagenham",
]  # fmt: skip
SENTENCES = [
    "Borough JSNA data, split by ethnicity, age and deprivation, shows lower uptake among this group.",
    "Three listening events with community partners raised the cost of travel and the timing of sessions.",
    "Service records for the last two years show referrals fall sharply outside the north of the borough.",
    "Partners told us that people are more likely to attend sessions run in trusted community spaces.",
    "National surveys suggest higher rates of distress, but local data is thin and not broken down by group.",
    "The steering group includes people with lived experience, paid for their time at the Living Wage.",
    "Interpreters will be booked for Bengali, Somali, Polish and Arabic, and materials offered in Easy Read.",
    "Venues are step-free, with a quiet room, and sessions avoid school pick-up times and prayer times.",
    "Outcomes will be reported each quarter, split by ethnicity, age, sex, disability and deprivation.",
    "A small grants pot lets grassroots groups apply with a short conversation instead of a written form.",
    "Staff will complete training on cultural competence and trauma-informed practice before launch.",
    "Feedback from the first cohort will shape the second, and changes will be published in plain English.",
    "There is a risk that people without internet access miss out, so paper and phone routes stay open.",
    "The evaluation partner will use mixed methods, with community researchers leading the interviews.",
    "Referral routes from GPs, schools, faith settings and voluntary groups will all be accepted.",
]  # fmt: skip

IMPACT_WEIGHTS = [
    (Impact.SIGNIFICANT_POSITIVE, 2),
    (Impact.POSITIVE, 6),
    (Impact.NEUTRAL, 8),
    (Impact.NEGATIVE, 1),
    (Impact.SIGNIFICANT_NEGATIVE, 0.3),
    (Impact.UNKNOWN, 1),
]
NEEDS_ACTION = {Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE, Impact.UNKNOWN}

# Fields the database would fill with "now"; seeded rows carry dates spread over years.
AUTO_DATE_MODELS = (
    Assessment,
    *ASSESSMENT_ROW_MODELS,
    SectionProgress,
    ReviewComment,
    AssessmentEvent,
    Snapshot,
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


def _rng(index: int) -> random.Random:
    """The same data for the same slot, run after run (not for secrets)."""
    return random.Random(index * 7919 + 17)  # noqa: S311


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


@dataclass
class Planned:
    """One assessment to create, with all its rows, before and after the bulk inserts."""

    assessment: Assessment
    rng: random.Random
    reached: int  # how many sections have been worked on
    collaborators: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    intersectional: list = field(default_factory=list)
    intersectional_links: list = field(default_factory=list)  # (row, [characteristics])
    alignments: list = field(default_factory=list)
    duties: list = field(default_factory=list)
    participation: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    action_links: list = field(default_factory=list)  # (action, [characteristics], [combinations])
    progress: list = field(default_factory=list)
    comments: list = field(default_factory=list)  # (comment, [replies])
    events: list = field(default_factory=list)
    previous: "Planned | None" = None
    signed_off_by: object = None
    action_count: int | None = None  # exactly this many actions, or as the impacts need


class Seeder:
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

    def _in_order(self, characteristics: list) -> list:
        """As the database lists them: protected characteristics first, in the version's order."""
        return sorted(characteristics, key=self.characteristics.index)

    def _text(self, rng: random.Random, sentences: int = 3) -> str:
        return " ".join(rng.sample(SENTENCES, sentences))

    def _plan(
        self,
        index: int,
        status: str,
        rng: random.Random,
        previous: Planned | None = None,
        action_count: int | None = None,
    ) -> Planned:
        staff = self.users[Role.STAFF] + self.users[Role.APPROVER][:2]
        owner = previous.assessment.owner if previous else staff[index % len(staff)]
        complete = status not in (DRAFT, WITHDRAWN)
        if previous:
            created = previous.assessment.signed_off_at + timedelta(days=rng.randint(200, 330))
        elif status == DRAFT:
            created = self.now - timedelta(days=rng.randint(1, 150), minutes=rng.randint(0, 1440))
        elif status in (IN_REVIEW, CHANGES):
            created = self.now - timedelta(days=rng.randint(45, 150), minutes=rng.randint(0, 1440))
        elif status == SUPERSEDED:
            created = self.now - timedelta(days=rng.randint(800, 1400))
        else:
            created = self.now - timedelta(days=rng.randint(60, 1400), minutes=rng.randint(0, 1440))
        created = min(created, self.now - timedelta(days=40))
        title = (
            previous.assessment.title
            if previous
            else TITLES[index % len(TITLES)].format(borough=BOROUGHS[(index // len(TITLES)) % len(BOROUGHS)])
        )
        assessment = Assessment(
            title=title,
            activity_type=ActivityType.values[index % len(ActivityType.values)],
            summary=self._text(rng, 2),
            owner=owner,
            framework_version=self.version,
            status=status,
            version_number=previous.assessment.version_number + 1 if previous else 1,
            previous=previous.assessment if previous else None,
            created_at=created,
            updated_at=created,
        )
        reached = len(self.sections) if complete else rng.randint(0, len(self.sections) - 1)
        plan = Planned(assessment, rng, reached, previous=previous, action_count=action_count)
        others = [person for person in staff if person.pk != owner.pk]
        plan.collaborators = rng.sample(others, rng.choice([0, 0, 1, 1, 2]))
        plan.partners = rng.sample(self.partners, rng.choice([0, 1, 1, 2, 3]))
        self._plan_content(plan)
        self._plan_life(plan)
        return plan

    def _plan_content(self, plan: Planned) -> None:
        rng, assessment = plan.rng, plan.assessment
        owner, when = assessment.owner, assessment.created_at
        reached_sections = self.sections[: plan.reached]
        reached = {section.structured for section in reached_sections}

        def stamp(row):
            row.assessment, row.updated_by, row.updated_at = assessment, owner, when
            return row

        review_date = None
        for section in reached_sections:
            for question in self.questions_by_section.get(section.pk, []):
                value = self._answer(question, rng, when)
                if question.key == "review_date":
                    review_date = value
                if question.key == "decision":
                    assessment.decision = value
                plan.answers.append(stamp(Answer(question=question, value=value)))
        if review_date:
            assessment.review_date = datetime.fromisoformat(review_date).date()

        grid = StructuredPart.IMPACT_GRID in reached
        needing_action = []
        for characteristic in self.characteristics:
            rating = stamp(ImpactRating(characteristic=characteristic))
            if grid:
                impact = rng.choices([i for i, _ in IMPACT_WEIGHTS], [w for _, w in IMPACT_WEIGHTS])[0]
                gap = rng.random() < 0.25
                rating.impact = impact
                rating.evidence = self._text(rng, 2)
                rating.confidence = (
                    EvidenceConfidence.LOW
                    if impact == Impact.UNKNOWN
                    else rng.choice(EvidenceConfidence.values[:3])
                )
                rating.data_gap = gap
                rating.data_gap_note = self._text(rng, 1) if gap else ""
                if impact in (Impact.NEGATIVE, Impact.SIGNIFICANT_NEGATIVE):
                    rating.mitigation = self._text(rng, 2)
                if impact == Impact.SIGNIFICANT_NEGATIVE:
                    rating.justification = self._text(rng, 1)
                if impact in NEEDS_ACTION:
                    needing_action.append(characteristic)
            plan.ratings.append(rating)

        negative_combinations = []
        if StructuredPart.INTERSECTIONAL_IMPACTS in reached:
            for _ in range(rng.choice([1, 1, 2])):
                impact = rng.choice([Impact.POSITIVE, Impact.NEGATIVE, Impact.NEUTRAL])
                row = stamp(
                    IntersectionalImpact(
                        description=rng.choice(
                            [
                                "Young Black disabled men",
                                "Older carers on low incomes",
                                "Muslim women with SMI",
                            ]
                        ),
                        impact=impact,
                        evidence=self._text(rng, 2),
                    )
                )
                plan.intersectional.append(row)
                plan.intersectional_links.append(
                    (row, self._in_order(rng.sample(self.characteristics, rng.choice([2, 2, 3]))))
                )
                if impact in NEEDS_ACTION:
                    negative_combinations.append(row)

        filled = StructuredPart.PRINCIPLE_ALIGNMENT in reached
        for principle in self.principles:
            plan.alignments.append(
                stamp(
                    PrincipleAlignment(
                        principle=principle,
                        alignment=rng.choice(PrincipleAlignmentLevel.values[1:]) if filled else "",
                        narrative=self._text(rng, 2) if filled else "",
                    )
                )
            )
        filled = StructuredPart.DUTY_CONTRIBUTIONS in reached
        for aim in DutyAim.values:
            plan.duties.append(
                stamp(
                    DutyContribution(
                        aim=aim,
                        contribution=rng.choice(DutyContributionLevel.values[:2]) if filled else "",
                        narrative=self._text(rng, 1) if filled else "",
                    )
                )
            )
        if StructuredPart.PARTICIPATION_LOG in reached:
            for _ in range(rng.choice([1, 2, 2, 3])):
                plan.participation.append(
                    stamp(
                        ParticipationEntry(
                            who=rng.choice(
                                ["Community panel", "Young people's advisory group", "Carers' forum"]
                            ),
                            how=rng.choice(["Design workshops", "Listening events", "Grant decisions"]),
                            when=(when - timedelta(days=rng.randint(5, 90))).date(),
                            level=rng.choice(ParticipationLevel.values[2:]),
                            paid=rng.random() < 0.7,
                            what_changed=self._text(rng, 1),
                        )
                    )
                )
        if StructuredPart.ACTION_PLAN in reached:
            people = [owner, *plan.collaborators]
            links = [([c], []) for c in needing_action] + [([], [i]) for i in negative_combinations]
            extra = (
                rng.choice([1, 2]) if plan.action_count is None else max(plan.action_count - len(links), 0)
            )
            links += [([rng.choice(self.characteristics)], []) for _ in range(extra)]
            if plan.action_count is not None:
                links = links[: plan.action_count]
            for characteristics, combinations in links:
                action = stamp(
                    Action(
                        issue=self._text(rng, 1),
                        action=self._text(rng, 2),
                        principle=rng.choice([None, *self.principles]),
                        owner=rng.choice(people),
                        due_date=(when + timedelta(days=rng.randint(30, 400))).date(),
                        measure=self._text(rng, 1),
                        status=Action.Status.OPEN,
                    )
                )
                plan.actions.append(action)
                plan.action_links.append((action, characteristics, combinations))
        for section in reached_sections:
            done = assessment.status not in (DRAFT, WITHDRAWN) or rng.random() < 0.6
            plan.progress.append(
                SectionProgress(
                    assessment=assessment,
                    section=section,
                    status=SectionProgress.Status.COMPLETED if done else SectionProgress.Status.IN_PROGRESS,
                    revision=rng.randint(1, 4),
                    updated_by=owner,
                    updated_at=when,
                )
            )

    def _answer(self, question: Question, rng: random.Random, when):
        if question.key == "review_date":
            return (when + timedelta(days=rng.randint(300, 720))).date().isoformat()
        if question.key == "rapid":
            return False
        if question.key == "decision":
            return rng.choice([Decision.NO_MAJOR_CHANGE, Decision.ADJUST, Decision.ADJUST]).value
        if question.type == Question.Type.YES_NO:
            return rng.random() < 0.5
        if question.type == Question.Type.DATE:
            return (when + timedelta(days=rng.randint(10, 200))).date().isoformat()
        if question.type == Question.Type.MULTIPLE_CHOICE:
            keys = (
                self.level_keys if question.options_from == Question.OptionsFrom.LEVELS else question.options
            )
            return rng.sample(keys, rng.randint(1, len(keys)))
        if question.type == Question.Type.CHOICE:
            return rng.choice(question.options or self.level_keys)
        if question.type == Question.Type.SHORT_TEXT:
            return rng.choice(SENTENCES)
        return self._text(rng, rng.randint(2, 4))

    def _plan_life(self, plan: Planned) -> None:
        """Submission, review comments, requests for changes, sign-off, withdrawal, dates."""
        assessment, rng = plan.assessment, plan.rng
        owner, status = assessment.owner, assessment.status
        involved = {owner.pk, *(c.pk for c in plan.collaborators)}
        approvers = [a for a in self.users[Role.APPROVER] if a.pk not in involved]
        approver = approvers[rng.randrange(len(approvers))]
        moment = assessment.created_at

        def later(low: int, high: int):
            nonlocal moment
            moment = min(
                moment + timedelta(days=rng.randint(low, high), minutes=rng.randint(1, 600)), self.now
            )
            return moment

        def event(kind, actor, note=""):
            plan.events.append(
                AssessmentEvent(assessment=assessment, kind=kind, actor=actor, at=moment, note=note)
            )

        if status == WITHDRAWN:
            later(5, 30)
            event(AssessmentEvent.Kind.WITHDRAWN, owner, "The programme was not funded this year.")
        if status in (IN_REVIEW, CHANGES, SIGNED_OFF, SUPERSEDED):
            assessment.submitted_at = later(10, 25)
            event(AssessmentEvent.Kind.SUBMITTED, owner)
            section = rng.choice(self.sections)
            comment = ReviewComment(
                assessment=assessment,
                section=section,
                author=approver,
                text="Which listening events informed this? Please name them and say who took part.",
                created_at=later(1, 3),
            )
            replies = []
            if status != IN_REVIEW:
                replies.append(
                    ReviewComment(
                        assessment=assessment,
                        section=section,
                        author=owner,
                        text="Added: the three March events, with the community panel and two faith groups.",
                        created_at=later(1, 4),
                    )
                )
            plan.comments.append((comment, replies))
            if status == CHANGES:
                event(
                    AssessmentEvent.Kind.CHANGES_REQUESTED,
                    approver,
                    "Name the listening events in the evidence.",
                )
        if status in (SIGNED_OFF, SUPERSEDED):
            assessment.signed_off_at = later(2, 15)
            assessment.signed_off_by = plan.signed_off_by = approver
            comment.resolved_at, comment.resolved_by = moment, approver
            event(AssessmentEvent.Kind.SIGNED_OFF, approver)
            for action in plan.actions:
                action.status = rng.choice(Action.Status.values)
        assessment.updated_at = moment

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
        Snapshot.objects.bulk_create(
            [self._snapshot(p) for p in plans if p.assessment.status in Assessment.FROZEN_STATUSES]
        )

    def _history(self, plans: list[Planned]) -> None:
        for plan in plans:
            plan.assessment._history_user = plan.assessment.owner
            plan.assessment._history_date = plan.assessment.created_at
        Assessment.history.bulk_history_create([p.assessment for p in plans], batch_size=2000)
        for model in ASSESSMENT_ROW_MODELS:
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
        }[model]

    def _snapshot(self, plan: Planned) -> Snapshot:
        """The snapshot a real sign-off makes, built from the rows in memory (no queries)."""
        assessment = plan.assessment
        attach_prefetched(assessment, "collaborators", plan.collaborators)
        attach_prefetched(assessment, "partners", plan.partners)
        for row, chosen in plan.intersectional_links:
            attach_prefetched(row, "characteristics", chosen)
        for action, chosen, combinations in plan.action_links:
            attach_prefetched(action, "characteristics", chosen)
            attach_prefetched(action, "intersectional_impacts", combinations)
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


class Command(BaseCommand):
    help = (
        "Seed realistic assessments at scale for benchmarks and demos (every status, full rows, "
        "snapshots). Additive. Refused with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--assessments", type=int, default=200, help="Seeded assessments to have in all.")
        parser.add_argument(
            "--signed-off", type=int, default=0, help="Then add signed-off ones up to this many."
        )
        parser.add_argument("--password", default=None, help="Password of the seeded users (default: none).")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, assessments, signed_off, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo is for benchmarks and demos: it runs only with DEBUG on, or with --force."
            )
        started = time.monotonic()
        seeder = Seeder(password=password, out=self.stdout.write)
        added = seeder.seed(assessments=assessments, signed_off=signed_off)
        counts = dict(Assessment.objects.order_by().values_list("status").annotate(n=Count("pk")))
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {added} assessments in {time.monotonic() - started:.1f} s; "
                + ", ".join(f"{status}: {counts.get(status, 0)}" for status in Assessment.Status.values)
            )
        )
