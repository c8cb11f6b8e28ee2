"""Reads about letters and their deliveries that several pages need."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from werkplek.applications.models import Application

from .models import Delivery, Letter

# How many undelivered items the handlers' banner lists (the heading counts them all).
UNDELIVERED_LIMIT = 20


def letters_for(application: Application) -> QuerySet[Letter]:
    """The application's decision letters, the latest first (one query)."""
    return Letter.objects.filter(application=application).order_by("-created_at", "-pk")


def deliveries_for(application: Application) -> QuerySet[Delivery]:
    """Every e-mail of the application to each recipient (the decision letters, the receipt,
    the notices), with its letter, event and recipient, the latest first (one query)."""
    return (Delivery.objects.filter(application=application)
            .select_related("letter", "event", "recipient")
            .order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class UndeliveredItem:
    """One thing that did not reach the applicant: a letter that could not be prepared (no
    recipient yet: `email` is empty), or an e-mail to one recipient that failed."""

    application_id: int
    reference: str  # the application's
    purpose: str  # a Delivery.Purpose value; "letter" for a letter that could not be prepared
    subject: str  # the letter's reference, or the kind of e-mail
    recipient: str  # who it was for: the person (or the enterprise, for a letter not prepared)
    email: str
    error: str
    prepared: bool = True  # False: the letter itself could not be made


@dataclass(frozen=True)
class Undelivered:
    """What the case handler's partnerships could not deliver: the decision letters (not
    prepared, or not sent to a recipient) and the other e-mails, counted in full; `items` lists
    at most UNDELIVERED_LIMIT of them, letters not prepared first, the latest first."""

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


def undelivered_for(user, *, partnership_ids: list[int] | None = None) -> Undelivered:
    """The decision letters that could not be prepared, and the e-mails (letters, receipts,
    notices) that failed for good, of the applications of the partnerships `user` handles as
    a case handler. At most four queries whatever their number (one fewer when the caller
    passes `partnership_ids`, none more when the user handles no partnership); both lists are
    read by the `state` indexes, which hold few failed rows."""
    from werkplek.applications.selectors import handled_partnership_ids

    if partnership_ids is None:
        partnership_ids = handled_partnership_ids(user)
    if not partnership_ids:
        return Undelivered()
    letters = list(
        Letter.objects.filter(state=Letter.State.FAILED,
                              application__partnership_id__in=partnership_ids)
        .select_related("application__enterprise")
        .order_by("-created_at", "-pk")[:UNDELIVERED_LIMIT])
    deliveries = list(
        Delivery.objects.filter(state=Delivery.State.FAILED,
                                application__partnership_id__in=partnership_ids)
        .select_related("application", "letter", "recipient")
        .order_by("-created_at", "-pk")[:UNDELIVERED_LIMIT])
    failed_letters = len(letters)
    if failed_letters == UNDELIVERED_LIMIT:  # there may be more: count them all
        failed_letters = Letter.objects.filter(
            state=Letter.State.FAILED, application__partnership_id__in=partnership_ids).count()
    if len(deliveries) < UNDELIVERED_LIMIT:
        letter_mails = sum(1 for d in deliveries if d.purpose == Delivery.Purpose.LETTER)
        other_mails = len(deliveries) - letter_mails
    else:
        counts = Delivery.objects.filter(
            state=Delivery.State.FAILED, application__partnership_id__in=partnership_ids,
        ).aggregate(letters=Count("pk", filter=Q(purpose=Delivery.Purpose.LETTER)),
                    others=Count("pk", filter=~Q(purpose=Delivery.Purpose.LETTER)))
        letter_mails, other_mails = counts["letters"], counts["others"]
    items = [
        UndeliveredItem(application_id=letter.application_id,
                        reference=letter.application.reference,
                        purpose=Delivery.Purpose.LETTER, subject=letter.reference,
                        recipient=letter.application.enterprise.name, email="",
                        error=letter.last_error, prepared=False)
        for letter in letters
    ] + [
        UndeliveredItem(application_id=delivery.application_id,
                        reference=delivery.application.reference, purpose=delivery.purpose,
                        subject=delivery.subject,
                        recipient=(delivery.recipient.get_full_name()
                                   or delivery.recipient.username) if delivery.recipient
                        else delivery.email,
                        email=delivery.email, error=delivery.last_error)
        for delivery in deliveries
    ]
    return Undelivered(letters=failed_letters + letter_mails, mails=other_mails,
                       items=items[:UNDELIVERED_LIMIT])
