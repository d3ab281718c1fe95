"""Demo data of the governance and the concertation, after the seeds of 20 October 2023 (Pays de la Loire) and
« Organisation et déroulement de la concertation».

Pays de la Loire: the regional COPIL of State services (2 to 3 a year), a follow-up committee per axis in each
département (44, 49, 53, 72, 85), the regional conference of actors of 7 November 2023 in Angers (200
participants, 10 kiosks, 20 workshops), the three regional working groups (transition écologique et solidaire;
précarité en milieu rural; accès aux droits) and the GT « Pauvreté » of the observation platform; nationally the
Conférence permanente des solidarités and the concertation committee with its thematic and transverse meetings.
Past meetings have attendance, minutes and decisions (some done, some late); upcoming meetings are planned
from the day of the first load. The concertation has stakeholders of every family, a few contributions and a
synthesis.

The people, the minutes, the decisions, the stakeholders and the contributions are fictitious (`is_demo`, shown
as "donnée fictive"); the dates of the seeds are real. Loaded after the accounts demo, in demo mode only.
Repeatable: a row that exists under its natural key (instance name + territory, meeting title in its instance,
decision number in its meeting, stakeholder name, contribution title) is left as it is, with what demo users
changed since.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from pacte.accounts.models import Organisation, User
from pacte.core.counts import describe_counts
from pacte.demo.accounts import PDL_DEPARTEMENTS
from pacte.governance import services
from pacte.governance.enums import (
    Attendance,
    CommitteeKind,
    ContributionStatus,
    DecisionStatus,
    DocumentKind,
    MeetingStatus,
    MemberCategory,
    MemberRole,
    MinutesStatus,
    StakeholderCategory,
)
from pacte.governance.models import (
    Committee,
    ConcertationTheme,
    Contribution,
    Decision,
    Meeting,
    Member,
    Minutes,
    Stakeholder,
    ThemeSynthesis,
)
from pacte.programme.models import Axis
from pacte.territories.enums import Level
from pacte.territories.models import Territory


@dataclass
class GovernanceDemoReport:
    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)

    LABELS = (
        ("instances", "instance", "instances"),
        ("membres", "membre", "membres"),
        ("reunions", "réunion", "réunions"),
        ("decisions", "décision", "décisions"),
        ("comptes_rendus", "compte rendu", "comptes rendus"),
        ("documents", "document", "documents"),
        ("parties_prenantes", "partie prenante", "parties prenantes"),
        ("contributions", "contribution", "contributions"),
        ("syntheses", "synthèse", "synthèses"),
    )

    def _describe(self, counts: Counter) -> str:
        return describe_counts(counts, self.LABELS)

    def summary(self) -> str:
        lines = []
        if self.created:
            lines.append(
                f"Gouvernance et concertation de démonstration chargées (données fictives) : {self._describe(self.created)}."
            )
        if self.kept:
            lines.append(f"Données déjà présentes, laissées telles quelles : {self._describe(self.kept)}.")
        return "\n".join(lines) or "Aucune donnée de gouvernance à charger."


def _territory(level: str, code: str) -> Territory:
    territory = Territory.objects.filter(level=level, code=code).first()
    if territory is None:
        raise ImproperlyConfigured(
            f"Le territoire {level} {code} est absent : chargez d'abord le COG (pacte load_cog)."
        )
    return territory


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise ImproperlyConfigured(
            f"Le compte de démonstration « {username} » est absent : chargez d'abord les comptes de démonstration "
            "(pacte load_demo)."
        )
    return user


def _organisation(name: str) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        raise ImproperlyConfigured(
            f"L'organisation « {name} » est absente : chargez d'abord les comptes de démonstration (pacte load_demo)."
        )
    return organisation


def _at(day: date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), timezone.get_current_timezone())


class _Loader:
    def __init__(self, report: GovernanceDemoReport, today: date):
        self.report = report
        self.today = today

    def committee(self, name: str, territory, **fields) -> tuple[Committee, bool]:
        committee = Committee.objects.filter(name=name, territory=territory).first()
        if committee is not None:
            self.report.kept["instances"] += 1
            return committee, False
        committee = services.create_committee(name=name, territory=territory, **fields)
        Committee.objects.filter(pk=committee.pk).update(is_demo=True)
        self.report.created["instances"] += 1
        return committee, True

    def member(self, committee: Committee, category: str, *, role=MemberRole.MEMBER, **fields) -> Member:
        key = {
            k: fields[k]
            for k in ("user", "organisation", "person_name", "organisation_name")
            if fields.get(k)
        }
        member = committee.members.filter(**key).first()
        if member is not None:
            self.report.kept["membres"] += 1
            return member
        member = services.save_member(
            committee, category=category, role=role, start_date=date(2023, 9, 1), **fields
        )
        Member.objects.filter(pk=member.pk).update(is_demo=True)
        self.report.created["membres"] += 1
        return member

    def meeting(
        self,
        committee: Committee,
        title: str,
        starts_at,
        ends_at,
        *,
        agenda=(),
        present=None,
        minutes: str = "",
        decisions=(),
        **fields,
    ) -> Meeting:
        meeting = committee.meetings.filter(title=title).first()
        if meeting is not None:
            self.report.kept["reunions"] += 1
            return meeting
        meeting = services.create_meeting(
            committee, title=title, starts_at=starts_at, ends_at=ends_at, agenda=list(agenda), **fields
        )
        Meeting.objects.filter(pk=meeting.pk).update(is_demo=True)
        self.report.created["reunions"] += 1
        if meeting.ends_at < timezone.now():
            self._held(meeting, present, minutes)
        for number, spec in enumerate(decisions, start=1):
            self.decision(meeting, number, **spec)
        return meeting

    def _held(self, meeting: Meeting, present, minutes: str) -> None:
        attendances = list(meeting.attendances.select_related("member"))
        statuses = {}
        for index, attendance in enumerate(attendances):
            if present is None or index < present:
                statuses[attendance.pk] = Attendance.PRESENT
            else:
                statuses[attendance.pk] = Attendance.EXCUSED if index % 2 else Attendance.ABSENT
        services.record_attendance(meeting, statuses)
        Meeting.objects.filter(pk=meeting.pk).update(
            status=MeetingStatus.HELD,
            invitations_sent_at=meeting.starts_at - datetime.timedelta(days=21),
            invitations_count=len(attendances),
            invitations_sequence=meeting.sequence,
        )
        if minutes:
            secretary = meeting.committee.secretariat
            writer = User.objects.filter(organisation=secretary).first() if secretary else None
            Minutes.objects.create(
                meeting=meeting,
                text=minutes,
                status=MinutesStatus.VALIDATED,
                written_by=writer,
                validated_by=writer,
                validated_at=meeting.ends_at + datetime.timedelta(days=10),
            )
            self.report.created["comptes_rendus"] += 1

    def decision(
        self,
        meeting: Meeting,
        number: int,
        *,
        text: str,
        due: date | None,
        status: str,
        owner=None,
        organisation=None,
        follow_up: str = "",
    ) -> None:
        if Decision.objects.filter(meeting=meeting, number=number).exists():
            self.report.kept["decisions"] += 1
            return
        decision = services.add_decision(
            meeting,
            text=text,
            owner_member=owner,
            owner_organisation=organisation,
            due_date=due,
            status=status,
        )
        closed = (
            min(due, self.today)
            if due and status not in (DecisionStatus.TODO, DecisionStatus.IN_PROGRESS)
            else None
        )
        Decision.objects.filter(pk=decision.pk).update(is_demo=True, follow_up=follow_up, closed_on=closed)
        self.report.created["decisions"] += 1

    def extract(self, meeting: Meeting, kind: str, territory=None) -> None:
        if meeting.documents.filter(kind=kind, territory=territory).exists():
            self.report.kept["documents"] += 1
            return
        services.attach_extract(meeting, kind=kind, territory=territory, by=None)
        self.report.created["documents"] += 1


COPIL_MINUTES = (
    "Le commissaire à la lutte contre la pauvreté ouvre la séance. Tour d'horizon des interventions des services "
    "de l'État (DREETS, DDETS, ARS, rectorat, DRAAF) dans le champ de la lutte contre la pauvreté. Point sur les "
    "pactes locaux des solidarités des cinq départements et de Nantes Métropole. Les services conviennent de "
    "partager leurs indicateurs de suivi avant le prochain COPIL. (Compte rendu fictif de démonstration.)"
)


def _load_regional(loader: _Loader, region, departements) -> None:
    prefecture = _organisation("Préfecture de la région Pays de la Loire")
    association = _organisation("Entraide Ligérienne (association fictive)")
    commissioner = _user("commissaire-pdl")
    today = loader.today

    copil, _ = loader.committee(
        "COPIL régional du Pacte des solidarités – Pays de la Loire",
        region,
        kind=CommitteeKind.REGIONAL_COPIL,
        description="Coordination des services de l'État : un temps de partage et de bilan des travaux régionaux pour "
        "sortir des silos ; un pilotage partagé et collectif des interventions de lutte contre la pauvreté.",
        meetings_per_year_min=2,
        meetings_per_year_max=3,
        secretariat=prefecture,
        is_public=False,
    )
    chair = loader.member(
        copil,
        MemberCategory.STATE_SERVICES,
        role=MemberRole.CHAIR,
        user=commissioner,
        function="Commissaire à la lutte contre la pauvreté",
    )
    ddets_members = {
        code: loader.member(
            copil, MemberCategory.STATE_SERVICES, user=_user(f"ddets{code}"), function=f"DDETS {name}"
        )
        for code, name in PDL_DEPARTEMENTS.items()
    }
    loader.member(
        copil,
        MemberCategory.STATE_SERVICES,
        organisation_name="DREETS Pays de la Loire",
        person_name="Agnès Rivière (fictive)",
        email="dreets@demo.pacte.invalid",
    )
    loader.member(
        copil,
        MemberCategory.STATE_SERVICES,
        organisation_name="ARS Pays de la Loire",
        person_name="Yann Le Goff (fictif)",
        email="ars@demo.pacte.invalid",
    )
    loader.member(
        copil,
        MemberCategory.STATE_OPERATORS,
        organisation_name="France Travail Pays de la Loire",
        person_name="Céline Morin (fictive)",
        email="francetravail@demo.pacte.invalid",
    )
    first = loader.meeting(
        copil,
        "COPIL régional – décembre 2023",
        _at(date(2023, 12, 12), 10),
        _at(date(2023, 12, 12), 12, 30),
        place="Préfecture de région, Nantes",
        agenda=[
            "Bilan de la conférence régionale du 7 novembre",
            "Feuille de route des groupes de travail",
            "Calendrier 2024",
        ],
        present=6,
        minutes=COPIL_MINUTES,
        decisions=[
            {
                "text": "Installer les trois groupes de travail régionaux.",
                "due": date(2024, 2, 29),
                "status": DecisionStatus.DONE,
                "owner": chair,
            },
            {
                "text": "Partager un tableau de bord commun des indicateurs de pauvreté par département.",
                "due": date(2024, 6, 1),
                "status": DecisionStatus.IN_PROGRESS,
                "owner": ddets_members["44"],
                "follow_up": "Maquette présentée ; données CAF en attente.",
            },
        ],
    )
    second = loader.meeting(
        copil,
        "COPIL régional – juin 2024",
        _at(date(2024, 6, 18), 14),
        _at(date(2024, 6, 18), 16, 30),
        place="Préfecture de région, Nantes",
        agenda=[
            "Point d'étape des pactes locaux 2024-2027",
            "Travaux des groupes de travail",
            "Baromètre du Pacte",
        ],
        present=5,
        minutes=COPIL_MINUTES,
        decisions=[
            {
                "text": "Recenser les démarches « Territoires zéro non recours » dans les cinq départements.",
                "due": date(2024, 10, 31),
                "status": DecisionStatus.TODO,
                "owner": ddets_members["49"],
            },
            {
                "text": "Présenter le baromètre régional au prochain COPIL.",
                "due": date(2024, 12, 1),
                "status": DecisionStatus.DONE,
                "owner": chair,
            },
        ],
    )
    loader.extract(second, DocumentKind.BAROMETER)
    loader.meeting(
        copil,
        "COPIL régional – décembre 2024",
        _at(date(2024, 12, 10), 10),
        _at(date(2024, 12, 10), 12, 30),
        place="Visioconférence",
        visio_url="https://webconf.demo.pacte.invalid/copil-pdl",
        agenda=["Bilan 2024 des pactes locaux", "Préparation de l'évaluation à mi-parcours (30 juin 2026)"],
        present=4,
        minutes=COPIL_MINUTES,
        decisions=[
            {
                "text": "Préparer avec chaque DDETS le calendrier de l'évaluation à mi-parcours.",
                "due": date(2025, 9, 30),
                "status": DecisionStatus.IN_PROGRESS,
                "organisation": prefecture,
            },
        ],
    )
    upcoming = today + datetime.timedelta(days=21)
    loader.meeting(
        copil,
        "COPIL régional – prochaine séance",
        _at(upcoming, 10),
        _at(upcoming, 12, 30),
        place="Préfecture de région, Nantes",
        agenda=[
            "Suivi des décisions",
            "Résultats de l'évaluation à mi-parcours",
            "Feuille de route régionale",
        ],
    )
    del first

    # Follow-up committee per axis in each département (October-November 2023, seed of 20 October 2023).
    axes = list(Axis.objects.order_by("number"))
    for code, name in PDL_DEPARTEMENTS.items():
        departement = departements[code]
        ddets = _organisation(f"DDETS {name}")
        for axis in axes:
            committee, _ = loader.committee(
                f"Comité de suivi – axe {axis.number} – {name}",
                departement,
                kind=CommitteeKind.AXIS_COMMITTEE,
                axis=axis,
                description=f"Suivi de l'axe {axis.number} du Pacte dans le département : {axis.title}.",
                meetings_per_year_min=1,
                meetings_per_year_max=2,
                secretariat=ddets,
                is_public=True,
            )
            loader.member(
                committee,
                MemberCategory.STATE_SERVICES,
                role=MemberRole.SECRETARIAT,
                user=_user(f"ddets{code}"),
            )
            council_member = loader.member(
                committee, MemberCategory.LOCAL_AUTHORITIES, user=_user(f"cd{code}")
            )
            if code == "44":
                loader.member(committee, MemberCategory.ASSOCIATIONS, user=_user("association"))
            loader.member(
                committee,
                MemberCategory.SOCIAL_SECURITY,
                organisation_name=f"CAF {name}",
                person_name="Référent CAF (fictif)",
                email=f"caf{code}@demo.pacte.invalid",
            )
            day = date(2023, 10, 16) + datetime.timedelta(days=int(code) % 20 + axis.number)
            meeting = loader.meeting(
                committee,
                f"Comité de suivi de l'axe {axis.number} – {name} – {day:%B %Y}",
                _at(day, 9, 30),
                _at(day, 12),
                place=f"DDETS {name}",
                agenda=[
                    "Diagnostic territorial",
                    f"Actions de l'axe {axis.number} à contractualiser",
                    "Calendrier de négociation",
                ],
                minutes="Présentation du diagnostic territorial et des pistes d'actions à contractualiser. (Compte rendu fictif de démonstration.)",
                decisions=[
                    {
                        "text": f"Proposer les fiches-actions de l'axe {axis.number} au conseil départemental.",
                        "due": date(2023, 12, 15),
                        "status": DecisionStatus.DONE,
                        "owner": council_member,
                    },
                ],
            )
            if code == "44" and axis.number == 3:
                loader.extract(meeting, DocumentKind.DIAGNOSTIC, departement)
                later = today + datetime.timedelta(days=35)
                loader.meeting(
                    committee,
                    "Comité de suivi de l'axe 3 – Loire-Atlantique – bilan annuel",
                    _at(later, 14),
                    _at(later, 16, 30),
                    place="DDETS Loire-Atlantique, Nantes",
                    agenda=[
                        "Suivi des décisions",
                        "Accès aux droits : premiers résultats du territoire zéro non-recours",
                    ],
                )
                loader.decision(
                    meeting,
                    2,
                    text="Organiser une rencontre des accueils sociaux du pays de Châteaubriant.",
                    due=today - datetime.timedelta(days=45),
                    status=DecisionStatus.TODO,
                    owner=council_member,
                )

    # Regional conference of actors, 7 November 2023 in Angers.
    conference, _ = loader.committee(
        "Conférence régionale des acteurs du Pacte des solidarités – Pays de la Loire",
        region,
        kind=CommitteeKind.REGIONAL_CONFERENCE,
        description="La participation des parties prenantes : présenter le Panorama régional des pauvretés de "
        "l'INSEE, partager les travaux sur les pactes locaux des solidarités, alimenter la feuille de route "
        "régionale avec l'ensemble des acteurs de la lutte contre la pauvreté.",
        meetings_per_year_min=1,
        meetings_per_year_max=1,
        secretariat=prefecture,
        is_public=True,
    )
    loader.member(conference, MemberCategory.STATE_SERVICES, role=MemberRole.CHAIR, user=commissioner)
    loader.member(
        conference, MemberCategory.ASSOCIATIONS, organisation=association, person_name="Léa Fontaine"
    )
    loader.member(
        conference,
        MemberCategory.LIVED_EXPERIENCE,
        organisation_name="Groupe régional des personnes concernées (fictif)",
        person_name="Délégation de cinq personnes (fictive)",
    )
    for name in PDL_DEPARTEMENTS.values():
        loader.member(
            conference,
            MemberCategory.LOCAL_AUTHORITIES,
            organisation=_organisation(f"Conseil départemental {name}"),
        )
    angers = loader.meeting(
        conference,
        "Conférence régionale des acteurs du 7 novembre 2023",
        _at(date(2023, 11, 7), 9, 30),
        _at(date(2023, 11, 7), 16, 30),
        place="Maison de quartier des Hauts-de-Saint-Aubin, Angers",
        details="10 kiosques pour présenter des démarches inspirantes ; 20 ateliers thématiques ; 2 thématiques pour "
        "alimenter la feuille de route régionale : transition écologique et solidaire ; précarité en milieu rural, "
        "dont expérimentations « Territoires zéro non recours ».",
        participants_count=200,
        agenda=[
            "Présentation du Panorama régional des pauvretés (INSEE)",
            "Partage des travaux sur les pactes locaux des solidarités",
            "Ateliers : feuille de route régionale",
        ],
        minutes="200 participants, 10 kiosques, 20 ateliers. Les ateliers ont fait émerger trois chantiers régionaux. (Compte rendu fictif de démonstration.)",
        decisions=[
            {
                "text": "Créer un groupe de travail « Transition écologique et solidaire ».",
                "due": date(2023, 12, 31),
                "status": DecisionStatus.DONE,
                "organisation": prefecture,
            },
            {
                "text": "Créer un groupe de travail « Précarité en milieu rural ».",
                "due": date(2023, 12, 31),
                "status": DecisionStatus.DONE,
                "organisation": prefecture,
            },
            {
                "text": "Publier la synthèse des ateliers sur la plateforme.",
                "due": date(2024, 1, 31),
                "status": DecisionStatus.DROPPED,
                "organisation": prefecture,
                "follow_up": "Remplacée par la restitution en COPIL.",
            },
        ],
    )
    loader.extract(angers, DocumentKind.DIAGNOSTIC, region)

    # Regional working groups and the GT « Pauvreté » of the observation platform.
    groups = [
        (
            "Groupe de travail régional – Transition écologique et solidaire",
            "Transition écologique et solidaire",
        ),
        (
            "Groupe de travail régional – Précarité en milieu rural",
            "Précarité en milieu rural, dont « Territoires zéro non recours »",
        ),
        ("Groupe de travail régional – Accès aux droits", "Accès aux droits"),
    ]
    for index, (name, theme) in enumerate(groups):
        group, _ = loader.committee(
            name,
            region,
            kind=CommitteeKind.REGIONAL_WORKING_GROUP,
            theme=theme,
            meetings_per_year_min=3,
            meetings_per_year_max=4,
            secretariat=prefecture,
            is_public=True,
        )
        lead = loader.member(
            group, MemberCategory.STATE_SERVICES, role=MemberRole.SECRETARIAT, user=commissioner
        )
        assoc = loader.member(group, MemberCategory.ASSOCIATIONS, organisation=association)
        loader.member(
            group, MemberCategory.LIVED_EXPERIENCE, person_name="Marie D. (personne concernée, fictive)"
        )
        loader.member(
            group,
            MemberCategory.EXPERTS,
            person_name="Dr Paul Briand (chercheur, fictif)",
            organisation_name="Université d'Angers",
        )
        day = date(2024, 3, 12) + datetime.timedelta(days=7 * index)
        loader.meeting(
            group,
            f"{theme} – séance d'installation",
            _at(day, 14),
            _at(day, 17),
            place="DREETS, Nantes",
            agenda=["Feuille de route issue de la conférence régionale", "Méthode et calendrier"],
            minutes="Installation du groupe, validation de sa feuille de route. (Compte rendu fictif de démonstration.)",
            decisions=[
                {
                    "text": "Rédiger une note de cadrage.",
                    "due": date(2024, 5, 31),
                    "status": DecisionStatus.DONE,
                    "owner": lead,
                },
                {
                    "text": "Recueillir les retours d'expérience des associations.",
                    "due": today - datetime.timedelta(days=20 + index),
                    "status": DecisionStatus.IN_PROGRESS,
                    "owner": assoc,
                },
            ],
        )
        soon = today + datetime.timedelta(days=14 + 7 * index)
        loader.meeting(
            group,
            f"{theme} – séance de travail",
            _at(soon, 14),
            _at(soon, 16, 30),
            place="DREETS, Nantes",
            agenda=["Suivi des décisions", "Propositions pour la feuille de route 2027"],
        )

    pos, _ = loader.committee(
        "GT « Pauvreté » de la Plateforme d'observation des solidarités – Pays de la Loire",
        region,
        kind=CommitteeKind.POVERTY_WORKING_GROUP,
        description="L'observation de la précarité en Pays de la Loire.",
        meetings_per_year_min=2,
        meetings_per_year_max=3,
        secretariat=prefecture,
        is_public=True,
    )
    loader.member(pos, MemberCategory.STATE_SERVICES, role=MemberRole.CHAIR, user=commissioner)
    loader.member(
        pos,
        MemberCategory.EXPERTS,
        organisation_name="INSEE Pays de la Loire",
        person_name="Service des études (fictif)",
    )
    loader.member(
        pos,
        MemberCategory.SOCIAL_SECURITY,
        organisation_name="CAF de Loire-Atlantique",
        person_name="Service statistique (fictif)",
    )
    loader.meeting(
        pos,
        "Présentation du Pacte des solidarités – 20 octobre 2023",
        _at(date(2023, 10, 20), 9, 30),
        _at(date(2023, 10, 20), 12),
        place="Nantes",
        agenda=[
            "Présentation du Pacte des solidarités 2023-2027",
            "Mise en œuvre du Pacte en Pays de la Loire",
            "Panorama de la pauvreté (INSEE, 3 octobre 2023)",
        ],
        minutes="Présentation du Pacte et de son déploiement régional et départemental. (Compte rendu fictif de démonstration.)",
    )


def _load_national(loader: _Loader) -> None:
    diplp = _organisation("Délégation interministérielle à la prévention et à la lutte contre la pauvreté")
    pilot = _user("pilotage")
    today = loader.today
    conference, _ = loader.committee(
        "Conférence permanente des solidarités",
        None,
        kind=CommitteeKind.PERMANENT_CONFERENCE,
        description="Installée en janvier 2024 avec l'ensemble des parties prenantes du Pacte.",
        meetings_per_year_min=1,
        meetings_per_year_max=2,
        secretariat=diplp,
        is_public=True,
    )
    loader.member(conference, MemberCategory.STATE_SERVICES, role=MemberRole.CHAIR, user=pilot)
    loader.member(
        conference,
        MemberCategory.CNLE,
        organisation_name="CNLE",
        person_name="Collège des personnes concernées du CNLE (fictif)",
    )
    loader.member(
        conference,
        MemberCategory.LIVED_EXPERIENCE,
        person_name="Représentants des personnes concernées (fictifs)",
    )
    loader.member(
        conference,
        MemberCategory.LOCAL_AUTHORITIES,
        organisation_name="Association de départements (fictive)",
    )
    loader.member(
        conference,
        MemberCategory.ASSOCIATIONS,
        organisation=_organisation("Entraide Ligérienne (association fictive)"),
    )
    loader.member(conference, MemberCategory.SOCIAL_SECURITY, organisation_name="Caisse nationale (fictive)")
    loader.member(
        conference, MemberCategory.STATE_OPERATORS, organisation_name="Opérateur de l'État (fictif)"
    )
    installation = loader.meeting(
        conference,
        "Installation de la Conférence permanente des solidarités",
        _at(date(2024, 1, 30), 14),
        _at(date(2024, 1, 30), 17),
        place="Paris",
        agenda=[
            "Installation de la Conférence",
            "Faire avec les personnes concernées",
            "Programme de travail 2024",
        ],
        minutes="Installation de la Conférence avec l'ensemble des parties prenantes. (Compte rendu fictif de démonstration.)",
        decisions=[
            {
                "text": "Associer le CNLE à la préparation de l'évaluation à mi-parcours.",
                "due": date(2026, 6, 30),
                "status": DecisionStatus.IN_PROGRESS,
                "organisation": diplp,
            }
        ],
    )
    del installation
    plenary = today + datetime.timedelta(days=60)
    loader.meeting(
        conference,
        "Séance plénière – bilan à mi-parcours",
        _at(plenary, 14),
        _at(plenary, 17),
        place="Paris",
        visio_url="https://webconf.demo.pacte.invalid/conference-permanente",
        agenda=["Suivi des décisions", "Évaluation à mi-parcours des contrats locaux", "Baromètre du Pacte"],
    )

    # The concertation (seed « Organisation et déroulement de la concertation »).
    concertation, _ = loader.committee(
        "Concertation nationale du Pacte des solidarités",
        None,
        kind=CommitteeKind.CONCERTATION,
        description="Ateliers menés par la Délégation interministérielle à la lutte contre la pauvreté avec les "
        "acteurs du champ de la solidarité et de la lutte contre l'exclusion.",
        secretariat=diplp,
        is_public=True,
    )
    loader.member(concertation, MemberCategory.STATE_SERVICES, role=MemberRole.SECRETARIAT, user=pilot)
    themes = {theme.code: theme for theme in ConcertationTheme.objects.all()}
    for day, title, code in (
        (
            date(2022, 11, 28),
            "Réunion thématique 3 : lutte contre la grande exclusion et accès aux droits",
            "grande-exclusion",
        ),
        (
            date(2022, 12, 9),
            "Réunion thématique 2 : amplification de la politique d'accès au travail pour tous",
            "acces-travail",
        ),
        (
            date(2022, 12, 14),
            "Réunion transverse : bilan et avenir de la contractualisation entre les collectivités et l'État",
            "contractualisation",
        ),
    ):
        loader.meeting(
            concertation,
            title,
            _at(day, 14),
            _at(day, 17),
            place="Paris",
            concertation_theme=themes[code],
            minutes="Atelier de la concertation. (Compte rendu fictif de démonstration.)",
        )


STAKEHOLDERS = [
    ("Association de collectivités rurales (fictive)", StakeholderCategory.LOCAL_AUTHORITY_ASSOCIATIONS),
    ("Réseau des villes solidaires (fictif)", StakeholderCategory.LOCAL_AUTHORITY_ASSOCIATIONS),
    ("Collectif d'associations contre l'exclusion (fictif)", StakeholderCategory.ANTI_POVERTY_ASSOCIATIONS),
    ("Caisse d'allocations (fictive)", StakeholderCategory.SOCIAL_SECURITY),
    ("Opérateur national de l'emploi (fictif)", StakeholderCategory.STATE_OPERATORS),
    ("Direction d'administration centrale (fictive)", StakeholderCategory.STATE_SERVICES),
    ("Groupe d'appui des personnes concernées (fictif)", StakeholderCategory.LIVED_EXPERIENCE),
]

CONTRIBUTIONS = [
    (
        "Entraide Ligérienne (association fictive)",
        "grande-exclusion",
        "Aller vers les personnes qui ne demandent rien",
        ContributionStatus.PUBLISHED,
        "Nous proposons de généraliser les permanences itinérantes d'accès aux droits en milieu rural, en lien avec "
        "les maisons France Services, et de financer des binômes travailleur social – pair aidant.",
    ),
    (
        "Entraide Ligérienne (association fictive)",
        "transition-ecologique",
        "Précarité énergétique : agir avant l'impayé",
        ContributionStatus.DRAFT,
        "Brouillon : repérage des ménages en difficulté de paiement dès la première relance du fournisseur.",
    ),
    (
        "Collectif d'associations contre l'exclusion (fictif)",
        "grande-exclusion",
        "Domiciliation et accès aux droits",
        ContributionStatus.PUBLISHED,
        "Simplifier la domiciliation administrative et garantir un accueil inconditionnel dans chaque territoire.",
    ),
    (
        "Groupe d'appui des personnes concernées (fictif)",
        "lutte-stigmatisation",
        "Parler de nous, avec nous",
        ContributionStatus.PUBLISHED,
        "Associer les personnes concernées à la conception des formulaires et des courriers ; former les agents "
        "d'accueil à l'accueil sans jugement.",
    ),
    (
        "Réseau des villes solidaires (fictif)",
        "contractualisation",
        "Contractualiser sur quatre ans",
        ContributionStatus.FILED,
        "Un cadre pluriannuel, des indicateurs partagés et une revue annuelle commune État-collectivités.",
    ),
    (
        "Caisse d'allocations (fictive)",
        "grande-exclusion",
        "Solidarité à la source",
        ContributionStatus.PUBLISHED,
        "Le pré-remplissage des déclarations de ressources réduit le non-recours ; nous proposons d'en mesurer "
        "l'effet par territoire.",
    ),
]

SYNTHESIS = (
    "Les contributions convergent sur trois priorités : aller vers les personnes qui ne recourent pas à leurs droits "
    "(permanences itinérantes, binômes avec des pairs aidants), simplifier les démarches (domiciliation, "
    "pré-remplissage des ressources) et mesurer le non-recours par territoire. (Synthèse fictive de démonstration.)"
)


def _load_concertation(loader: _Loader) -> None:
    association = _organisation("Entraide Ligérienne (association fictive)")
    stakeholders = {}
    own = (
        Stakeholder.objects.filter(organisation=association).first()
        or Stakeholder.objects.filter(name=association.name).first()
    )
    if own is None:
        own = services.save_stakeholder(
            name=association.name,
            category=StakeholderCategory.ANTI_POVERTY_ASSOCIATIONS,
            organisation=association,
            contact_name="Léa Fontaine",
            contact_email="association@demo.pacte.invalid",
            description="Association fictive de la démonstration : ses membres déposent des contributions en son nom.",
        )
        Stakeholder.objects.filter(pk=own.pk).update(is_demo=True)
        loader.report.created["parties_prenantes"] += 1
    else:
        loader.report.kept["parties_prenantes"] += 1
    stakeholders[own.name] = own
    for name, category in STAKEHOLDERS:
        stakeholder = Stakeholder.objects.filter(name=name).first()
        if stakeholder is None:
            stakeholder = Stakeholder.objects.create(
                name=name, category=category, contact_email="contact@demo.pacte.invalid", is_demo=True
            )
            loader.report.created["parties_prenantes"] += 1
        else:
            loader.report.kept["parties_prenantes"] += 1
        stakeholders[name] = stakeholder
    themes = {theme.code: theme for theme in ConcertationTheme.objects.all()}
    pilot = _user("pilotage")
    author = _user("association")
    for stakeholder_name, code, title, status, text in CONTRIBUTIONS:
        stakeholder = stakeholders[stakeholder_name]
        if Contribution.objects.filter(stakeholder=stakeholder, title=title).exists():
            loader.report.kept["contributions"] += 1
            continue
        contribution = Contribution.objects.create(
            stakeholder=stakeholder,
            theme=themes[code],
            title=title,
            text=text,
            is_demo=True,
            filed_by=author if stakeholder == own else None,
        )
        if status != ContributionStatus.DRAFT:
            services.file_contribution(contribution, by=contribution.filed_by)
        if status == ContributionStatus.PUBLISHED:
            services.publish_contribution(contribution, by=pilot)
        loader.report.created["contributions"] += 1
    theme = themes["grande-exclusion"]
    if ThemeSynthesis.objects.filter(theme=theme).exists():
        loader.report.kept["syntheses"] += 1
    else:
        ThemeSynthesis.objects.create(theme=theme, text=SYNTHESIS, author=pilot, is_demo=True)
        loader.report.created["syntheses"] += 1


@transaction.atomic
def load_governance_demo(today: date | None = None) -> GovernanceDemoReport:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Les données de démonstration ne se chargent qu'en mode démonstration (PACTE_DEMO=1)."
        )
    if not Axis.objects.exists():
        raise ImproperlyConfigured("Le référentiel est absent : chargez-le d'abord (pacte load_referentiel).")
    services.load_concertation_themes()
    report = GovernanceDemoReport()
    loader = _Loader(report, today or timezone.localdate())
    region = _territory(Level.REGION, "52")
    departements = {code: _territory(Level.DEPARTEMENT, code) for code in PDL_DEPARTEMENTS}
    _load_regional(loader, region, departements)
    _load_national(loader)
    _load_concertation(loader)
    return report
