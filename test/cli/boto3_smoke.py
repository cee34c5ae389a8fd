"""boto3 against DQS: the calls a Python service makes, through whichever protocol this botocore speaks."""
import sys

import boto3

endpoint, name = sys.argv[1], sys.argv[2]
sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test")
url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "45"})["QueueUrl"]
sent = sqs.send_message(QueueUrl=url, MessageBody="hello from boto3\r\n<&>",
                        MessageAttributes={"Foo": {"DataType": "String", "StringValue": "Bar"}})
assert sent["MD5OfMessageAttributes"] == "ae7155c6026991b6d54b11589678bf9c", sent
batch = sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "ok", "MessageBody": "b"}, {"Id": "bad", "MessageBody": "\x01"}])
assert [e["Id"] for e in batch["Successful"]] == ["ok"] and batch["Failed"][0]["Code"] == "InvalidMessageContents", batch
got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"], MessageAttributeNames=["All"])
bodies = sorted(m["Body"] for m in got["Messages"])
assert bodies == ["b", "hello from boto3\r\n<&>"], bodies
for m in got["Messages"]:
    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
assert "Messages" not in sqs.receive_message(QueueUrl=url)
try:
    sqs.get_queue_url(QueueName=name + "-missing")
    raise AssertionError("expected QueueDoesNotExist")
except sqs.exceptions.QueueDoesNotExist:
    pass
attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
assert attributes["VisibilityTimeout"] == "45", attributes
sqs.delete_queue(QueueUrl=url)
print("boto3", boto3.__version__, "ok")
