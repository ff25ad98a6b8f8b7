"""Turn JSON Schema errors into located problems a person can act on.

jsonschema's own messages (``'x' is not valid under any of the given schemas``) describe the
schema, not the fix. Each validator kind gets a message that names the field, the value and the
limit, located at the offending key or value, with a did-you-mean for near-miss keys.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # jsonschema loads only when a document fails (see loader._validated)
    from jsonschema import Draft202012Validator, ValidationError

from reconciler.config.problems import Location, Problem
from reconciler.config.yamlload import LocatedDict, LocatedList

_TYPE_NAMES = {
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


def dotted(path: Sequence[Any]) -> str:
    """``("variants", 1, "subject_template")`` → ``variants[1].subject_template``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "document"


def locate(root: Any, path: Sequence[Any], fallback: Location, *, key: bool = False) -> Location:
    """The location of the value at ``path`` (or of its key, with ``key=True``)."""
    node, where = root, fallback
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, LocatedDict) and isinstance(part, str) and part in node:
            where = node.key_location(part) if (last and key) else node.value_location(part)
            node = node[part]
        elif isinstance(node, LocatedList) and isinstance(part, int) and part < len(node):
            where, node = node.value_location(part), node[part]
        else:
            break
    return where


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        keys = ", ".join(repr(k) for k in list(value)[:4])
        return f"a mapping with keys {keys}" if keys else "an empty mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def _expected(schema: dict[str, Any]) -> str:
    kinds = schema.get("type")
    names = [kinds] if isinstance(kinds, str) else list(kinds or [])
    return " or ".join(_TYPE_NAMES.get(n, n) for n in names) or "a valid value"


def _schema(error: ValidationError) -> dict[str, Any]:
    return cast(dict[str, Any], error.schema)


def _instance(error: ValidationError) -> Any:
    return cast(Any, error.instance)


def _unknown_keys(error: ValidationError, root: Any, start: Location) -> list[Problem]:
    known = list(_schema(error).get("properties", {}))
    problems = []
    for extra in sorted(set(_instance(error)) - set(known)):
        path = [*error.absolute_path, extra]
        hint = _suggest(extra, known) or f"allowed keys here: {', '.join(known)}"
        if extra in ("api_key", "apikey", "token", "secret"):
            hint = "never write secrets in camp.yaml: name the environment variable in api_key_env"
        problems.append(
            Problem(locate(root, path, start, key=True), f"unknown key {extra!r}", hint)
        )
    return problems


def _resolve(option: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = option.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return cast(dict[str, Any], defs.get(ref.removeprefix("#/$defs/"), option))
    return option


def _branch_errors(error: ValidationError, defs: dict[str, Any]) -> list[ValidationError]:
    """For anyOf/oneOf, the sub-errors of the branch the user most likely meant."""
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        branches.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    schema = _schema(error)
    options = [_resolve(o, defs) for o in schema.get("anyOf") or schema.get("oneOf") or []]
    candidates = [errs for idx, errs in branches.items() if options[idx].get("type") != "null"]
    instance = _instance(error)
    if isinstance(instance, dict):
        for idx, errs in branches.items():
            if set(instance) & set(options[idx].get("properties", {})):
                return errs
    return candidates[0] if len(candidates) == 1 else []


def _forms(error: ValidationError, defs: dict[str, Any]) -> str:
    """For a mapping that fits no branch: the key sets each branch expects."""
    schema = _schema(error)
    options = [_resolve(o, defs) for o in schema.get("anyOf") or schema.get("oneOf") or []]
    shapes = [" + ".join(o.get("required", [])) for o in options if o.get("type") == "object"]
    return f"expected one of: {'; '.join(s for s in shapes if s)}" if shapes else ""


def _message(error: ValidationError) -> tuple[str, str]:
    v, inst, limit = error.validator, _instance(error), cast(Any, error.validator_value)
    got = _describe(inst)
    if v == "type":
        return f"must be {_expected(_schema(error))}, got {got}", ""
    if v in ("enum", "const"):
        allowed = [limit] if v == "const" else list(limit)
        hint = _suggest(str(inst), [str(a) for a in allowed])
        return f"{got} is not allowed here", hint or f"use one of: {', '.join(map(str, allowed))}"
    bounds = {
        "minimum": f"must be at least {limit}",
        "maximum": f"must be at most {limit}",
        "exclusiveMinimum": f"must be greater than {limit}",
        "exclusiveMaximum": f"must be less than {limit}",
    }
    if v in bounds:
        return f"{bounds[v]} (got {got})", ""
    if v in ("minLength", "maxLength"):
        word = "at least" if v == "minLength" else "at most"
        return f"must be {word} {limit} characters long (got {len(inst)})", ""
    if v in ("minItems", "maxItems"):
        word = "at least" if v == "minItems" else "at most"
        return f"must have {word} {limit} item{'s' if limit != 1 else ''} (got {len(inst)})", ""
    if v == "minProperties":
        return "must not be empty", ""
    if v == "uniqueItems":
        return "must not repeat a value", "remove the duplicate entries"
    if v == "pattern":
        return f"{got} has the wrong form", _schema(error).get("description", f"expected {limit}")
    return error.message, ""


def _field_problem(
    error: ValidationError, root: Any, start: Location, defs: dict[str, Any]
) -> list[Problem]:
    v = error.validator
    if v == "additionalProperties":
        return _unknown_keys(error, root, start)
    if v in ("anyOf", "oneOf"):
        subs = _branch_errors(error, defs)
        if subs:
            return [p for sub in subs for p in _field_problem(sub, root, start, defs)]
        where = locate(root, list(error.absolute_path), start)
        field = dotted(error.absolute_path)
        return [
            Problem(
                where,
                f"{field}: {_describe(error.instance)} is not a valid form here",
                _forms(error, defs),
            )
        ]
    if v == "required":
        instance = _instance(error)
        missing = [k for k in cast(list[str], error.validator_value) if k not in instance]
        where = locate(root, list(error.absolute_path), start)
        field = dotted(error.absolute_path)
        inside = f" in {field}" if error.absolute_path else ""
        return [
            Problem(where, f"missing required key {key!r}{inside}", f"add `{key}: ...`")
            for key in missing
        ]
    message, hint = _message(error)
    where = locate(root, list(error.absolute_path), start)
    return [Problem(where, f"{dotted(error.absolute_path)}: {message}", hint)]


def schema_problems(validator: Draft202012Validator, data: Any, start: Location) -> list[Problem]:
    """Every schema violation in ``data``, located, in document order."""
    problems: list[Problem] = []
    defs = cast(dict[str, Any], validator.schema).get("$defs", {})
    for error in validator.iter_errors(data):
        problems.extend(_field_problem(error, data, start, defs))
    unique = {(p.location, p.message): p for p in problems}
    return sorted(unique.values(), key=lambda p: (p.location.line, p.location.col, p.message))


def invalid_keys(validator: Draft202012Validator, data: Any) -> set[str] | None:
    """The top-level keys of ``data`` holding a schema violation (unknown keys included);
    None when a violation is about the document as a whole (a required key missing), which
    leaving keys out cannot mend."""
    keys: set[str] = set()
    for error in validator.iter_errors(data):
        if error.absolute_path:
            keys.add(str(error.absolute_path[0]))
        elif error.validator == "additionalProperties" and isinstance(data, dict):
            keys |= set(data) - set(_schema(error).get("properties", {}))
        else:
            return None
    return keys
