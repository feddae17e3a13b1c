"""A global built by a method of another global (module_level.py): `session = boto3.Session()`,
then `s3 = session.client("s3")` is a session's client, so its calls are modelled as
`boto3.Session().client("s3")`'s are; a global bound to a plain function's result is not."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

HANDLERS = r'''import json

import boto3

session = boto3.Session(region_name="eu-west-1")
s3 = session.client("s3")
redshift = session.client("redshift-data")
made = make_client()
local = session.resource("s3").Bucket("b")


def fetch(event, context):
    data = json.loads(event["body"])
    s3.download_file("bucket", data["key"], "/tmp/" + data["key"])  # BST201
    s3.download_file("bucket", data["key"], "/tmp/latest")
    redshift.execute_statement(Sql="DELETE FROM t WHERE k = '" + data["k"] + "'", Database="d")  # BST204
    redshift.execute_statement(Sql="DELETE FROM t WHERE k = :k", Database="d",
                               Parameters=[{"name": "k", "value": data["k"]}])
    made.execute_statement(Sql=data["k"])
    return {"statusCode": 200}
'''


def test_a_client_of_a_global_session_is_the_sessions():
    assert_marked(HANDLERS)
