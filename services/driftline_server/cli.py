"""``driftline-server``: serve the suite, migrate its database, and administer it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from driftline_server.platform import config, logging as driftline_logging


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--database-url", help="SQLAlchemy URL (env DRIFTLINE_DATABASE_URL)")
    parser.add_argument("--data-dir", help="folder for local files (env DRIFTLINE_DATA_DIR)")
    parser.add_argument(
        "--services", help="comma-separated services, default all (env DRIFTLINE_SERVICES)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="driftline-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the suite (all services by default)")
    _add_common(serve)
    serve.add_argument("--host", help="address to listen on (env DRIFTLINE_HOST)")
    serve.add_argument("--port", type=int, help="port, 0 for any free one (env DRIFTLINE_PORT)")
    serve.add_argument(
        "--dask-scheduler",
        help="tcp://host:port of a Dask scheduler to run jobs on; default an in-process cluster "
        "(env DRIFTLINE_DASK_SCHEDULER)",
    )
    tls = serve.add_argument_group("TLS (see README: TLS)")
    tls.add_argument("--tls-cert", help="PEM certificate chain to serve TLS with "
                     "(env DRIFTLINE_TLS_CERT)")
    tls.add_argument("--tls-key", help="PEM private key of --tls-cert (env DRIFTLINE_TLS_KEY)")
    tls.add_argument("--tls-client-ca", help="PEM CA: require client certificates it signed, "
                     "mutual TLS (env DRIFTLINE_TLS_CLIENT_CA)")
    tls.add_argument("--tls-ca", help="PEM CA that verifies the suite's services this process "
                     "calls; default the public CAs (env DRIFTLINE_TLS_CA)")
    serve.add_argument(
        "--ready-file", type=Path, help="write {\"port\": N, \"pid\": N} here once serving"
    )

    migrate = commands.add_parser("migrate", help="apply database migrations and exit")
    _add_common(migrate)

    admin = commands.add_parser("admin", help="administration")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True)
    create_user = admin_commands.add_parser(
        "create-user", help="create a user and print their first API key"
    )
    _add_common(create_user)
    create_user.add_argument("--email", required=True)
    create_user.add_argument("--name", required=True)
    create_user.add_argument("--surname", required=True)
    create_user.add_argument("--username", help="sign-in name (default: the email)")
    from driftline_server.identity import plan_cli

    plan_cli.add_commands(admin_commands, _add_common)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = config.from_environment(
            {
                key: getattr(args, key, None)
                for key in (
                    "host", "port", "services", "database_url", "data_dir", "dask_scheduler",
                    "tls_cert", "tls_key", "tls_client_ca", "tls_ca",
                )
            }
        )
        driftline_logging.configure(settings.log_level)
    except ValueError as error:
        print(f"driftline-server: {error}", file=sys.stderr)
        return 2

    if args.command == "serve":
        from driftline_server import server
        from driftline_server.platform.tls import TLSConfigurationError

        try:
            asyncio.run(server.serve(settings, args.ready_file))
        except TLSConfigurationError as error:
            print(f"driftline-server: {error}", file=sys.stderr)
            return 2
        return 0
    if args.command == "migrate":
        from driftline_server import server

        server.migrate_all(settings)
        print(f"migrated: {', '.join(settings.services)}")
        return 0
    if args.command == "admin" and args.admin_command == "create-user":
        from driftline_server.identity.admin import create_user
        from driftline_server.platform.errors import DomainError

        try:
            user_id, api_key = asyncio.run(
                create_user(settings, args.email, args.name, args.surname, args.username)
            )
        except DomainError as error:
            print(f"driftline-server: {error.message}", file=sys.stderr)
            return 1
        print(f"user_id: {user_id}")
        print(f"api_key: {api_key}")
        print("Keep this API key: it is shown only once.", file=sys.stderr)
        return 0
    if args.command == "admin":
        from driftline_server.identity import plan_cli

        code = plan_cli.run(args, settings)
        if code is not None:
            return code
    return 2


if __name__ == "__main__":
    sys.exit(main())
