"""What the seeder makes: the kinds of assessments, their people, texts and rows, planned in
memory before ``bench.seed`` writes them with bulk inserts."""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from assessments.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    DutyAim,
    DutyContribution,
    ImpactRating,
    IntersectionalImpact,
    ParticipationEntry,
    PrincipleAlignment,
    ReviewComment,
    Screening,
    SectionProgress,
)
from assessments.models.screening import Reach
from frameworks.models import Question
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
from thrive_edi.roles import Role

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
# Screening came in a year before the seeder's "now": what was created since started with one.
SCREENED_FOR_DAYS = 365
WHO = [
    "Young Black men aged 16 to 25 and their families",
    "Older carers on low incomes and the groups that support them",
    "Refugees and asylum seekers, with interpreters for the main community languages",
    "Staff and volunteers of grassroots community groups",
]

# Fields the database would fill with "now"; seeded rows carry dates spread over years.


def _rng(index: int) -> random.Random:
    """The same data for the same slot, run after run (not for secrets)."""
    return random.Random(index * 7919 + 17)  # noqa: S311


@dataclass
class Planned:
    """One assessment to create, with all its rows, before and after the bulk inserts."""

    assessment: Assessment
    rng: random.Random
    reached: int  # how many sections have been worked on
    collaborators: list = field(default_factory=list)
    partners: list = field(default_factory=list)
    local_authorities: list = field(default_factory=list)
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
    screening: Screening | None = None
    screening_groups: list = field(default_factory=list)
    previous: "Planned | None" = None
    signed_off_by: object = None
    action_count: int | None = None  # exactly this many actions, or as the impacts need


class Planner:
    """Plans assessments in memory; ``Seeder`` supplies the version, its people and partners."""

    def _in_order(self, characteristics: list) -> list:
        """As the database lists them: protected characteristics first, in the version's order."""
        return sorted(characteristics, key=self.characteristics.index)

    def _plan_places(self, plan: Planned, index: int) -> None:
        """Where it takes place, from the index alone (the random sequence stays as it was): a
        re-assessment where its previous version did; one in six London-wide; otherwise the
        borough of its title, and every third one a second authority too."""
        if plan.previous:
            plan.assessment.london_wide = plan.previous.assessment.london_wide
            plan.local_authorities = list(plan.previous.local_authorities)
        elif index % 6 == 0:
            plan.assessment.london_wide = True
        else:
            borough = self.local_authorities[BOROUGHS[(index // len(TITLES)) % len(BOROUGHS)]]
            plan.local_authorities = [borough]
            if index % 3 == 1:
                others = [a for a in self.local_authorities.values() if a != borough]
                plan.local_authorities.append(others[index % len(others)])

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
        self._plan_places(plan, index)
        self._plan_content(plan)
        self._plan_life(plan)
        self._plan_screening(plan, index)
        return plan

    def _plan_screening(self, plan: Planned, index: int) -> None:
        """An assessment created since screening came in starts with one: it decided on a full
        assessment and was sent and confirmed before any section began. Its answers come from the
        index alone, so that the random sequence of everything else stays as it was."""
        assessment = plan.assessment
        if assessment.created_at < self.now - timedelta(days=SCREENED_FOR_DAYS):
            return
        owner, sent = assessment.owner, assessment.created_at - timedelta(days=2)
        involved = {owner.pk, *(c.pk for c in plan.collaborators)}
        approvers = [a for a in self.users[Role.APPROVER] if a.pk not in involved]
        assessment.screening_status = Assessment.Screening.CONFIRMED
        assessment.scope = Assessment.Scope.FULL
        plan.screening = Screening(
            who=WHO[index % len(WHO)],
            changes=True,
            changes_note=SENTENCES[index % len(SENTENCES)],
            reach=Reach.values[index % len(Reach.values)],
            crisis=index % 7 == 0,
            decision=Assessment.Scope.FULL,
            justification=SENTENCES[(index + 5) % len(SENTENCES)],
            updated_by=owner,
            updated_at=sent,
        )
        count = len(self.characteristics)
        plan.screening_groups = self._in_order(
            list({self.characteristics[(index + step * 5) % count]: None for step in range(1 + index % 4)})
        )
        plan.events += [
            AssessmentEvent(
                assessment=assessment, kind=AssessmentEvent.Kind.SCREENING_SENT, actor=owner, at=sent
            ),
            AssessmentEvent(
                assessment=assessment,
                kind=AssessmentEvent.Kind.SCREENING_CONFIRMED,
                actor=approvers[index % len(approvers)],
                at=sent + timedelta(days=1),
            ),
        ]

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
