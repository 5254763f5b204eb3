"""Create or drop a PostgreSQL database for a test run: pgdb.py create|drop SERVER_URL NAME."""

import sys

import psycopg


def main(action: str, server_url: str, name: str) -> None:
    with psycopg.connect(f"{server_url}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main(*sys.argv[1:4])
