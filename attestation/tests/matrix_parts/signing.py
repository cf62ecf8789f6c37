"""Signing with one's own key (issue 16): the CMS NCALayer made goes back only to the signing request of its signer."""

from attestation.tests.matrix_base import Entry
from commissions.papers import signing, testca


def build(objects: dict) -> None:
    """The member has started signing the vedomost (members sign first): a prepared file waits for their CMS."""
    member = objects["users"]["member"]
    member.iin = testca.iin_for(member.pk)
    member.save(update_fields=["iin"])
    objects["signing_request"] = signing.signing_prepare(actor=member, paper=objects["vedomost"])


ENTRIES = {
    # An empty CMS is refused with the reason (400) for the signer; everyone else never finds the request (404).
    "commissions:paper_sign_finish": Entry("post", lambda o: {"pk": o["signing_request"].pk}, frozenset({"member"})),
}
