"""One request in a service's own wire protocol, written by hand so that it can carry what an
SDK would refuse to send: wrong types, numbers past 64 bits, lone surrogates, invalid UTF-8.

`WireRequest.for_operation` lays out an input as awsJson1_0 (Step Functions), restJson1
(Bedrock) or restXml (S3) from the botocore operation model's locations (uri, querystring,
header, headers, payload); `send` signs it with SigV4 when asked and sends it over a kept-alive
`http.client` connection; `problems_with` lists what is wrong with the answer.
"""
import base64
import datetime
import json
import math
import urllib.parse
import xml.etree.ElementTree as ElementTree

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.eventstream import EventStreamBuffer

CREDENTIALS = Credentials("AKIDUNDERSTUDYTEST01", "understudy-test-secret")
TARGET_PREFIX = {"states": "AWSStepFunctions"}
REQUEST_ID_HEADERS = ("x-amzn-requestid", "x-amz-request-id")
# NIO refuses a head (request line and headers) past about 80 KiB before any service sees it.
HEAD_LIMIT = 64 * 1024


class WireRequest:
    """Method, path with query, headers and body of one request."""

    def __init__(self, method, path, headers, body, signing_name):
        self.method, self.path, self.headers, self.body = method, path, headers, body
        self.signing_name = signing_name

    def __repr__(self):
        headers = {k: (v if len(v) < 80 else v[:80] + f"...({len(v)})") for k, v in self.headers.items()}
        path = self.path if len(self.path) < 200 else self.path[:200] + f"...({len(self.path)})"
        return f"{self.method} {path} {headers} body({len(self.body)}) {self.body[:200]!r}"

    def head_bytes(self):
        return len(self.method) + len(self.path) + sum(len(k) + len(v) + 4 for k, v in self.headers.items())

    def malformed_head(self):
        """Whether HTTP itself refuses the head: too long, or a control character in a header
        value (RFC 9110 5.5); the edge answers those 400 in the service's error shape, before
        any service, and closes the connection."""
        return self.head_bytes() > HEAD_LIMIT or any(
            (c < " " and c != "\t") or c == "\x7f" for value in self.headers.values() for c in value)

    @classmethod
    def for_operation(cls, service_model, operation, params):
        protocol = service_model.protocol
        signing = service_model.signing_name
        if protocol == "json":
            target = f"{service_model.metadata['targetPrefix']}.{operation.name}"
            headers = {"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"}
            return cls("POST", "/", headers, json_bytes(params), signing)
        return cls._rest(protocol, operation, params, signing)

    @classmethod
    def _rest(cls, protocol, operation, params, signing):
        shape = operation.input_shape
        uri = operation.http["requestUri"]
        path_template, _, literal_query = uri.partition("?")
        query = [tuple(p.partition("=")[::2]) for p in literal_query.split("&") if p]
        headers, body_members, payload = {}, {}, None
        payload_name = shape.serialization.get("payload") if shape else None
        for name, value in params.items():
            member = shape.members.get(name) if shape else None
            location = member.serialization.get("location") if member else None
            wire_name = member.serialization.get("name", name) if member else name
            if location == "uri":
                greedy = "{" + wire_name + "+}" in path_template
                encoded = encode_label(value, greedy)
                path_template = path_template.replace("{" + wire_name + "+}", encoded).replace("{" + wire_name + "}", encoded)
            elif location == "querystring":
                if isinstance(value, dict):
                    query += [(str(k), text(v)) for k, v in value.items()]
                elif isinstance(value, list):
                    query += [(wire_name, text(v)) for v in value]
                else:
                    query.append((wire_name, text(value)))
            elif location == "header":
                headers[wire_name] = header_text(value, member)
            elif location == "headers":
                if isinstance(value, dict):
                    for k, v in value.items():
                        headers[wire_name + header_token(k)] = header_text(v, None)
                else:
                    headers[wire_name + "x"] = header_text(value, None)
            elif name == payload_name:
                payload = (member, value)
            else:
                body_members[name] = value
        # A URI label the input lacks stays empty: the server must still answer.
        while "{" in path_template:
            start, end = path_template.index("{"), path_template.find("}", path_template.index("{"))
            path_template = path_template[:start] + path_template[end + 1:]
        body = b""
        if payload is not None:
            member, value = payload
            if member.type_name == "blob" or isinstance(value, (bytes, str)):
                body = value if isinstance(value, bytes) else text(value).encode("utf-8", "surrogatepass")
            elif protocol == "rest-xml":
                body = xml_bytes(member, value)
            else:
                body = json_bytes(value)
        elif body_members and protocol == "rest-json":
            body = json_bytes(body_members)
            headers.setdefault("Content-Type", "application/json")
        path = path_template or "/"
        if query:
            path += "?" + "&".join(quote(k) + ("=" + quote(v) if v != "" or protocol != "rest-xml" else "") for k, v in query)
        return cls(operation.http["method"], path, headers, body, signing)

    def send(self, connection, signed=True, region="us-east-1"):
        """Sends on `connection` (an http.client.HTTPConnection); returns (status, headers, body)."""
        headers = {k: v for k, v in self.headers.items() if k.lower() != "content-length"}
        if signed:
            url = f"http://{connection.host}:{connection.port}{self.path}"
            try:
                request = AWSRequest(method=self.method, url=url, data=self.body, headers=headers)
                request.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
                SigV4Auth(CREDENTIALS, self.signing_name, region).add_auth(request)
                headers = dict(request.headers.items())
            except (UnicodeError, ValueError):
                pass  # what botocore cannot sign goes unsigned
        has_host = any(k.lower() == "host" for k in headers)
        connection.putrequest(self.method, self.path, skip_host=has_host, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.putheader("Content-Length", str(len(self.body)))
        connection.endheaders(self.body)
        response = connection.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body, response


def json_bytes(value):
    """JSON the way a careless client writes it: NaN and infinities as bare words, lone
    surrogates as escapes, integers of any size, bytes as base64, dates as epoch seconds."""
    return json.dumps(value, default=_json_default, allow_nan=True).encode()


def _json_default(value):
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    return str(value)


def text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (dict, list)) or value is None:
        return json.dumps(value)
    return str(value)


def header_text(value, member):
    if isinstance(value, datetime.datetime):
        return value.strftime("%a, %d %b %Y %H:%M:%S GMT")
    if member is not None and member.serialization.get("jsonvalue"):
        return base64.b64encode(json_bytes(value)).decode()
    raw = text(value).encode("utf-8", "surrogatepass")
    # http.client refuses CR and LF in a header value; the raw-socket tests send those.
    return raw.replace(b"\r", b" ").replace(b"\n", b" ").decode("latin-1")


def header_token(name):
    # A header name is a token; what else a map key holds cannot be a header name at all.
    return "".join(c for c in str(name) if c.isascii() and (c.isalnum() or c in "-_.!#$%&'*+^`|~")) or "x"


def quote(value):
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="-_.~")


def encode_label(value, greedy):
    raw = text(value).encode("utf-8", "surrogatepass")
    return urllib.parse.quote(raw, safe="-_.~/" if greedy else "-_.~")


def xml_bytes(shape, value):
    name = shape.serialization.get("name", shape.name)
    root = ElementTree.Element(name)
    namespace = shape.serialization.get("xmlNamespace", {}).get("uri")
    if namespace:
        root.set("xmlns", namespace)
    _xml_fill(root, shape, value)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)


def _xml_fill(element, shape, value):
    kind = shape.type_name if shape is not None else None
    if kind == "structure" and isinstance(value, dict):
        for name, item in value.items():
            member = shape.members.get(name)
            _xml_member(element, name, member, item)
    elif kind == "list" and isinstance(value, list):
        inner = shape.member.serialization.get("name", "member")
        for item in value:
            _xml_fill(ElementTree.SubElement(element, inner), shape.member, item)
    else:
        element.text = xml_safe(text(value))


def _xml_member(parent, name, member, value):
    wire_name = member.serialization.get("name", name) if member else name
    if member is not None and member.type_name == "list" and member.serialization.get("flattened") and isinstance(value, list):
        item_name = member.member.serialization.get("name", wire_name)
        for item in value:
            _xml_fill(ElementTree.SubElement(parent, item_name), member.member, item)
        return
    try:
        child = ElementTree.SubElement(parent, wire_name)
    except ValueError:
        child = ElementTree.SubElement(parent, "Odd")
    _xml_fill(child, member, value)


def xml_safe(value):
    # XML 1.0 cannot carry NUL or lone surrogates even escaped: those become U+FFFD.
    return "".join(c if c in "\t\n\r" or (" " <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd") or c > "\uffff" else "\ufffd" for c in value)


CONTROL_CHARACTERS = bytes(c for c in range(32) if c not in (9, 10, 13))
FORBIDDEN_IN_XML = "XML carries a character XML 1.0 forbids"
# A bare 400 (no body): what the edge once answered a head HTTP refuses; now a finding.
EDGE_REFUSAL = "a bare 400 from the edge"


def xml_problem(what, body):
    """Names why `body` does not parse: a C0 control or U+FFFE/U+FFFF written raw (what the
    server echoes of a key or bucket name) or anything else."""
    if any(c in CONTROL_CHARACTERS for c in body) or b"\xef\xbf\xbe" in body or b"\xef\xbf\xbf" in body:
        return f"{what}: {FORBIDDEN_IN_XML}"
    return f"{what} is not XML"


def misfits(shape, value, path="$"):
    """Where a JSON answer does not fit the operation's output shape (the places botocore's
    parser would trip on): a structure that is no object, a list that is no array, and so on."""
    kind = shape.type_name
    if value is None:
        return []
    expected = {"structure": dict, "map": dict, "list": list, "string": str, "boolean": bool, "blob": str,
                "integer": int, "long": int, "double": (int, float), "float": (int, float), "timestamp": (str, int, float)}
    if kind == "structure" and shape.is_document_type:
        return []
    wanted = expected.get(kind)
    if wanted and (not isinstance(value, wanted) or (kind in ("integer", "long") and isinstance(value, bool))):
        return [f"output does not fit the model at {path}: {kind} expected, {type(value).__name__} found"]
    found = []
    if kind == "structure":
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name) if not member.serialization.get("location") else None
            if wire and wire in value:
                found += misfits(member, value[wire], f"{path}.{wire}")
    elif kind == "list":
        for index, item in enumerate(value[:50]):
            found += misfits(shape.member, item, f"{path}[{index}]")
    elif kind == "map":
        for key, item in list(value.items())[:50]:
            found += misfits(shape.value, item, f"{path}.{key}")
    return found[:3]


def output_misfits(operation, body):
    """What of a 2xx JSON body does not fit `operation`'s output shape."""
    shape = operation.output_shape
    if shape is None or not body:
        return []
    payload = shape.serialization.get("payload")
    if payload:
        shape = shape.members[payload]
        if shape.type_name != "structure":
            return []
    try:
        return misfits(shape, json.loads(body))
    except ValueError:
        return []


def problems_with(protocol, method, status, headers, body, operation=None):
    """What is wrong with one answer: a 5xx, a 4xx not in the protocol's error shape, a body
    that does not parse, a missing request id. An empty list is a good answer."""
    problems = []
    if status >= 500:
        problems.append(f"status {status}")
    if not any(h in headers for h in REQUEST_ID_HEADERS):
        problems.append("no request id header")
    content_type = headers.get("content-type", "")
    if status >= 400:
        if protocol == "json":
            try:
                parsed = json.loads(body)
                if "__type" not in parsed:
                    problems.append("JSON error without __type")
            except (ValueError, TypeError):
                problems.append("error body is not JSON")
        elif protocol == "rest-json":
            if "x-amzn-errortype" not in headers:
                problems.append("no x-amzn-ErrorType header")
            try:
                json.loads(body)
            except ValueError:
                problems.append("error body is not JSON")
        elif method != "HEAD" and status != 304:
            try:
                root = ElementTree.fromstring(body)
                if root.tag != "Error" or not root.findtext("Code"):
                    problems.append("XML error without <Error><Code>")
            except ElementTree.ParseError:
                problems.append(xml_problem("error body", body))
    elif body and "eventstream" in content_type:
        stream = EventStreamBuffer()
        stream.add_data(body)
        try:
            for _ in stream:
                pass
        except Exception as error:  # noqa: BLE001 - any decoding failure is the finding
            problems.append(f"event stream does not decode: {error}")
    elif body and "json" in content_type:
        try:
            json.loads(body)
        except ValueError:
            problems.append("JSON body does not parse")
        else:
            if operation is not None and status < 300:
                problems += output_misfits(operation, body)
    elif body and "xml" in content_type:
        try:
            ElementTree.fromstring(body)
        except ElementTree.ParseError:
            problems.append(xml_problem("XML body", body))
    return problems
