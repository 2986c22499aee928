"""XML request bodies of REST-XML (S3) read into botocore-shaped values.

The reader is expat with DOCTYPEs and entity declarations refused, so no entity expansion
of any kind; namespace prefixes are dropped from element names. Anything that does not
parse, or does not follow the shape (an unknown enum value, a number that is not one, a
required element missing, a member given twice, elements inside a value), is S3's
``MalformedXML`` ("The XML you provided was not well-formed or did not validate against our
published schema", "Error responses"); nothing else leaves this module. Elements the shape
does not know are skipped (a newer client's members).

Element names follow botocore's rules: a member is named by its ``locationName``; a
flattened list repeats its element, named by the list member's ``locationName`` as
botocore's parser reads it (or the member's as its serializer writes it).
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable, Mapping
from typing import Any
from xml.parsers import expat

from ..errors import MalformedXML
from .scalars import parse_scalar


class XmlNode:
    __slots__ = ("tag", "attrs", "children", "text")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[XmlNode] = []
        self.text: list[str] = []

    def content(self) -> str:
        return "".join(self.text)

    def __repr__(self) -> str:
        return f"<{self.tag} {len(self.children)} children>"


class _Refused(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _Refused()


def read_xml(data: bytes) -> XmlNode:
    """An XML document as a tree of nodes, namespace prefixes dropped from element names.
    Anything that is not a well-formed document without a DOCTYPE is MalformedXML."""
    parser = expat.ParserCreate()
    stack: list[XmlNode] = []
    roots: list[XmlNode] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = XmlNode(tag.rpartition(":")[2], attrs)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, _Refused, RecursionError, ValueError, LookupError):  # LookupError: encoding="junk"
        raise MalformedXML() from None
    if len(roots) != 1:
        raise MalformedXML()
    return roots[0]


def element_name(name: str, member: Any) -> str:
    """The element a structure member is written as (botocore's rule, flattened lists
    taking their item's name)."""
    if member.type_name == "list" and member.serialization.get("flattened"):
        item_name = member.member.serialization.get("name")
        if item_name is not None:
            return str(item_name)
    return str(member.serialization.get("name", name))


def from_xml(shape: Any, node: XmlNode) -> Any:
    """The value of ``shape`` in ``node``."""
    kind = shape.type_name
    if kind == "structure":
        return _struct_from_xml(shape, node)
    if kind == "list":
        return [from_xml(shape.member, child) for child in node.children]
    if kind == "map":
        return _map_from_xml(shape, node.children)
    if node.children:  # a value with elements in it ("x<b>y</b>z"): not the schema's
        raise MalformedXML()
    text = node.content()
    if kind == "string":
        enum = shape.enum
        if enum and text not in enum:
            raise MalformedXML()
        return text
    if kind != "blob":
        text = text.strip()
    try:
        return parse_scalar(shape, text, "iso8601")
    except (ValueError, OverflowError, binascii.Error):
        raise MalformedXML() from None


def members_from_xml(node: XmlNode, members: Iterable[tuple[str, Any]], result: dict[str, Any]) -> None:
    """The values of ``members`` (name, shape) found in ``node``, into ``result``."""
    by_tag: dict[str, list[XmlNode]] = {}
    for child in node.children:
        by_tag.setdefault(child.tag, []).append(child)
    for name, member in members:
        if member.serialization.get("xmlAttribute"):
            attr = member.serialization.get("name", name)
            if attr in node.attrs:
                result[name] = node.attrs[attr]
            continue
        found = _find(by_tag, name, member)
        if not found:
            continue
        if member.type_name == "list" and member.serialization.get("flattened"):
            result[name] = [from_xml(member.member, item) for item in found]
        elif member.type_name == "map" and member.serialization.get("flattened"):
            result[name] = _map_from_xml(member, found)
        elif len(found) > 1:  # a member given twice: which one S3 would take, no schema says
            raise MalformedXML()
        else:
            result[name] = from_xml(member, found[0])


def _struct_from_xml(shape: Any, node: XmlNode) -> dict[str, Any]:
    result: dict[str, Any] = {}
    members_from_xml(node, shape.members.items(), result)
    for name in shape.required_members:
        if name not in result:
            raise MalformedXML()
    return result


def _find(by_tag: Mapping[str, list[XmlNode]], name: str, member: Any) -> list[XmlNode] | None:
    """A member's elements. A flattened list is named by its member's locationName as
    botocore's serializer writes it, or by its item's as botocore's parser reads it."""
    found = by_tag.get(str(member.serialization.get("name", name)))
    if found is None and member.type_name == "list" and member.serialization.get("flattened"):
        found = by_tag.get(element_name(name, member))
    return found


def _map_from_xml(shape: Any, entries: list[XmlNode]) -> dict[str, Any]:
    key_name = shape.key.serialization.get("name", "key")
    value_name = shape.value.serialization.get("name", "value")
    result: dict[str, Any] = {}
    for entry in entries:
        key: XmlNode | None = None
        value: XmlNode | None = None
        for child in entry.children:
            if child.tag == key_name:
                key = child
            elif child.tag == value_name:
                value = child
        if key is None or value is None:
            raise MalformedXML()
        result[key.content()] = from_xml(shape.value, value)
    return result
