"""One settings tree, loaded once by the CLI and handed out section by section.

Sources, strongest first: environment variables `HANDOFF_<SECTION>__<KEY>`, the TOML file given by
`--config` or `HANDOFF_CONFIG`, then the embedded defaults (a sandbox that runs with no file at all).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from handoff.errors import ConfigError

SANDBOX = "sandbox"
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


class SmtpSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(2525, ge=0, le=65535)
    # Accepted recipients; an entry "@domain" accepts the whole domain.
    recipients: list[str] = Field(default_factory=lambda: ["@handoff.localhost"], min_length=1)
    max_message_size: int = Field(26_214_400, gt=0)
    hostname: str | None = None

    @field_validator("recipients")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        for entry in value:
            if "@" not in entry:
                raise ValueError(f"{entry!r} is neither an address nor '@domain'")
        return [entry.strip().lower() for entry in value]


class HttpSettings(Section):
    host: str = "127.0.0.1"
    port: int = Field(8025, ge=0, le=65535)


class SpoolSettings(Section):
    url: str = "sqlite:///handoff-data/handoff.db"
    # How long a worker may hold a claimed handoff before another may take it back.
    lease_seconds: float = Field(120.0, gt=0)
    max_attempts: int = Field(8, ge=1)
    retry_base_seconds: float = Field(5.0, gt=0)
    retry_max_seconds: float = Field(900.0, gt=0)

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
    client_secret: SecretStr = SecretStr("sandbox-secret")
    authority: str = "https://login.microsoftonline.com"
    default_queue_id: str | None = None
    default_owner_id: str | None = None
    default_owner_type: Literal["systemuser", "team"] = "systemuser"
    default_priority: int = Field(2, ge=1, le=3)
    ticket_properties: dict[str, int] = Field(default_factory=dict)
    timeout_seconds: float = Field(30.0, gt=0)
    # TLS CA bundle for the token endpoint and Dataverse (tests and private clouds); None = system store.
    ca_bundle: str | None = None
    max_retries: int = Field(5, ge=0)
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
    # Each customer message of the thread as a received email on the case's timeline.
    timeline_emails: bool = True
    # Client-side service protection per application user (Dataverse: 6000 requests per 300 s sliding
    # window, 52 concurrent). Lower them when other integrations share the application user.
    requests_per_window: int = Field(6000, ge=1)
    window_seconds: float = Field(300.0, gt=0)
    max_concurrent: int = Field(52, ge=1, le=52)  # Dataverse refuses the 53rd concurrent request anyway

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


class MoEngageSettings(Section):
    enabled: bool = False
    transport: Literal["partner", "data_api"] = "data_api"
    data_center: str = "01"
    base_url: str | None = None  # None → https://api-<data_center>.moengage.com, or the sandbox
    workspace_id: str = "SANDBOXWORKSPACE"
    api_key: SecretStr = SecretStr("sandbox-key")
    config_name: str = "handoff"
    customer_id: str = "email"  # "email", "contactid", or another contact column
    max_attempts: int = Field(10, ge=1)
    # The outbox sender (handoff.moengage.sender). A lease must outlast one request (timeout_seconds).
    timeout_seconds: float = Field(10.0, gt=0)
    lease_seconds: float = Field(60.0, gt=0)
    retry_base_seconds: float = Field(2.0, gt=0)
    retry_max_seconds: float = Field(900.0, gt=0)
    poll_seconds: float = Field(1.0, gt=0)

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


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(part) for part in error["loc"])
    section, _, rest = key.partition(".")
    where = f"[{section}] {rest}" if rest else key
    env = "HANDOFF_" + "__".join(str(p).upper() for p in error["loc"])
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown setting (check the spelling against settings.example.toml)"
    return f"{where}: {message} (got {error.get('input')!r}; env {env})"


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Load settings or raise ConfigError naming every wrong key and what it expects."""
    path = path or os.environ.get("HANDOFF_CONFIG")
    data: dict[str, Any] = {}
    if path:
        file = Path(path)
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {file} not found (--config or HANDOFF_CONFIG)") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {file} is not valid TOML: {exc}") from None
    try:
        return Settings(**data)
    except ValidationError as exc:
        lines = [_describe(e) for e in exc.errors(include_url=False)]
        # Never echo a secret back, even a wrong one.
        lines = [line if "secret" not in line and "api_key" not in line else line.split(" (got")[0] for line in lines]
        raise ConfigError("invalid settings:\n  " + "\n  ".join(lines)) from None
