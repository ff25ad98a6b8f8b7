"""Load camp.yaml and campaign files into validated models, collecting every problem.

The pipeline per document: YAML (located) → JSON Schema → pydantic model → kind-specific rules →
references across documents (accounts, duplicate names). Problems are collected, never raised
one by one, so a user fixes everything in one round: a document with schema errors still gets
the later checks on its well-formed part (the document without the keys in error, as if they
were not written), so fixing the schema errors reveals nothing that was there all along.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from reconciler.config.context import DocContext
from reconciler.config.kinds import KindSpec, KindTable
from reconciler.config.models import CampaignBase, CampConfig
from reconciler.config.problems import Location, Problem
from reconciler.config.references import display_path
from reconciler.config.schema import schema_file_name, validator_for
from reconciler.config.schema_errors import dotted, invalid_keys, locate, schema_problems
from reconciler.config.yamlload import LocatedDict, YamlError, load_documents, read_text

YAML_SUFFIXES = (".yaml", ".yml")
_Prepared = TypeVar("_Prepared")
_Campaign = TypeVar("_Campaign", bound=CampaignBase)


@dataclass(frozen=True)
class CampaignDoc:
    """One valid campaign document with everything later stages need."""

    campaign: CampaignBase
    account: str
    data: LocatedDict
    yaml_path: Path
    prepared: object = None  # what the vendor's offline checks prepared (KindSpec.check)
    files: tuple[Path, ...] = ()  # the files it refers to (leads CSV, Markdown body), resolved

    def prepared_as(self, cls: type[_Prepared]) -> _Prepared:
        """``prepared`` as the vendor's own type (a vendor reads only its own documents)."""
        if not isinstance(self.prepared, cls):
            raise TypeError(f"{self.kind} document prepared as {type(self.prepared).__name__}")
        return self.prepared

    def campaign_as(self, cls: type[_Campaign]) -> _Campaign:
        """``campaign`` as the vendor's own model."""
        if not isinstance(self.campaign, cls):
            raise TypeError(f"{self.kind} document is a {type(self.campaign).__name__}")
        return self.campaign

    @property
    def location(self) -> Location:
        return self.data.key_location("name") if "name" in self.data else self.data.location

    @property
    def kind(self) -> str:
        kind: str = getattr(self.campaign, "kind")  # noqa: B009 (each vendor model declares it)
        return kind

    @property
    def state(self) -> str | None:
        """The lifecycle state the YAML asks for (``absent`` means delete), if any."""
        state: str | None = getattr(self.campaign, "state", None)
        return state


@dataclass
class Workspace:
    """The result of loading: config, campaigns, and every problem found on the way."""

    config: CampConfig | None
    config_path: Path
    root: Path
    campaigns: list[CampaignDoc] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def _pydantic_problems(exc: ValidationError, data: Any, start: Location) -> list[Problem]:
    out = []
    for err in exc.errors():
        path = [p for p in err["loc"] if not (isinstance(p, str) and "[" in p)]
        where = locate(data, path, start)
        out.append(Problem(where, f"{dotted(path)}: {err['msg']}"))
    return out


def _validated(
    model: type[Any], schema: str, kinds: KindTable, data: Any, start: Location
) -> tuple[Any, list[Problem]]:
    """The model, or located problems. The model is as strict as the schema and much faster,
    so it goes first; the schema explains a failure in the user's terms."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = schema_problems(validator_for(schema, kinds), data, start)
        return None, problems or _pydantic_problems(exc, data, start)


def _well_formed_part(
    model: type[_Campaign], schema: str, kinds: KindTable, data: Any
) -> _Campaign | None:
    """``data`` without its top-level keys in error, as the model; None when that is not a
    valid document either (a required key is missing or wrong).

    Later checks run on it so every problem shows in one run; a key in error reads as not
    written, which is what the vendor checks already handle (an omitted key is unmanaged).
    """
    bad = invalid_keys(validator_for(schema, kinds), data)
    if not bad or not isinstance(data, LocatedDict):
        return None
    rest = {key: value for key, value in data.items() if key not in bad}
    try:
        return model.model_validate(rest)
    except ValidationError:
        return None


def load_config(path: Path, kinds: KindTable) -> tuple[CampConfig | None, list[Problem]]:
    """Read camp.yaml; a missing file is a located problem, not an exception."""
    shown = display_path(path)
    if not path.is_file():
        hint = "create camp.yaml at the repository root (see README), or pass --config PATH"
        return None, [Problem(Location(shown), "config file not found", hint)]
    try:
        docs = load_documents(read_text(str(path), shown), shown)
    except YamlError as exc:
        return None, [exc.problem]
    if len(docs) != 1:
        return None, [Problem(Location(shown), "camp.yaml must hold exactly one YAML document")]
    data = docs[0].data
    config, problems = _validated(CampConfig, "camp.schema.json", kinds, data, docs[0].location)
    if config is not None:
        problems = _unknown_providers(config, data, kinds)
    return (None if problems else config), problems


def config_location(path: Path, keys: Sequence[str]) -> Location:
    """Where ``keys`` (``["accounts", "cold", "api_key_env"]``) sit in camp.yaml, for a
    message about a value read earlier (a key variable unset, a base URL unreachable).

    Read again on demand (only an error needs it), so a loaded config carries no locations;
    the file's name alone when it cannot be read or the key is gone.
    """
    shown = display_path(path)
    try:
        docs = load_documents(read_text(str(path), shown), shown)
    except YamlError:
        return Location(shown)
    if len(docs) != 1:
        return Location(shown)
    return locate(docs[0].data, list(keys), docs[0].location)


def _unknown_providers(config: CampConfig, data: LocatedDict, kinds: KindTable) -> list[Problem]:
    """``provider:`` must name a registered vendor (the schema's enum says the same)."""
    known = [spec.provider for spec in kinds]
    return [
        Problem(
            locate(data, ["accounts", key, "provider"], data.location),
            f"accounts.{key}.provider: {account.provider!r} is not one of {', '.join(known)}",
        )
        for key, account in config.accounts.items()
        if account.provider not in known
    ]


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand directories into their YAML files (sorted); report paths that don't exist."""
    files: list[Path] = []
    problems = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file())
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            hint = "pass campaign files or directories (default: campaigns/)"
            problems.append(Problem(Location(str(path)), "no such file or directory", hint))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def _kind_of(data: Any, start: Location, kinds: KindTable) -> tuple[KindSpec | None, list[Problem]]:
    if not isinstance(data, LocatedDict):
        return None, [Problem(start, "a campaign document must be a mapping of keys to values")]
    kind = data.get("kind")
    names = ", ".join(spec.kind for spec in kinds)
    for spec in kinds:
        if kind == spec.kind:
            return spec, []
    if kind is None:
        hint = f"add `kind:` with one of: {names}"
        return None, [Problem(start, "missing required key 'kind'", hint)]
    if not isinstance(kind, str):
        where = data.value_location("kind")
        return None, [Problem(where, f"kind: must be one of {names}")]
    validator = validator_for("campaign.schema.json", kinds)
    problems = schema_problems(validator, {"kind": kind}, start)
    where = data.value_location("kind")
    return None, [Problem(where, p.message, p.hint) for p in problems]


OnDocument = Callable[[CampaignDoc], None]


class Loader:
    """Loads campaign files against one camp.yaml.

    ``on_document`` hears of each document as soon as it is valid on its own, so that work
    that needs only its account (listing live campaigns) can start while the rest loads; the
    workspace may still turn out invalid (a duplicate name further on).
    """

    def __init__(
        self, workspace: Workspace, kinds: KindTable, on_document: OnDocument | None = None
    ) -> None:
        self.ws = workspace
        self.kinds = kinds
        self.seen: dict[tuple[str, str], CampaignDoc] = {}
        self.on_document = on_document

    def load_file(self, path: Path) -> None:
        shown = display_path(path)
        self.ws.files += 1
        try:
            docs = load_documents(read_text(str(path), shown), shown)
        except YamlError as exc:
            self.ws.problems.append(exc.problem)
            return
        for doc in docs:
            self._load_document(doc.data, doc.location, path)

    def _load_document(self, data: Any, start: Location, path: Path) -> None:
        spec, problems = _kind_of(data, start, self.kinds)
        if spec is None:
            self.ws.problems.extend(problems)
            return
        schema = schema_file_name(spec.kind)
        campaign, problems = _validated(spec.model, schema, self.kinds, data, start)
        self.ws.problems.extend(problems)
        valid = campaign is not None
        if campaign is None:
            campaign = _well_formed_part(spec.model, schema, self.kinds, data)
            if campaign is None:
                return
        ctx = DocContext(data, path, self.ws.root, display_path(path))
        doc = self._checked(ctx, spec, campaign)
        self.ws.problems.extend(ctx.problems)
        if valid and doc is not None and not any(p.is_error for p in ctx.problems):
            self.ws.campaigns.append(doc)
            if self.on_document is not None:
                self.on_document(doc)

    def _checked(
        self, ctx: DocContext, spec: KindSpec, campaign: CampaignBase
    ) -> CampaignDoc | None:
        account = self._account(ctx, spec.provider, campaign)
        prepared = spec.check(ctx, campaign)
        if account is None:
            return None
        doc = CampaignDoc(campaign, account, ctx.data, ctx.yaml_path, prepared, tuple(ctx.files))
        self._check_unique(ctx, doc)
        return doc

    def _account(self, ctx: DocContext, provider: str, campaign: CampaignBase) -> str | None:
        config = self.ws.config
        if config is None:
            return None
        if campaign.account is None:
            return _default_account(ctx, config, provider)
        account = config.accounts.get(campaign.account)
        if account is None:
            ctx.error(
                ["account"],
                f"no account {campaign.account!r} in camp.yaml",
                _accounts_hint(config, provider),
            )
            return None
        if account.provider != provider:
            ctx.error(
                ["account"],
                f"account {campaign.account!r} is for {account.provider}, not {provider}",
                _accounts_hint(config, provider),
            )
            return None
        return campaign.account

    def _check_unique(self, ctx: DocContext, doc: CampaignDoc) -> None:
        """One document per (account, name); documents that pin distinct ids may share a name
        (live duplicates, each managed through its own ``id:``)."""
        pinned = doc.campaign.id
        key = (doc.account, f"id:{pinned}" if pinned else doc.campaign.name)
        first = self.seen.get(key) or self._unpinned_twin(doc)
        if first is None:
            self.seen[key] = doc
            self.seen.setdefault((doc.account, doc.campaign.name), doc)
            return
        if pinned and first.campaign.id == pinned:
            ctx.error(
                ["id"],
                f"live campaign {pinned!r} is already managed by {first.location}",
                "each live campaign is described by one document: remove one of them",
            )
            return
        ctx.error(
            ["name"],
            f"campaign {doc.campaign.name!r} of account {doc.account!r} is already defined "
            f"at {first.location}",
            "names identify campaigns within an account: rename one of them, or pin each "
            "live duplicate with its own `id:`",
        )

    def _unpinned_twin(self, doc: CampaignDoc) -> CampaignDoc | None:
        """A document with the same name, unless both pin (different) ids."""
        other = self.seen.get((doc.account, doc.campaign.name))
        if other is None or (other.campaign.id and doc.campaign.id):
            return None
        return other


def _accounts_hint(config: CampConfig, provider: str) -> str:
    keys = [k for k, a in config.accounts.items() if a.provider == provider]
    if not keys:
        return f"add a {provider} account to camp.yaml"
    return f"{provider} accounts in camp.yaml: {', '.join(keys)}"


def _default_account(ctx: DocContext, config: CampConfig, provider: str) -> str | None:
    keys = [k for k, a in config.accounts.items() if a.provider == provider]
    if len(keys) == 1:
        return keys[0]
    ctx.error(
        ["kind"],
        f"no `account:` given and camp.yaml has {len(keys) or 'no'} {provider} accounts",
        _accounts_hint(config, provider) + "; set `account:` to pick one",
    )
    return None


def load_workspace(
    config_path: Path,
    paths: Iterable[Path],
    kinds: KindTable,
    on_document: OnDocument | None = None,
) -> Workspace:
    """Load camp.yaml and every campaign under ``paths``; never raises for bad input.

    ``kinds`` comes from the provider registry: the loader knows no vendor by name.
    """
    config, problems = load_config(config_path, kinds)
    ws = Workspace(config, config_path, config_path.resolve().parent, problems=problems)
    files, missing = discover(list(paths))
    ws.problems.extend(missing)
    loader = Loader(ws, kinds, on_document)
    for path in files:
        loader.load_file(path)
    return ws
