"""One settings tree, loaded once by the CLI and handed out section by section.

Sources, strongest first: environment variables `HANDOFF_<SECTION>__<KEY>`, the TOML file given by
`--config` or `HANDOFF_CONFIG`, then the embedded defaults (a sandbox that runs with no file at all).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from handoff.errors import ConfigError

SANDBOX = "sandbox"
# The built-in emulators' credentials; used only when talking to them.
SANDBOX_CLIENT_SECRET = "sandbox-secret"
SANDBOX_API_KEY = "sandbox-key"
# Dataverse's default Organization.BlockedAttachments (System Settings > General > "Prevent upload or
# download of certain attachment types"); the sandbox refuses the same list.
DEFAULT_BLOCKED_EXTENSIONS = frozenset(
    (
        "ade adp app asa ashx asmx asp bas bat cdx cer chm class cmd com config cpl crt csh dll exe fxp hlp "
        "hta htr htw ida idc idq inf ins isp its jar js jse ksh lnk mad maf mag mam maq mar mas mat mau mav "
        "maw mda mdb mde mdt mdw mdz msc msh msh1 msh1xml msh2 msh2xml mshxml msi msp mst ops pcd pif prf prg "
        "printer pst reg rem scf scr sct shb shs shtm shtml soap stm tmp url vb vbe vbs vsmacros vss vst vsw "
        "ws wsc wsf wsh svg"
    ).split()
)


class Section(BaseModel):
    # A typo in a key is a wrong setting, not something to ignore silently.
    model_config = ConfigDict(extra="forbid")


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(value: Any) -> Any:
    """A duration: a number of seconds, or "90s", "30m", "12h", "5d"."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError('expected seconds or a duration like "90s", "30m", "12h", "5d"')
        return float(match.group(1)) * _UNIT[(match.group(2) or "s").lower()]
    return value


Duration = Annotated[float, BeforeValidator(_seconds)]


class RetrySettings(Section):
    """One backoff shape for everything that retries (handoff.retry.Backoff): base * 2**(n-1), capped,
    with jitter."""

    base_seconds: float = Field(5.0, gt=0)
    max_seconds: float = Field(300.0, gt=0)


class SmtpUser(Section):
    """An agent or script that may submit with SMTP AUTH (PLAIN or LOGIN, only after STARTTLS)."""

    name: str = Field(min_length=1)
    # A hash from `handoff hash-password`, never the password itself.
    password_hash: SecretStr

    @field_validator("password_hash")
    @classmethod
    def _hash(cls, value: SecretStr) -> SecretStr:
        from handoff.smtp_auth import is_password_hash

        if not is_password_hash(value.get_secret_value()):
            # The word "secret" in this message keeps load_settings from echoing the value: someone who
            # pasted the password itself here must not see it printed in a terminal or a CI log.
            raise ValueError(
                "expected a hash printed by `handoff hash-password` (scrypt$...), never the password "
                "itself (secrets stay out of settings files)"
            )
        return value


AcceptModel = Literal["open", "networks", "auth", "dkim"]


class SmtpSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(2525, ge=0, le=65535)
    # Accepted recipients. An entry "@domain" accepts every local part of that domain (anything@domain
    # becomes a case); exact addresses are recommended on a server that the internet can reach.
    recipients: list[str] = Field(default_factory=lambda: ["@handoff.localhost"], min_length=1)
    max_message_size: int = Field(26_214_400, gt=0)
    hostname: str | None = None

    # -- TLS --
    # PEM certificate chain (e.g. certbot's fullchain.pem) and key (privkey.pem); reloaded on SIGHUP.
    tls_cert: str | None = None
    tls_key: str | None = None
    # Refuse MAIL (530 5.7.0) until the client has done STARTTLS.
    require_starttls: bool = False

    # -- who may create cases (accept_from below chooses among these) --
    # Peers allowed by "networks": the organisation's own MTA or relay, as CIDRs.
    trusted_networks: list[str] = Field(default_factory=list)
    # Users allowed by "auth".
    users: list[SmtpUser] = Field(default_factory=list)
    # Domains whose valid DKIM signature "dkim" trusts (a subdomain's signature counts for its parent):
    # the organisation's own Google Workspace / Microsoft 365 domains, which sign what their mailbox
    # rules forward.
    trusted_forwarder_domains: list[str] = Field(default_factory=list)
    # Name servers for DKIM key lookups ("192.0.2.53" or "192.0.2.53:5353"); empty: the system's.
    dns_servers: list[str] = Field(default_factory=list)
    # With "dkim": a mail without a valid trusted signature is still accepted when SPF of its envelope
    # sender's domain (MAIL FROM, or the HELO name for a null sender) passes for the connecting peer and
    # that domain is one of trusted_forwarder_domains (or a subdomain). Off by default: SPF says which
    # host may send for a domain, so a shared sending service's other customers pass it too.
    spf_fallback: bool = False
    # Any one of these suffices. "open" accepts anyone who can reach the port: loopback and tests only.
    accept_from: list[AcceptModel] = Field(default_factory=lambda: ["open"], min_length=1)

    # -- limits under abuse --
    max_connections: int = Field(200, ge=1)  # sessions at once (trusted_networks have as many again)
    max_connections_per_peer: int = Field(20, ge=1)  # per IPv4 address or IPv6 /64, outside trusted_networks
    # Postfix's smtpd_client_connection_rate_limit: at most this many new sessions per connection_rate_window
    # (its anvil_rate_time_unit, 60 s) from one IPv4 address or IPv6 /64 outside trusted_networks; more get
    # 421 4.7.0 until the window has room. An address that authenticated (AUTH) within the window is exempt.
    # 0 (Postfix's default too) is off: a relay outside trusted_networks may open a session per mail.
    max_connection_rate_per_peer: int = Field(0, ge=0)
    connection_rate_window: Duration = Field(60.0, gt=0)
    max_recipients: int = Field(50, ge=1)  # per transaction; more get 452 4.5.3 (the sender sends them later)
    command_timeout: Duration = Field(60.0, gt=0)  # waiting for the next complete command
    data_timeout: Duration = Field(300.0, gt=0)  # the whole DATA phase, from 354 to the final dot
    # A session that stores no mail for this long (since it connected, or since its last accepted mail) is
    # closed with 421 4.4.2, at its next command or when its command timer runs out; a DATA under way is
    # never cut (data_timeout bounds it). Without it a client sending RSET every command_timeout - 1 s
    # held a connection slot for good.
    no_mail_timeout: Duration = Field(300.0, gt=0)
    # Postfix's smtpd_junk_command_limit and smtpd_hard_error_limit (the same defaults): NOOP, RSET, VRFY,
    # EXPN and HELP beyond junk_command_limit each count as an error, and a session whose errors (refused
    # commands, recipients, mails) reach hard_error_limit is closed with 421 4.7.0. Both counts start
    # again with each accepted mail, so a relay sending many mails over one connection is never cut.
    junk_command_limit: int = Field(100, ge=0)
    hard_error_limit: int = Field(20, ge=1)
    command_size_limit: int = Field(512, ge=512, le=65536)  # bytes per command line (RFC 5321: 512)
    # DATA bytes held in memory across all sessions at once; a DATA that does not fit waits briefly,
    # then gets 451 4.3.1. At least max_message_size.
    data_memory_budget: int = Field(268_435_456, gt=0)
    data_memory_wait: Duration = Field(5.0, ge=0)  # how long a new DATA waits for room in the budget
    listen_backlog: int = Field(1024, ge=1)  # connections the kernel queues before we accept them
    # The event loop `handoff serve` runs on (SMTP, worker, HTTP): "uvloop" (libuv) takes less CPU per SMTP
    # session than asyncio's own loop (bench/smtp_accept.py); it must be installed (a dependency on Linux).
    event_loop: Literal["asyncio", "uvloop"] = "asyncio"

    @field_validator("recipients")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        for entry in value:
            if "@" not in entry:
                raise ValueError(f"{entry!r} is neither an address nor '@domain'")
        return [entry.strip().lower() for entry in value]

    @field_validator("trusted_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        import ipaddress

        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=True)
            except ValueError as exc:
                raise ValueError(f"{entry!r} is not a network like 192.0.2.0/24 or 2001:db8::/32 ({exc})") from None
        return [entry.strip() for entry in value]

    @field_validator("trusted_forwarder_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        out = []
        for entry in value:
            domain = entry.strip().lower().lstrip("@").rstrip(".")
            if not domain or "." not in domain or "/" in domain:
                raise ValueError(f"{entry!r} is not a domain like example.com")
            out.append(domain)
        return out

    @field_validator("dns_servers")
    @classmethod
    def _dns(cls, value: list[str]) -> list[str]:
        from handoff.dkim_check import parse_server

        for entry in value:
            parse_server(entry)
        return value

    @field_validator("users")
    @classmethod
    def _unique_users(cls, value: list[SmtpUser]) -> list[SmtpUser]:
        names = [u.name for u in value]
        if len(names) != len(set(names)):
            raise ValueError("each [[smtp.users]] name may appear once")
        return value

    @field_validator("accept_from")
    @classmethod
    def _models(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # Fields are validated in order, so the ones each model needs are known here (when they are
        # themselves valid; a wrong one is reported under its own key).
        data = info.data
        needs = {
            "networks": ("trusted_networks", "the relays' CIDRs"),
            "auth": ("users", "[[smtp.users]] entries (name and password_hash)"),
            "dkim": ("trusted_forwarder_domains", "the organisation's signing domains"),
        }
        for model, (key, what) in needs.items():
            if model in value and key in data and not data[key]:
                raise ValueError(f"{model!r} needs [smtp] {key}: {what}")
        if "auth" in value and "tls_cert" in data and not data["tls_cert"]:
            # AUTH is only offered after STARTTLS: a password must never cross the network in clear.
            raise ValueError("'auth' needs [smtp] tls_cert and tls_key (AUTH is offered only after STARTTLS)")
        return list(dict.fromkeys(value))

    @field_validator("tls_key")
    @classmethod
    def _key_needs_cert(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value and not info.data.get("tls_cert"):
            raise ValueError("tls_key needs [smtp] tls_cert (the certificate chain)")
        return value or None

    @field_validator("require_starttls")
    @classmethod
    def _starttls_needs_cert(cls, value: bool, info: ValidationInfo) -> bool:
        if value and not info.data.get("tls_cert"):
            raise ValueError("require_starttls needs [smtp] tls_cert and tls_key")
        return value

    @field_validator("data_memory_budget")
    @classmethod
    def _budget(cls, value: int, info: ValidationInfo) -> int:
        size = info.data.get("max_message_size")
        if size is not None and value < size:
            raise ValueError(f"must be at least [smtp] max_message_size ({size}), or no mail that big could arrive")
        return value

    @property
    def is_open(self) -> bool:
        return "open" in self.accept_from


class HttpSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8025, ge=0, le=65535)
    # Who may open the status page and press its buttons when the listener is not on loopback (or with
    # require_auth): a bearer token (`Authorization: Bearer ...`, or typed once into /login), and/or a
    # user with a `handoff hash-password` hash (basic auth, or /login). /healthz, /readyz and /metrics
    # stay open for probes and scrapers.
    token: SecretStr | None = None
    user: str | None = None
    password_hash: SecretStr | None = None
    # Ask for the token or password on loopback too: a reverse proxy on this host makes loopback peers
    # anyone the proxy lets in.
    require_auth: bool = False

    @field_validator("token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < 16:
            # "secret" keeps load_settings from echoing the value.
            raise ValueError("the secret must be at least 16 characters (e.g. `openssl rand -hex 24`)")
        return value

    @field_validator("password_hash")
    @classmethod
    def _password_hash(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        from handoff.smtp_auth import is_password_hash

        if value is None or not value.get_secret_value():
            return None
        if not is_password_hash(value.get_secret_value()):
            raise ValueError(
                "expected a hash printed by `handoff hash-password` (scrypt$...), never the password "
                "itself (secrets stay out of settings files)"
            )
        if not info.data.get("user"):
            raise ValueError("password_hash needs [http] user (the name to log in with); the secret is not shown")
        return value

    @field_validator("require_auth")
    @classmethod
    def _user_needs_hash(cls, value: bool, info: ValidationInfo) -> bool:
        # A password_hash that failed its own check is reported under its key, not here again.
        if info.data.get("user") and "password_hash" in info.data and info.data["password_hash"] is None:
            raise ValueError("[http] user needs [http] password_hash (from `handoff hash-password`)")
        return value

    @property
    def loopback(self) -> bool:
        """The listener is reachable from this host only (a name other than localhost counts as exposed)."""
        import ipaddress

        host = self.host.strip().strip("[]")
        if host.lower() == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    @property
    def exposed(self) -> bool:
        return self.require_auth or not self.loopback

    def exposure_problem(self) -> str | None:
        """Why `serve` must not start: an exposed status page (it can retry handoffs) nobody must log in to."""
        if not self.exposed or self.token is not None or self.password_hash is not None:
            return None
        where = "require_auth is true" if self.loopback else f"host {self.host!r} is not loopback"
        return (
            f"[http] token: required because [http] {where}; set HANDOFF_HTTP__TOKEN to a long random secret "
            "(openssl rand -hex 24), or [http] user + password_hash (`handoff hash-password`), "
            'or [http] host = "127.0.0.1"'
        )


class SpoolSettings(Section):
    url: str = "sqlite:///handoff-data/handoff.db"
    # How long a worker may hold a claimed handoff before another may take it back.
    lease_seconds: float = Field(120.0, gt=0)
    # Transient failures (Dataverse down, throttled, timing out) are retried with this backoff until the
    # handoff has waited max_queue_lifetime since it was received, then parked: a mail queue's promise
    # (Postfix's maximal_queue_lifetime is 5 days), not a count that a long outage runs through.
    retry: RetrySettings = Field(default_factory=lambda: RetrySettings(base_seconds=5.0, max_seconds=300.0))
    max_queue_lifetime: Duration = Field(5 * 86400.0, gt=0)
    # A handoff claimed this many times without an outcome (the process died or hung on it each time)
    # is parked at its next claim instead of being tried again (arq's max_tries, checked up front).
    max_claims: int = Field(5, ge=1)
    # The analysis of one mail (parse, split, guards, triage, render) runs in its own process; one that
    # takes longer is stopped and the handoff parked, so a runaway mail cannot hold the worker.
    analysis_timeout_seconds: float = Field(60.0, gt=0)
    # The analysis process's CPU priority below serve's (Unix nice steps, 0 = the same): analysis is batch
    # work, SMTP intake is latency work on the same cores, so during a burst the door takes the CPU it
    # needs and the analysis what is left; idle cores are the analysis's whatever the value.
    analysis_nice: int = Field(10, ge=0, le=19)
    # Handoffs the worker has in hand at once. The analysis runs one at a time in its own process; the
    # rest wait on Dataverse, where a backlog's handoffs share requests ([dynamics]
    # max_handoffs_per_request), so more in hand means fewer requests per handoff under a backlog.
    concurrency: int = Field(16, ge=1, le=256)
    # The memory the handoffs in hand hold at once, each counted at twice its raw mail (the mail and the
    # files decoded from it: handoff.worker.InHand), from its claim: big ones take turns (one always goes,
    # whatever its size), and a claimed one waiting for room holds further claims back.
    max_bytes_in_hand: int = Field(33_554_432, ge=1_048_576)
    # Who holds a lease: a restarted instance takes its own leases back at once, another instance's only
    # after they expire. Default: this host's name and the SMTP port, stable across restarts.
    instance_id: str | None = None
    # Retention: the raw mail of created and skipped handoffs is dropped this many days after it was
    # received (summary and ticket kept; parked ones keep theirs until resolved); 0 keeps it forever.
    keep_raw_days: float = Field(30.0, ge=0)

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError("expected sqlite:///path/handoff.db or postgresql://user@host/db")
        return value


class DynamicsSettings(Section):
    url: str = SANDBOX
    tenant_id: str = "00000000-0000-0000-0000-000000000000"
    client_id: str = "00000000-0000-0000-0000-000000000001"
    # Required for a real organisation (refused at start-up without it); the sandbox has its own.
    client_secret: SecretStr | None = None
    authority: str = "https://login.microsoftonline.com"
    default_queue_id: str | None = None
    default_owner_id: str | None = None
    default_owner_type: Literal["systemuser", "team"] = "systemuser"
    default_priority: int = Field(2, ge=1, le=3)
    ticket_properties: dict[str, int] = Field(default_factory=dict)
    timeout_seconds: float = Field(30.0, gt=0)
    # TLS CA bundle for the token endpoint and Dataverse (tests and private clouds); None = system store.
    ca_bundle: str | None = None
    # Quick retries inside one attempt (a 429's Retry-After, a 5xx, a reset), before the worker requeues.
    max_retries: int = Field(5, ge=0)
    retry: RetrySettings = Field(default_factory=lambda: RetrySettings(base_seconds=0.5, max_seconds=30.0))
    # Contact lookup: which columns hold the customer's address (searched with `or` in one GET), and
    # how long a found contact id is remembered, so a returning customer costs no lookup (0 = off).
    match_columns: list[Literal["emailaddress1", "emailaddress2", "emailaddress3"]] = Field(
        default_factory=lambda: ["emailaddress1"], min_length=1
    )
    contact_cache_seconds: float = Field(600.0, ge=0)
    # Customer attachments become notes on the case, within the organisation's own limits: Dataverse
    # counts MaxUploadFileSize on the base64 text (default 5 MiB, so files up to 3.75 MiB) and refuses
    # the extensions in Organization.BlockedAttachments. Set both to match the organisation.
    max_attachment_size: int = Field(5_242_880, gt=0)
    blocked_extensions: list[str] = Field(default_factory=lambda: sorted(DEFAULT_BLOCKED_EXTENSIONS))
    # One change set per $batch request; notes beyond this many bytes go in a further change set.
    max_request_bytes: int = Field(16_777_216, ge=1_048_576)
    # Under a backlog, up to this many handoffs' change sets share one $batch (each atomic on its own,
    # with continue-on-error) and their contact lookups one GET: Dataverse counts a $batch as one request
    # against its limit. A handoff arriving alone still goes at once. 1 = one handoff per request.
    max_handoffs_per_request: int = Field(50, ge=1, le=1000)
    # Each customer message of the thread as a received email on the case's timeline.
    timeline_emails: bool = True
    # Client-side service protection per application user (Dataverse: 6000 requests per 300 s sliding
    # window, 52 concurrent). Lower them when other integrations share the application user.
    requests_per_window: int = Field(6000, ge=1)
    window_seconds: float = Field(300.0, gt=0)
    max_concurrent: int = Field(52, ge=1, le=52)  # Dataverse refuses the 53rd concurrent request anyway
    # The combined execution time of the user's requests per window (Dataverse: 1,200 s per 300 s). Each
    # request's time from sending to its answer counts; a backlog waits for room instead of meeting 429s.
    execution_seconds_per_window: float = Field(1200.0, gt=0)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.rstrip("/")
        if value != SANDBOX and not value.startswith(("https://", "http://")):
            raise ValueError("expected https://<org>.crm.dynamics.com or 'sandbox'")
        return value

    @field_validator("default_queue_id", "default_owner_id")
    @classmethod
    def _guid(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        import uuid

        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise ValueError("expected a GUID like 00000000-0000-0000-0000-000000000000") from None

    @field_validator("blocked_extensions")
    @classmethod
    def _extensions(cls, value: list[str]) -> list[str]:
        # Dataverse lists them as "exe;dll" without dots; accept ".exe" and any case too.
        return sorted({v.strip().lstrip(".").lower() for v in value if v.strip().lstrip(".")})

    @field_validator("match_columns")
    @classmethod
    def _columns(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @property
    def sandbox(self) -> bool:
        return self.url == SANDBOX

    def secret(self) -> str:
        """The client secret; the sandbox's own when running against it."""
        if self.client_secret is not None:
            return self.client_secret.get_secret_value()
        return SANDBOX_CLIENT_SECRET if self.sandbox else ""


class Category(Section):
    id: str
    label: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)
    priority: int | None = Field(None, ge=1, le=3)


class PriorityRule(Section):
    # Raise prioritycode to `prioritycode` when any of the conditions hold.
    prioritycode: int = Field(1, ge=1, le=3)
    name: str | None = None  # shown in the priority reason; "rule N" when empty
    sentiment_at_most: float | None = None
    categories: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)


class TriageSettings(Section):
    # acme.example is the support team of the shipped samples; .example is reserved (RFC 2606), so the
    # default can never mistake a real customer for the team.
    internal_domains: list[str] = Field(default_factory=lambda: ["handoff.localhost", "acme.example"])
    # Empty means the shipped default taxonomy (handoff.triage.taxonomy).
    categories: list[Category] = Field(default_factory=list)
    fallback_category: str = "other"
    min_confidence: float = Field(0.35, ge=0, le=1)
    use_embeddings: bool = True
    # The encoder's dense layers in float32 (the model's own results) or on 8-bit integers (about half the cost of
    # a typical thread, with float32's decisions: a decision near its boundary is read again in float32; README,
    # [triage]). "auto": int8 where it runs exactly (signed weights with VNNI or on ARM, unsigned weights on other
    # x86, whose signed kernel saturates; embeddings.int8_kernels), float32 elsewhere.
    embeddings_precision: Literal["auto", "float32", "int8"] = "auto"
    priority_rules: list[PriorityRule] = Field(default_factory=list)


class GuardSettings(Section):
    enabled: list[str] | None = None
    loop_header: str = "X-Handoff-Loop"
    loop_max: int = Field(5, ge=1)
    loop_window_minutes: float = Field(60.0, gt=0)
    allow_lists: bool = False


class RenderSettings(Section):
    templates_dir: str | None = None
    description_limit: int = Field(2000, ge=200, le=2000)


class LogSettings(Section):
    """Logs go to stderr: "text" lines for people, "json" (one object a line, with `spool` and `msgid`
    fields on a handoff's lines) for a log shipper. `-v` means DEBUG whatever `level` says."""

    format: Literal["text", "json"] = "text"
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


LifecycleEvent = Literal[
    "case_updated", "case_resolved", "case_cancelled", "sla_updated", "survey_response", "contact_updated"
]
LIFECYCLE_EVENTS: tuple[LifecycleEvent, ...] = (
    "case_updated",
    "case_resolved",
    "case_cancelled",
    "sla_updated",
    "survey_response",
    "contact_updated",
)


class LifecycleSettings(Section):
    """The lifecycle follower (handoff.lifecycle): Dataverse change tracking -> MoEngage outbox."""

    # On whenever [moengage] enabled is; false keeps only "Case Created" (written by the worker).
    enabled: bool = True
    # "handoff": only the cases handoff created (the spool knows their incident ids); "all": every case.
    scope: Literal["handoff", "all"] = "handoff"
    # Which changes become MoEngage events: "Case Updated", "Case Resolved", "Case Cancelled", "SLA
    # Updated" (slakpiinstances), "Survey Response Received" (msfp_surveyresponses) and contact_updated
    # (a customer's name, mobile or email changed: a MoEngage user update).
    events: list[LifecycleEvent] = Field(default_factory=lambda: list(LIFECYCLE_EVENTS))
    # How often Dataverse is asked for changes (one request per followed table when nothing changed).
    poll_seconds: Duration = Field(30.0, gt=0)
    # Rows per page of a change tracking answer (Prefer: odata.maxpagesize; Dataverse pages at 5000).
    page_size: int = Field(1000, ge=1, le=5000)

    @field_validator("events")
    @classmethod
    def _unique_events(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class MoEngageSettings(Section):
    enabled: bool = False
    transport: Literal["partner", "data_api"] = "data_api"
    data_center: str = "01"
    base_url: str | None = None  # None → https://api-<data_center>.moengage.com, or the sandbox
    workspace_id: str = "SANDBOXWORKSPACE"
    # Required against the real service (refused at start-up without it); the emulator has its own.
    api_key: SecretStr | None = None
    config_name: str = "handoff"
    customer_id: str = "email"  # "email", "contactid", or another contact column
    max_attempts: int = Field(10, ge=1)
    # The outbox sender (handoff.moengage.sender). A lease must outlast one request (timeout_seconds).
    timeout_seconds: float = Field(10.0, gt=0)
    lease_seconds: float = Field(60.0, gt=0)
    retry: RetrySettings = Field(default_factory=lambda: RetrySettings(base_seconds=2.0, max_seconds=900.0))
    poll_seconds: float = Field(1.0, gt=0)
    # The rest of the case lifecycle (resolved, cancelled, SLA, surveys, profile changes).
    lifecycle: LifecycleSettings = Field(default_factory=LifecycleSettings)

    @property
    def sandbox(self) -> bool:
        return self.base_url == SANDBOX

    def key(self) -> str:
        if self.api_key is not None:
            return self.api_key.get_secret_value()
        return SANDBOX_API_KEY if self.sandbox else ""

    @field_validator("data_center")
    @classmethod
    def _dc(cls, value: str) -> str:
        if value not in {f"0{n}" for n in range(1, 7)}:
            raise ValueError("expected a data centre '01' to '06'")
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HANDOFF_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    spool: SpoolSettings = Field(default_factory=SpoolSettings)
    dynamics: DynamicsSettings = Field(default_factory=DynamicsSettings)
    triage: TriageSettings = Field(default_factory=TriageSettings)
    guards: GuardSettings = Field(default_factory=GuardSettings)
    render: RenderSettings = Field(default_factory=RenderSettings)
    moengage: MoEngageSettings = Field(default_factory=MoEngageSettings)
    log: LogSettings = Field(default_factory=LogSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment beats the file (passed as init kwargs); no .env magic.
        return (env_settings, init_settings)

    def missing(self) -> list[str]:
        """Settings that validate one by one but cannot work together: secrets for the real services."""
        problems = []
        if not self.dynamics.sandbox and self.dynamics.client_secret is None:
            problems.append(
                "[dynamics] client_secret: required when [dynamics] url is a real organisation "
                f"({self.dynamics.url}); set HANDOFF_DYNAMICS__CLIENT_SECRET (the app registration's secret)"
            )
        if self.moengage.enabled and not self.moengage.sandbox and self.moengage.api_key is None:
            problems.append(
                "[moengage] api_key: required when [moengage] enabled is true against the real service; "
                "set HANDOFF_MOENGAGE__API_KEY (MoEngage Settings > APIs > Data API key), or enabled = false"
            )
        return problems

    def require_complete(self) -> Settings:
        """Raise ConfigError naming every missing secret; returns self."""
        problems = self.missing()
        if problems:
            raise ConfigError("invalid settings:\n  " + "\n  ".join(problems))
        return self


def _origin(loc: tuple[Any, ...], data: dict[str, Any], file: Path | None, extra: bool = False) -> str:
    """Where a wrong value came from: the environment variable that set it, else the file, else a default."""
    env = "HANDOFF_" + "__".join(str(p).upper() for p in loc[:2])
    if any(name.upper() == env for name in os.environ):
        return f"from environment variable {env}"
    node: Any = data
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = _MISSING
            break
    if file is not None and node is not _MISSING:
        return f"in {file}" if len(loc) > 2 or extra else f"in {file}; {env} would override it"
    return f"default; set it in the config file or {env}"


_MISSING = object()
# A wrong value of these is never echoed back: someone may have pasted the real secret into the wrong key.
_SECRET_WORDS = ("secret", "api_key", "password", "token")


def _describe(error: dict[str, Any], data: dict[str, Any] | None = None, file: Path | None = None) -> str:
    loc = tuple(error["loc"])
    key = ".".join(str(part) for part in loc)
    section, _, rest = key.partition(".")
    where = f"[{section}] {rest}" if rest else key
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown setting (check the spelling against settings.example.toml)"
    origin = _origin(loc, data or {}, file, error["type"] == "extra_forbidden")
    secret = any(word in f"{key} {message}".lower() for word in _SECRET_WORDS)
    got = "" if secret else f"; got {error.get('input')!r}"
    return f"{where}: {message} ({origin}{got})"


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Load settings or raise ConfigError naming every wrong key, what it expects and where it was set."""
    path = path or os.environ.get("HANDOFF_CONFIG")
    data: dict[str, Any] = {}
    file: Path | None = None
    if path:
        file = Path(path)
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {file} not found (--config or HANDOFF_CONFIG)") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {file} is not valid TOML: {exc}") from None
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        lines = [_describe(e, data, file) for e in exc.errors(include_url=False)]
        raise ConfigError("invalid settings:\n  " + "\n  ".join(lines)) from None
    return settings
