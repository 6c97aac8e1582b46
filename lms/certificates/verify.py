"""Verification of a certificate from its PDF, its credential JSON or its signed token:
signature against the centre's published key, content against the registry, and status."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from . import credential as vc
from .keys import public_key
from .models import Certificate, IssuerKey
from .render import CREDENTIAL_ATTACHMENT
from .services import certificate_urls

MAX_UPLOAD = 10 * 1024 * 1024


class UnreadableError(ValueError):
    """The input is not a certificate file we can read (exit code 2 for the command)."""


@dataclass
class VerificationResult:
    valid: bool
    status: str  # valid, revoked, invalid
    reason: str
    certificate_id: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def token_from_pdf(data: bytes) -> str:
    """The signed credential attached to a certificate PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF-"):
        raise UnreadableError(_("The file is not a PDF."))
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        attachments = reader.attachments
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableError(_("The PDF cannot be read (damaged or truncated).")) from exc
    payload = attachments.get(CREDENTIAL_ATTACHMENT)
    if not payload:
        raise UnreadableError(_("The PDF has no embedded Dasi credential."))
    try:
        return payload[0].decode().strip()
    except UnicodeDecodeError as exc:
        raise UnreadableError(_("The embedded credential is not text.")) from exc


def token_from_text(data: bytes) -> str:
    """A credential given as the bare token, or JSON holding it ({"jwt": ...})."""
    try:
        text = data.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise UnreadableError(_("The file is neither a PDF nor a credential (not text).")) from exc
    if text.count(".") == 2 and not text.startswith("{"):
        return text
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableError(_("The file is neither a PDF nor credential JSON.")) from exc
    if isinstance(document, dict) and isinstance(document.get("jwt"), str):
        return document["jwt"]
    if isinstance(document, dict) and "credentialSubject" in document:
        raise UnreadableError(
            _("This credential JSON has no proof; upload the PDF or the signed credential.")
        )
    raise UnreadableError(_("The JSON is not a Dasi credential."))


def _invalid(reason: str, certificate_id: str | None = None) -> VerificationResult:
    return VerificationResult(False, "invalid", reason, certificate_id)


def verify_token(token: str, *, pdf_sha256: str | None = None) -> VerificationResult:
    """Check a signed credential: key, signature, issuer, registry, (PDF) and status."""
    try:
        header = vc.unverified_header(token)
    except vc.CredentialError as exc:
        return _invalid(str(exc))
    kid = str(header.get("kid", "")).rstrip("/").rsplit("/", 1)[-1].removesuffix(".json")
    key = IssuerKey.objects.select_related("centre__site").filter(kid=kid).first()
    if key is None:
        return _invalid(_("The credential was signed with a key no Dasi centre published."))
    try:
        document = vc.verify_signature(token, public_key=public_key(key))
    except vc.CredentialError as exc:
        return _invalid(str(exc))

    credential_id = str(document.get("id", "")).rstrip("/").rsplit("/", 2)[-2:]
    try:
        certificate_uuid = uuid.UUID(credential_id[0])
    except (ValueError, IndexError):
        return _invalid(_("The credential does not name a Dasi certificate."))
    certificate = (
        Certificate.objects.select_related("centre__site").filter(pk=certificate_uuid).first()
    )
    if certificate is None:
        return _invalid(_("No such certificate is in the registry."))
    expected_issuer = certificate_urls(certificate.pk, certificate.centre)["issuer"]
    if key.centre_id != certificate.centre_id or document["issuer"]["id"] != expected_issuer:
        return _invalid(
            _("The credential is signed with another centre's key."), str(certificate.pk)
        )
    if vc.token_sha256(token) != certificate.credential_sha256:
        return _invalid(
            _("The credential differs from the one in the registry."), str(certificate.pk)
        )
    if pdf_sha256 is not None and pdf_sha256 != certificate.pdf_sha256:
        return _invalid(
            _("The PDF has been altered: it is not the file that was issued."),
            str(certificate.pk),
        )
    if certificate.status == Certificate.Status.REVOKED:
        return VerificationResult(
            False,
            "revoked",
            _("Revoked on %(date)s: %(reason)s")
            % {
                "date": certificate.revoked_at.date().isoformat(),
                "reason": certificate.revocation_reason,
            },
            str(certificate.pk),
        )
    return VerificationResult(
        True, "valid", _("Signature, content and status check out."), str(certificate.pk)
    )


def holder_erased_result(certificate: Certificate) -> VerificationResult:
    """The registry's answer for a certificate whose holder's record was erased: Dasi keeps
    only the credential's hash, so the holder's own copy still verifies (upload it)."""
    if certificate.status == Certificate.Status.REVOKED:
        return VerificationResult(
            False, "revoked", certificate.revocation_reason, str(certificate.pk)
        )
    return VerificationResult(
        True,
        "valid",
        _(
            "Issued to a person whose record was erased. The certificate stands; its holder's "
            "own copy verifies on upload."
        ),
        str(certificate.pk),
    )


def verify_bytes(data: bytes) -> VerificationResult:
    """Verify an uploaded file (PDF, credential JSON or token). Raises UnreadableError."""
    if len(data) > MAX_UPLOAD:
        raise UnreadableError(_("The file is larger than 10 MB."))
    if not data:
        raise UnreadableError(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        return verify_token(token_from_pdf(data), pdf_sha256=hashlib.sha256(data).hexdigest())
    return verify_token(token_from_text(data))
