"""Write campaign documents as YAML a person would write: block style, keys in order,
multi-line text as literal blocks, and the editor modeline that points at the schema."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Safe dumper that indents lists under their key and keeps long lines whole."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not any(line != line.rstrip() for line in value.splitlines()):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def dump_document(document: dict[str, Any], *, schema: str | None = None) -> str:
    """One YAML document; ``schema`` is the modeline's path to the JSON Schema."""
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000)
    head = f"# yaml-language-server: $schema={schema}\n" if schema else ""
    return head + body
