"""AWS query services as SQL sinks (sinks.toml): the statement text a boto3 client runs, Athena's
`QueryString`, DynamoDB's PartiQL `Statement`, the Redshift / RDS Data APIs' `Sql` / `sql`; the
bound `Parameters`, a constant statement and the other calls of a client (S3, DynamoDB's
`put_item`) stay silent."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

HANDLERS = r'''import json

import boto3

athena = boto3.client("athena")
ddb = boto3.client("dynamodb")
rds = boto3.session.Session().client("rds-data")
s3 = boto3.client("s3")


def report(event, context):
    data = json.loads(event["body"])
    redshift = boto3.Session(region_name="eu-west-1").client("redshift-data")
    athena.start_query_execution(QueryString=f"SELECT * FROM logs WHERE user = '{data['user']}'")  # BST204
    athena.start_query_execution(QueryString="SELECT * FROM logs", WorkGroup=data["group"])
    ddb.execute_statement(Statement=f"SELECT * FROM users WHERE id = '{data['id']}'")  # BST204
    ddb.execute_statement(Statement="SELECT * FROM users WHERE id = ?", Parameters=[{"S": data["id"]}])
    redshift.execute_statement(Sql="DELETE FROM t WHERE k = '" + data["k"] + "'", Database="d")  # BST204
    redshift.execute_statement(Sql="DELETE FROM t WHERE k = :k", Database="d",
                               Parameters=[{"name": "k", "value": data["k"]}])
    rds.execute_statement(sql="SELECT * FROM t WHERE k = '%s'" % data["k"], database="d")  # BST204
    ddb.put_item(TableName="t", Item={"id": {"S": data["id"]}})
    s3.put_object(Bucket="b", Key=data["key"], Body=b"")
    return {"statusCode": 200}
'''


def test_statements_are_sql_sinks_and_parameters_are_not():
    assert_marked(HANDLERS)


DOWNLOADS = r'''import boto3


def fetch(event, context):
    key = event["pathParameters"]["key"]
    boto3.Session().client("s3").download_file("bucket", key, "/tmp/" + key)  # BST201
    boto3.Session().client("s3").download_file("bucket", key, "/tmp/latest")
'''


def test_a_session_client_writes_where_the_event_says():
    assert_marked(DOWNLOADS)
