"""What an experienced operator warns about: no User ID, too many mailboxes on one domain."""

from __future__ import annotations

from desktop_app.order.model import DomainEntry, Mailbox, Order, Provider
from desktop_app.order.operator_warnings import (
    NO_USER_ID,
    MailboxesPerDomain,
    crowded_domains,
    missing_user_id,
)
from desktop_app.order.validation import Severity, has_errors, validate


def order_with(per_domain: dict[str, int], provider: Provider = Provider.GOOGLE) -> Order:
    order = Order(provider=provider, user_id="42")
    for domain, count in per_domain.items():
        order.domains.append(DomainEntry(domain))
        order.mailboxes += [Mailbox(domain, f"u{n}", "Ann", "Lee") for n in range(count)]
    return order


def test_a_blank_user_id_is_a_warning_with_its_reason():
    order = order_with({"alpha.com": 1})
    assert missing_user_id(order) == []
    order.user_id = "   "
    [found] = missing_user_id(order)
    assert found.severity is Severity.WARNING and found.column == "userId"
    assert found.message == NO_USER_ID and "refused without it" in NO_USER_ID
    assert found in validate(order) and not has_errors([found])


def test_google_warns_past_five_a_domain_counted_in_any_case():
    order = order_with({"alpha.com": 5, "beta.org": 3})
    assert crowded_domains(order) == []
    order.mailboxes.append(Mailbox("ALPHA.com", "extra", "Ann", "Lee"))
    [found] = crowded_domains(order)
    assert (found.row, found.column, found.severity) == (0, "domain", Severity.WARNING)
    assert found.message.startswith(
        "alpha.com has 6 Google Workspace mailboxes, more than the 5 per domain"
    )
    assert found.message.endswith("and providers commonly cap Google Workspace at 5.")
    assert [p for p in validate(order) if p.message == found.message] == [found]


def test_microsoft_has_no_limit_by_default_and_the_limits_are_adjustable():
    order = order_with({"alpha.com": 50}, Provider.MICROSOFT)
    assert crowded_domains(order) == []
    [found] = crowded_domains(order, MailboxesPerDomain(microsoft=40))
    assert "has 50 Microsoft 365 mailboxes, more than the 40 per domain" in found.message
    assert "cap" not in found.message  # no peer caps Microsoft 365 this way
    google = order_with({"alpha.com": 9})
    assert crowded_domains(google, MailboxesPerDomain(google=0)) == []  # 0: no limit
    assert len(validate(google, limits=MailboxesPerDomain(google=9))) == len(validate(google)) - 1
