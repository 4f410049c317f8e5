"""A schema-only Terraform provider: the extracted schema (tests/infra/provider_schemas.py)
served over Terraform's plugin protocol 5, so `terraform init -plugin-dir`, `validate` and
`plan -refresh=false` run for real here, with no cloud and no registry.

go-plugin's handshake: Terraform starts this program with TF_PLUGIN_MAGIC_COOKIE and, for
its automatic mutual TLS, PLUGIN_CLIENT_CERT; the program listens on 127.0.0.1 with TLS
(a self-signed certificate made at start) and prints
`1|5|tcp|127.0.0.1:PORT|grpc|<certificate, base64 DER>`. Config validation accepts; a plan
is the proposed new state with computed attributes left null made unknown; a data source
reads back its config with computed attributes filled with placeholders of their type.
Apply, refresh and import are not served (UNIMPLEMENTED).

    python -m tests.infra.tfplugin.server google lowest
"""

from __future__ import annotations

import base64
import datetime
import functools
import json
import os
import sys
import threading
import time
from concurrent import futures
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
CACHE = ROOT / ".cache" / "tfplugin"
GENERATED = CACHE / "gen"
PYLIBS = CACHE / "pylibs"
sys.path[:0] = [str(ROOT), str(GENERATED)]
sys.path.append(str(PYLIBS))

import grpc  # noqa: E402
import msgpack  # type: ignore[import-untyped]  # noqa: E402
import tfplugin5_pb2 as pb  # type: ignore[import-not-found]  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402

from tests.infra.provider_schemas import FORMAT, PINS, schema  # noqa: E402

MAGIC_COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
UNKNOWN = msgpack.ExtType(0, b"\x00")  # cty's msgpack encoding of an unknown value
NESTING = {"list": 2, "set": 3, "single": 1}


class _Unknown:
    pass


def _decode(raw: bytes) -> Any:
    return msgpack.unpackb(
        raw, raw=False, strict_map_key=False, ext_hook=lambda code, data: _Unknown()
    )


def _encode(value: Any) -> bytes:
    return bytes(msgpack.packb(value, default=lambda v: UNKNOWN, use_bin_type=True))


def _block_pb(block: dict[str, Any], computed_optional: bool) -> Any:
    attributes = [
        pb.Schema.Attribute(
            name=name,
            type=json.dumps(spec["type"]).encode(),
            required=bool(spec.get("required")),
            optional=bool(spec.get("optional")),
            computed=bool(spec.get("computed"))
            or (computed_optional and bool(spec.get("optional"))),
        )
        for name, spec in sorted(block["attributes"].items())
    ]
    nested = [
        pb.Schema.NestedBlock(
            type_name=name,
            block=_block_pb(spec["block"], computed_optional),
            nesting=NESTING[spec["nesting_mode"]],
            min_items=spec.get("min_items", 0),
        )
        for name, spec in sorted(block["block_types"].items())
    ]
    return pb.Schema.Block(attributes=attributes, block_types=nested)


def _plan(block: dict[str, Any], value: Any) -> Any:
    """Computed (and optional, possibly computed) attributes left null become unknown."""
    if not isinstance(value, dict):
        return value
    for name, spec in block["attributes"].items():
        if value.get(name) is None and (spec.get("computed") or spec.get("optional")):
            value[name] = _Unknown()
    for name, spec in block["block_types"].items():
        nested = value.get(name)
        if isinstance(nested, list):
            value[name] = [_plan(spec["block"], item) for item in nested]
        elif isinstance(nested, dict):
            value[name] = _plan(spec["block"], nested)
    return value


def _placeholder(cty: Any) -> Any:
    if cty == "string":
        return "placeholder"
    if cty == "number":
        return 0
    if cty == "bool":
        return False
    if isinstance(cty, list) and cty[0] in ("list", "set"):
        return []
    if isinstance(cty, list) and cty[0] == "map":
        return {}
    if isinstance(cty, list) and cty[0] == "object":
        return {k: _placeholder(t) for k, t in cty[1].items()}
    return None


def _read(block: dict[str, Any], value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    for name, spec in block["attributes"].items():
        if value.get(name) is None and (spec.get("computed") or spec.get("optional")):
            value[name] = _placeholder(spec["type"])
    for name, spec in block["block_types"].items():
        if isinstance(value.get(name), list):
            value[name] = [_read(spec["block"], item) for item in value[name]]
    return value


class Provider:
    def __init__(self, provider: str, end: str) -> None:
        self.provider, self.end = provider, end
        pin = PINS[end][provider]
        # Terraform starts a provider several times per command: the serialized schema
        # is made once per version, and the JSON schema is read only when a plan needs it
        package = pin.package.rsplit("@", 1)[1]
        cached = CACHE / f"{provider}-{pin.version}-{package}-{FORMAT}.schema.bin"
        if not cached.is_file():
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(self._schema_response().SerializeToString())
            tmp.replace(cached)
        self.schema_bytes = cached.read_bytes()

    @functools.cached_property
    def schema(self) -> dict[str, Any]:
        return schema(self.provider, self.end)

    def _schema_response(self) -> Any:
        response = pb.GetProviderSchema.Response(
            provider=pb.Schema(block=_block_pb(self.schema["provider_block"], False)),
            server_capabilities=pb.ServerCapabilities(plan_destroy=False),
        )
        for name, block in self.schema["resources"].items():
            response.resource_schemas[name].CopyFrom(pb.Schema(block=_block_pb(block, True)))
        for name, block in self.schema["data_sources"].items():
            response.data_source_schemas[name].CopyFrom(pb.Schema(block=_block_pb(block, True)))
        return response

    def GetSchema(self, request: Any, context: Any) -> bytes:
        return self.schema_bytes  # already serialized

    def PrepareProviderConfig(self, request: Any, context: Any) -> Any:
        return pb.PrepareProviderConfig.Response(prepared_config=request.config)

    def ValidateResourceTypeConfig(self, request: Any, context: Any) -> Any:
        return pb.ValidateResourceTypeConfig.Response()

    def ValidateDataSourceConfig(self, request: Any, context: Any) -> Any:
        return pb.ValidateDataSourceConfig.Response()

    def Configure(self, request: Any, context: Any) -> Any:
        return pb.Configure.Response()

    def UpgradeResourceState(self, request: Any, context: Any) -> Any:
        state = json.loads(request.raw_state.json or b"null")
        return pb.UpgradeResourceState.Response(
            upgraded_state=pb.DynamicValue(msgpack=_encode(state))
        )

    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        proposed = _decode(request.proposed_new_state.msgpack)
        planned = _plan(self.schema["resources"][request.type_name], proposed)
        return pb.PlanResourceChange.Response(
            planned_state=pb.DynamicValue(msgpack=_encode(planned)), legacy_type_system=True
        )

    def ReadDataSource(self, request: Any, context: Any) -> Any:
        config = _decode(request.config.msgpack)
        state = _read(self.schema["data_sources"][request.type_name], config)
        return pb.ReadDataSource.Response(state=pb.DynamicValue(msgpack=_encode(state)))

    def Stop(self, request: Any, context: Any) -> Any:
        return pb.Stop.Response()


def _handlers(provider: Provider) -> Any:
    methods = {
        "GetSchema": pb.GetProviderSchema.Request,
        "PrepareProviderConfig": pb.PrepareProviderConfig.Request,
        "ValidateResourceTypeConfig": pb.ValidateResourceTypeConfig.Request,
        "ValidateDataSourceConfig": pb.ValidateDataSourceConfig.Request,
        "Configure": pb.Configure.Request,
        "UpgradeResourceState": pb.UpgradeResourceState.Request,
        "PlanResourceChange": pb.PlanResourceChange.Request,
        "ReadDataSource": pb.ReadDataSource.Request,
        "Stop": pb.Stop.Request,
    }
    return grpc.method_handlers_generic_handler(
        "tfplugin5.Provider",
        {
            name: grpc.unary_unary_rpc_method_handler(
                getattr(provider, name),
                request_deserializer=request.FromString,
                response_serializer=lambda message: (
                    message if isinstance(message, bytes) else message.SerializeToString()
                ),
            )
            for name, request in methods.items()
        },
    )


def _controller() -> Any:
    """go-plugin's GRPCController.Shutdown: exit at once instead of being killed 2 s later."""

    def shutdown(request: bytes, context: Any) -> bytes:
        threading.Timer(0.05, os._exit, args=(0,)).start()
        return b""  # plugin.Empty

    return grpc.method_handlers_generic_handler(
        "plugin.GRPCController",
        {
            "Shutdown": grpc.unary_unary_rpc_method_handler(
                shutdown, request_deserializer=bytes, response_serializer=bytes
            )
        },
    )


def _certificate() -> tuple[bytes, bytes, bytes]:
    """A self-signed certificate for localhost, as go-plugin's AutoMTLS expects."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_encipherment=True,
                key_cert_sign=True,
                content_commitment=False,
                data_encipherment=False,
                key_agreement=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key_pem,
        cert.public_bytes(serialization.Encoding.DER),
    )


def main() -> None:
    provider_name, end = sys.argv[1], sys.argv[2]
    if os.environ.get("TF_PLUGIN_MAGIC_COOKIE") != MAGIC_COOKIE:
        sys.exit("This is a Terraform provider plugin: Terraform starts it.")
    provider = Provider(provider_name, end)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((_handlers(provider), _controller()))
    cert_pem, key_pem, cert_der = _certificate()
    client_cert = os.environ.get("PLUGIN_CLIENT_CERT", "").encode()
    if client_cert:
        # TLS with the certificate printed below; Terraform is the only client on loopback
        credentials = grpc.ssl_server_credentials([(key_pem, cert_pem)])
        port = server.add_secure_port("127.0.0.1:0", credentials)
        shown = base64.b64encode(cert_der).decode().rstrip("=")
        line = f"1|5|tcp|127.0.0.1:{port}|grpc|{shown}"
    else:
        port = server.add_insecure_port("127.0.0.1:0")
        line = f"1|5|tcp|127.0.0.1:{port}|grpc"
    server.start()
    print(line, flush=True)
    while True:  # Terraform ends the process when it is done with it
        time.sleep(3600)


if __name__ == "__main__":
    main()
