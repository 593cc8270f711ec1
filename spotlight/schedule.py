"""What exists, and in which state, as of a given moment (status, publish_at, expire_at, dates)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from .models import EARLIEST, LATEST, Item

UTC = timezone.utc


def as_moment(value: date | datetime, end_of_day: bool = False, tz: tzinfo | None = None) -> datetime:
    """A comparable aware datetime; a bare date means that whole day in the site's time zone."""
    if isinstance(value, datetime):
        return value
    zone = tz or UTC
    if end_of_day:
        return datetime.combine(value + timedelta(days=1), time(0), zone) - timedelta(microseconds=1)
    return datetime.combine(value, time(0), zone)


class MomentOutOfRange(ValueError):
    """A well-formed moment outside the dates Spotlight works with."""


def parse_as_of(text: str, tz: tzinfo | None = None) -> datetime:
    """`--as-of`: a date (start of that day in the site's zone) or a datetime with offset."""
    text = text.strip()
    day = date.fromisoformat(text) if len(text) == 10 else None
    moment = None if day else datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment is not None and moment.tzinfo is None:
        raise ValueError("a time zone offset is needed, e.g. 2027-05-15T12:00:00Z")
    # The content's own range: a moment past it would overflow when moved between time zones.
    if not EARLIEST <= (day or moment.date()) <= LATEST:
        raise MomentOutOfRange(f"Spotlight works with moments from {EARLIEST.isoformat()} to {LATEST.isoformat()}")
    return as_moment(day, tz=tz) if day else moment


def consent_period(item: Item) -> tuple[datetime | None, datetime | None]:
    """(from, until) of a creator's consent, in the site's time zone: the profile exists from the
    start of the day consent was given until the end of its review date, and not after it
    unless consent is confirmed again (a new consent_review)."""
    given, review = item.data.get("consent_given"), item.data.get("consent_review")
    return (as_moment(given, tz=item.tz) if given is not None else None,
            as_moment(review + timedelta(days=1), tz=item.tz) if review is not None else None)


def why_hidden(item: Item, moment: datetime, drafts: bool = False) -> str | None:
    """None if the item exists as of `moment`; otherwise a short reason in plain words."""
    if item.status == "draft" and not drafts:
        return "is a draft"
    publish_at = item.data.get("publish_at")
    if publish_at is not None and moment < publish_at:
        return f"is not published until {publish_at.isoformat()}"
    expire_at = item.data.get("expire_at")
    if expire_at is not None and moment >= expire_at:
        return f"expired on {expire_at.isoformat()}"
    if item.kind == "update":
        dated = item.data.get("date")
        if dated is not None and moment < dated:
            return f"is scheduled for {dated.isoformat()}"
    return consent_hides(item, moment)


def consent_hides(item: Item, moment: datetime) -> str | None:
    """Why a creator's profile is not published as of `moment` for want of consent, or None."""
    if item.kind != "creator":
        return None
    given, lapses = consent_period(item)
    if given is not None and moment < given:
        return f"has no consent before {item.data['consent_given'].isoformat()}"
    if lapses is not None and moment >= lapses:
        return f"is past its consent review date ({item.data['consent_review'].isoformat()})"
    return None


def visible_as_of(item: Item, moment: datetime, drafts: bool = False) -> bool:
    return why_hidden(item, moment, drafts) is None


def campaign_status(campaign: Item, moment: datetime, tz: tzinfo | None = None) -> str:
    """'upcoming', 'live' or 'ended' as of the moment."""
    starts = as_moment(campaign.data["starts"], tz=tz)
    ends = as_moment(campaign.data["ends"], end_of_day=True, tz=tz)
    if moment < starts:
        return "upcoming"
    if moment > ends:
        return "ended"
    return "live"


def event_is_upcoming(event: Item, moment: datetime) -> bool:
    return event.data["ends"] >= moment


def event_status(event: Item, moment: datetime) -> str:
    """'upcoming', 'live' or 'ended' as of the moment (live until its end, as event_is_upcoming)."""
    if moment < event.data["starts"]:
        return "upcoming"
    return "live" if event_is_upcoming(event, moment) else "ended"


def campaign_span(campaign: Item, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """When a campaign starts and the first moment it has ended (a date-only last day included)."""
    ends = campaign.data["ends"]
    over = ends if isinstance(ends, datetime) else as_moment(ends + timedelta(days=1), tz=tz)
    return as_moment(campaign.data["starts"], tz=tz), over


def sort_key_date(value: Any) -> datetime:
    return as_moment(value) if value is not None else datetime.min.replace(tzinfo=UTC)
