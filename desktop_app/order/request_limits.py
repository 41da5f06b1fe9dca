"""How big one create-order request may be, so that real servers read all of it.

Measured on the stacks an API of this kind most likely runs on: NestJS's
multer integration refuses a multipart request of more than 1,000 parts (text
fields and files together), and so do Werkzeug and Starlette; busboy, under
multer, refuses a text field over 1 MiB.  A larger order is sent as several
requests (:mod:`desktop_app.api.order_parts`), each within these limits.
"""

from __future__ import annotations

MAX_PARTS = 1000
TEXT_FIELDS = 8  # domains, mailboxes, billingCycle, serviceProvider, confirm, autoRenew, ...
MAX_FILES = MAX_PARTS - TEXT_FIELDS
# busboy's limit is 1 MiB (1,048,576 bytes); stay a little under it.
MAX_FIELD_BYTES = 1_000_000
# A request carries at most one picture per mailbox, so this many mailboxes
# always fit; it is also the most "mailboxes per request" can be set to.
MAX_MAILBOXES_PER_REQUEST = MAX_FILES
