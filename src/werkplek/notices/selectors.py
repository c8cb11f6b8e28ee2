"""Reads about letters and their deliveries that several pages need: who receives a letter or a
notice, who may see or handle one, and what could not be delivered."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from werkplek.accounts.models import Membership, Role

from .models import Delivery, Letter

# How many undelivered items the handlers' banner lists (the heading counts them all).
UNDELIVERED_LIMIT = 20

ENTERPRISE_RECIPIENT_ROLES = (Role.REPRESENTATIVE, Role.EMPLOYER)


# --- who receives ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    """Someone a letter or a notice is e-mailed to: a user, or only an address (the
    partnership whose decision is appealed: `user` is None)."""

    user: object | None
    email: str


def _unique(recipients) -> list[Recipient]:
    """Each person and each address once, in the order given; users without an e-mail are
    left out."""
    seen_users, seen_addresses, result = set(), set(), []
    for recipient in recipients:
        address = (recipient.email or "").strip()
        if not address:
            continue
        user_id = recipient.user.pk if recipient.user is not None else None
        if (user_id is not None and user_id in seen_users) or address.lower() in seen_addresses:
            continue
        if user_id is not None:
            seen_users.add(user_id)
        seen_addresses.add(address.lower())
        result.append(Recipient(user=recipient.user, email=address))
    return result


def enterprise_recipients(enterprise) -> list:
    """The users who receive what is sent to an enterprise: its active legal representatives
    and employer staff with an e-mail address (representatives first), each once (one
    query)."""
    memberships = (Membership.objects
                   .filter(enterprise=enterprise, role__in=ENTERPRISE_RECIPIENT_ROLES,
                           is_active=True)
                   .exclude(user__email="")
                   .select_related("user")
                   .order_by("-role", "created_at", "pk"))  # "representative" > "employer"
    seen, users = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            users.append(membership.user)
    return users


def _sanction_agreement_ids(sanction) -> list[int]:
    """The agreements a sanction ended early or gave another mentor (from its effects)."""
    effects = sanction.effects or {}
    ids = [int(pk) for pk in effects.get("agreements_ended", [])]
    ids += [int(entry["id"]) for entry in effects.get("agreements_reassigned", [])
            if isinstance(entry, dict) and entry.get("id") is not None]
    return ids


def sanction_coaches(sanction) -> list:
    """The learner coaches of the agreements the sanction ended early or gave another mentor,
    each once (one query, none when there are none)."""
    from werkplek.agreements.models import Agreement

    ids = _sanction_agreement_ids(sanction)
    if not ids:
        return []
    agreements = (Agreement.objects.filter(pk__in=ids, coach__isnull=False)
                  .select_related("coach").order_by("pk"))
    seen, coaches = set(), []
    for agreement in agreements:
        if agreement.coach_id not in seen:
            seen.add(agreement.coach_id)
            coaches.append(agreement.coach)
    return coaches


# Appeal letters that the partnership whose decision is appealed receives as well.
PARTNERSHIP_COPY_KINDS = (Letter.Kind.APPEAL_ADMISSIBILITY, Letter.Kind.APPEAL_DECISION)


def letter_recipients(letter: Letter) -> list[Recipient]:
    """Who receives the letter, each person and each address once:

    - the decision on an application: the applicant, the legal representatives and the coach
      who filed (`applications.tasks.receipt_recipients`);
    - a sanction: the enterprise's legal representatives and employer staff, and the coaches of
      the agreements it ended early or gave another mentor;
    - an appeal: the enterprise's legal representatives and employer staff and whoever filed
      the appeal; the admissibility and the decision also go to the partnership whose decision
      is appealed (its e-mail address, no user).
    """
    if letter.application_id:
        from werkplek.applications.tasks import receipt_recipients

        users = receipt_recipients(letter.application)
        return _unique(Recipient(user=user, email=user.email) for user in users)
    if letter.sanction_id:
        sanction = letter.sanction
        users = enterprise_recipients(sanction.enterprise_id) + sanction_coaches(sanction)
        return _unique(Recipient(user=user, email=user.email) for user in users)
    appeal = letter.appeal
    users = [*enterprise_recipients(appeal.enterprise_id), appeal.filed_by]
    if appeal.sanction_id and letter.kind == Letter.Kind.APPEAL_DECISION:
        # The coaches whose agreements the sanction touched learn what the appeal changed.
        users += sanction_coaches(appeal.sanction)
    recipients = [Recipient(user=user, email=user.email) for user in users if user is not None]
    if letter.kind in PARTNERSHIP_COPY_KINDS and appeal.partnership.email:
        recipients.append(Recipient(user=None, email=appeal.partnership.email))
    return _unique(recipients)


# --- who may see, who may handle ---------------------------------------------------------------

def _is_handler_of(user, partnership_id: int | None) -> bool:
    return partnership_id is not None and Membership.objects.filter(
        user=user, role=Role.HANDLER, partnership_id=partnership_id, is_active=True).exists()


def _may_view_enterprise_case(user, *, enterprise_id: int, partnership_id: int | None,
                              committee: bool) -> bool:
    """An active legal representative or employer staff of the enterprise, a case handler of
    the partnership, an administrator, and (`committee`) a member of the appeal committee
    (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    allowed = (Q(role__in=ENTERPRISE_RECIPIENT_ROLES, enterprise_id=enterprise_id)
               | Q(role=Role.ADMINISTRATOR))
    if partnership_id is not None:
        allowed |= Q(role=Role.HANDLER, partnership_id=partnership_id)
    if committee:
        allowed |= Q(role=Role.APPEAL_COMMITTEE)
    return Membership.objects.filter(allowed, user=user, is_active=True).exists()


def may_view_letter(user, letter: Letter) -> bool:
    """Who may read (download) a letter: for a letter of an application, those who may see the
    application; for the letter of a sanction or an appeal, the enterprise's legal
    representatives and employer staff, the case handlers of the partnership that imposed the
    sanction or whose decision is appealed, the appeal committee and the administrators."""
    if letter.application_id:
        from werkplek.applications.selectors import can_view

        return can_view(user, letter.application)
    subject = letter.sanction if letter.sanction_id else letter.appeal
    return _may_view_enterprise_case(user, enterprise_id=subject.enterprise_id,
                                     partnership_id=subject.partnership_id, committee=True)


def may_view_delivery(user, delivery: Delivery) -> bool:
    """Who may see that a delivery exists: those who may read its letter; for the e-mails of
    an application, those who may see it; for a notice of a recognition, the enterprise's
    legal representatives and employer staff, the case handlers of the recognition's
    partnership and the administrators."""
    if delivery.letter_id:
        return may_view_letter(user, delivery.letter)
    if delivery.application_id:
        from werkplek.applications.selectors import can_view

        return can_view(user, delivery.application)
    event = delivery.recognition_event
    return _may_view_enterprise_case(user, enterprise_id=event.enterprise_id,
                                     partnership_id=_event_partnership_id(event),
                                     committee=False)


def _event_partnership_id(event) -> int | None:
    if event.recognition_id:
        return event.recognition.partnership_id
    if event.sanction_id:
        return event.sanction.partnership_id
    return None


def may_handle_letter(user, letter: Letter) -> bool:
    """Who may have a letter that could not be prepared tried again (and its failed
    deliveries sent again): a case handler of the partnership for the letter of an
    application or a sanction, a member of the appeal committee for the letter of an
    appeal."""
    if letter.application_id:
        from werkplek.applications.backoffice import is_handler

        return is_handler(user, letter.application)
    if letter.sanction_id:
        return _is_handler_of(user, letter.sanction.partnership_id)
    return user.has_role(Role.APPEAL_COMMITTEE)


def may_handle_delivery(user, delivery: Delivery) -> bool:
    """Who may send a failed delivery again: as `may_handle_letter` for a letter; a case
    handler of the application's partnership for the other e-mails of an application, and of
    the recognition's partnership for a notice of a recognition."""
    if delivery.letter_id:
        return may_handle_letter(user, delivery.letter)
    if delivery.application_id:
        from werkplek.applications.backoffice import is_handler

        return is_handler(user, delivery.application)
    return _is_handler_of(user, _event_partnership_id(delivery.recognition_event))


def back_url(*, letter: Letter | None = None, delivery: Delivery | None = None) -> str:
    """The page a letter or a delivery belongs to: the application's case page, the page of
    the sanctioned recognition, or the appeal's page."""
    from django.urls import reverse

    if delivery is not None and delivery.letter_id is None:
        if delivery.application_id:
            return reverse("applications:detail", args=[delivery.application_id])
        return reverse("recognitions:detail", args=[delivery.recognition_event.recognition_id])
    letter = letter or delivery.letter
    if letter.application_id:
        return reverse("applications:detail", args=[letter.application_id])
    if letter.sanction_id:
        return reverse("recognitions:detail", args=[letter.sanction.recognition_id])
    return reverse("appeals:detail", args=[letter.appeal_id])


# --- the letters and e-mails of a case ---------------------------------------------------------

def _letters_of(subject) -> Q:
    name = subject._meta.model_name
    if name == "recognition":  # the letters of its sanctions
        return Q(sanction__recognition=subject)
    if name not in ("application", "sanction", "appeal"):
        raise TypeError(f"No letters for a {name}")
    return Q(**{name: subject})


def letters_for(subject) -> QuerySet[Letter]:
    """The letters of an application, a sanction, an appeal, or of the sanctions of a
    recognition, the latest first (one query)."""
    return (Letter.objects.filter(_letters_of(subject))
            .select_related("application", "sanction", "appeal")
            .order_by("-created_at", "-pk"))


def deliveries_for(subject) -> QuerySet[Delivery]:
    """Every e-mail about an application (the decision letters, the receipt, the notices), a
    sanction or an appeal (their letters), or a recognition (the letters of its sanctions and
    the notices of its timeline) to each recipient, with its letter, event and recipient, the
    latest first (one query)."""
    name = subject._meta.model_name
    if name == "application":
        condition = Q(application=subject)
    elif name == "recognition":
        condition = Q(letter__sanction__recognition=subject) | Q(
            recognition_event__recognition=subject)
    elif name in ("sanction", "appeal"):
        condition = Q(**{f"letter__{name}": subject})
    else:
        raise TypeError(f"No e-mails for a {name}")
    return (Delivery.objects.filter(condition)
            .select_related("letter", "event", "recognition_event", "recipient")
            .order_by("-created_at", "-pk"))


# --- what could not be delivered ---------------------------------------------------------------

@dataclass(frozen=True)
class UndeliveredItem:
    """One thing that did not reach the enterprise: a letter that could not be prepared (no
    recipient yet: `email` is empty), or an e-mail to one recipient that failed."""

    application_id: int | None  # empty for a sanction's letter or a recognition's notice
    reference: str  # the application's, the sanction's, or the recognition's name
    purpose: str  # a Delivery.Purpose value; "letter" for a letter that could not be prepared
    subject: str  # the letter's reference, or the kind of e-mail
    recipient: str  # who it was for: the person (or the enterprise, for a letter not prepared)
    email: str
    error: str
    prepared: bool = True  # False: the letter itself could not be made
    url: str = ""  # the page of the case it belongs to


@dataclass(frozen=True)
class Undelivered:
    """What the case handler's partnerships could not deliver: the letters (not prepared, or
    not sent to a recipient) and the other e-mails, counted in full; `items` lists at most
    UNDELIVERED_LIMIT of them, letters not prepared first, the latest first."""

    letters: int = 0
    mails: int = 0
    items: list[UndeliveredItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.letters + self.mails

    @property
    def more(self) -> int:
        """How many the list leaves out."""
        return self.total - len(self.items)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total


def _letter_item(letter: Letter) -> UndeliveredItem:
    subject = letter.application or letter.sanction
    return UndeliveredItem(application_id=letter.application_id, reference=subject.reference,
                           purpose=Delivery.Purpose.LETTER, subject=letter.reference,
                           recipient=subject.enterprise.name, email="",
                           error=letter.last_error, prepared=False,
                           url=back_url(letter=letter))


def _delivery_item(delivery: Delivery) -> UndeliveredItem:
    if delivery.application_id:
        reference = delivery.application.reference
    elif delivery.letter_id:
        reference = delivery.letter.sanction.reference
    else:
        reference = str(delivery.recognition_event.recognition)
    return UndeliveredItem(
        application_id=delivery.application_id, reference=reference, purpose=delivery.purpose,
        subject=delivery.subject,
        recipient=(delivery.recipient.get_full_name() or delivery.recipient.username)
        if delivery.recipient else delivery.email,
        email=delivery.email, error=delivery.last_error, url=back_url(delivery=delivery))


def undelivered_for(user, *, partnership_ids: list[int] | None = None) -> Undelivered:
    """The letters that could not be prepared, and the e-mails (letters, receipts, notices)
    that failed for good, of the applications, sanctions and recognitions of the partnerships
    `user` handles as a case handler. At most six queries whatever their number: one fewer
    when the caller passes `partnership_ids`, only two probes when nothing failed anywhere,
    none more when the user handles no partnership. Everything is read by the `state`
    indexes, which hold few failed rows."""
    from werkplek.applications.selectors import handled_partnership_ids

    if partnership_ids is None:
        partnership_ids = handled_partnership_ids(user)
    if not partnership_ids:
        return Undelivered()
    # Failed letters and e-mails are rare: two index-only probes answer the common case
    # without planning the two wide joins below (their planning took ~12 ms at full scale).
    any_letters = Letter.objects.filter(state=Letter.State.FAILED).exists()
    any_mails = Delivery.objects.filter(state=Delivery.State.FAILED).exists()
    if not any_letters and not any_mails:
        return Undelivered()
    letter_cases = (Q(application__partnership_id__in=partnership_ids)
                    | Q(sanction__partnership_id__in=partnership_ids))
    mail_cases = (Q(application__partnership_id__in=partnership_ids)
                  | Q(letter__sanction__partnership_id__in=partnership_ids)
                  | Q(recognition_event__recognition__partnership_id__in=partnership_ids))
    letters = [] if not any_letters else list(
        Letter.objects.filter(letter_cases, state=Letter.State.FAILED)
        .select_related("application__enterprise", "sanction__enterprise")
        .order_by("-created_at", "-pk")[:UNDELIVERED_LIMIT])
    deliveries = [] if not any_mails else list(
        Delivery.objects.filter(mail_cases, state=Delivery.State.FAILED)
        .select_related("application", "letter__sanction", "recipient",
                        "recognition_event__recognition__unit",
                        "recognition_event__recognition__programme")
        .order_by("-created_at", "-pk")[:UNDELIVERED_LIMIT])
    failed_letters = len(letters)
    if failed_letters == UNDELIVERED_LIMIT:  # there may be more: count them all
        failed_letters = Letter.objects.filter(letter_cases, state=Letter.State.FAILED).count()
    if len(deliveries) < UNDELIVERED_LIMIT:
        letter_mails = sum(1 for d in deliveries if d.purpose == Delivery.Purpose.LETTER)
        other_mails = len(deliveries) - letter_mails
    else:
        counts = Delivery.objects.filter(mail_cases, state=Delivery.State.FAILED).aggregate(
            letters=Count("pk", filter=Q(purpose=Delivery.Purpose.LETTER)),
            others=Count("pk", filter=~Q(purpose=Delivery.Purpose.LETTER)))
        letter_mails, other_mails = counts["letters"], counts["others"]
    items = [_letter_item(letter) for letter in letters] + \
        [_delivery_item(delivery) for delivery in deliveries]
    return Undelivered(letters=failed_letters + letter_mails, mails=other_mails,
                       items=items[:UNDELIVERED_LIMIT])
