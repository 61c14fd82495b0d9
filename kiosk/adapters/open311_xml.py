"""Open311 GeoReport v2 XML answers, turned into the same Python shapes as their JSON form.

XML is the format every GeoReport v2 server must offer (JSON is optional: docs/central-systems.md),
so the adapter reads both. Parsing goes through defusedxml only, with DTDs forbidden: a GeoReport
answer never needs one, and refusing them stops entity expansion ("billion laughs"), external
entities and external DTD fetches before anything is expanded.

The conversion is generic: an element with children becomes a dict, a leaf its text, and the
list containers of the spec (services/service, service_requests/request, attributes/attribute,
values/value, errors/error, service_request_updates/request_update, endpoints/endpoint,
formats/format) become lists. So `<services><service>…</service></services>` gives
`[{"service_code": "…", …}]`, exactly what `services.json` gives. Every value stays a string;
the adapter normalises types for JSON and XML alike.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from kiosk.core.central import CentralError, CentralFailure

#: Container element → the element of its items (GeoReport v2 spec XML examples; mySociety's
#: servicerequestupdates; the spec's error format `<errors><error>`).
LIST_CONTAINERS: dict[str, str] = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "errors": "error",
    "service_request_updates": "request_update",
    "endpoints": "endpoint",
    "formats": "format",
}
#: Deepest nesting a GeoReport answer has (service_definition/attributes/attribute/values/
#: value/key is 6); deeper documents are refused before recursing into them.
MAX_DEPTH = 12


def parse_open311_xml(body: bytes, where: str) -> Any:
    """The answer as lists, dicts and strings; CentralError(MALFORMED) for anything else."""
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise CentralError(CentralFailure.MALFORMED,
                           f"{where}: XML refused ({type(err).__name__})") from None
    except (ParseError, ValueError, LookupError):
        # LookupError: an encoding the XML declaration names and Python does not know.
        raise CentralError(CentralFailure.MALFORMED, f"{where}: answer is not valid XML") from None
    return _convert(root, where, 0)


def _local(tag: object) -> str:
    """The tag without a namespace ("{ns}service" → "service")."""
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def _convert(element: Element, where: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise CentralError(CentralFailure.MALFORMED, f"{where}: XML nested too deeply")
    tag = _local(element.tag)
    children = [child for child in element if _local(child.tag)]
    if tag in LIST_CONTAINERS:
        item = LIST_CONTAINERS[tag]
        return [_convert(child, where, depth + 1) for child in children
                if _local(child.tag) == item]
    if not children:
        return (element.text or "").strip()
    result: dict[str, Any] = {}
    for child in children:
        name = _local(child.tag)
        value = _convert(child, where, depth + 1)
        if name in result:  # a repeated element outside a known container: keep them all
            previous = result[name]
            result[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            result[name] = value
    return result
