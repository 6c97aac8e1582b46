"""Open Badges 3.0 credentials: build, sign as a VC-JWT with EdDSA, and check.

Proof format: VC-JWT (JOSE compact serialisation, `alg: EdDSA`, Ed25519) as in Open Badges
3.0 §8.2: the JWT payload carries the OpenBadgeCredential under the `vc` claim with the
registered claims iss (issuer profile URL), sub (the recipient identifier), jti (the
credential URL), nbf/iat (issuance). The header's `kid` is the URL of the centre's public
key, which a verifier fetches from the centre's site.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import jwt

OB_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


@dataclass(frozen=True)
class CredentialInput:
    credential_url: str
    issuer_url: str
    issuer_name: str
    achievement_url: str
    course_title: str
    course_description: str
    criteria: str
    hours: int
    skills: list[dict]  # [{"uri", "label", "level"}]
    learner_name: str
    email: str
    salt: str
    issued_at: datetime
    status_list_url: str
    status_index: int
    certificate_number: str
    language: str


def identity_hash(email: str, salt: str) -> str:
    """The recipient's salted e-mail hash as Open Badges writes it: `sha256$<hex>`."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def build_credential(data: CredentialInput) -> dict:
    """The OpenBadgeCredential document (unsigned)."""
    issued = data.issued_at.isoformat().replace("+00:00", "Z")
    return {
        "@context": OB_CONTEXT,
        "id": data.credential_url,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": data.issuer_url, "type": ["Profile"], "name": data.issuer_name},
        "validFrom": issued,
        "name": data.course_title,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": data.learner_name,
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": identity_hash(data.email, data.salt),
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": data.salt,
                }
            ],
            "achievement": {
                "id": data.achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": data.course_title,
                "description": data.course_description,
                "criteria": {"narrative": data.criteria},
                "inLanguage": data.language,
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetType": "ceasn:Competency",
                        "targetName": skill["label"],
                        "targetUrl": skill["uri"],
                        "targetFramework": "ESCO",
                        "targetCode": f"level-{skill['level']}",
                    }
                    for skill in data.skills
                ],
                "creditsAvailable": float(data.hours),
            },
        },
        "credentialStatus": {
            "id": f"{data.status_list_url}#{data.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(data.status_index),
            "statusListCredential": data.status_list_url,
        },
        "evidence": [{"type": ["Evidence"], "name": data.certificate_number}],
    }


def sign(credential: dict, *, private_key, kid_url: str) -> str:
    """Sign a credential as a compact VC-JWT (EdDSA)."""
    issued = datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
    payload = {
        "vc": credential,
        "iss": credential["issuer"]["id"],
        "sub": _subject(credential),
        "jti": credential["id"],
        "nbf": int(issued.timestamp()),
        "iat": int(issued.timestamp()),
    }
    return jwt.encode(
        payload, private_key, algorithm="EdDSA", headers={"kid": kid_url, "typ": "JWT"}
    )


def _subject(credential: dict) -> str:
    subject = credential.get("credentialSubject", {})
    identifiers = subject.get("identifier") or []
    return identifiers[0]["identityHash"] if identifiers else subject.get("id", "")


class CredentialError(ValueError):
    """A credential that cannot be trusted; the message says why in one line."""


def unverified_header(token: str) -> dict:
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise CredentialError("The credential is not a well-formed signed token.") from exc


def verify_signature(token: str, *, public_key) -> dict:
    """Check the EdDSA signature and return the credential; raises CredentialError."""
    try:
        payload = jwt.decode(
            token,
            public_key,
            algorithms=["EdDSA"],
            options={"require": ["vc", "iss", "jti"], "verify_aud": False},
            leeway=300,
        )
    except jwt.InvalidSignatureError as exc:
        raise CredentialError("The signature does not match the issuer's key.") from exc
    except jwt.PyJWTError as exc:
        raise CredentialError(f"The credential token is invalid: {exc}.") from exc
    credential = payload["vc"]
    if payload["iss"] != credential.get("issuer", {}).get("id") or payload["jti"] != credential.get(
        "id"
    ):
        raise CredentialError("The token's claims do not match the credential inside it.")
    return credential


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
