"""The straightforward way: every account of the organisation one after another, assume the role,
list the zones, list every record with boto3's paginator. Prints the record count.
Usage: boto3_sequential.py ENDPOINT"""

import sys

import boto3

endpoint = sys.argv[1]
session = boto3.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
)
orgs = session.client("organizations", endpoint_url=endpoint)
sts = session.client("sts", endpoint_url=endpoint)
me = sts.get_caller_identity()["Account"]
total = 0
for page in orgs.get_paginator("list_accounts").paginate():
    for account in page["Accounts"]:
        if account["Id"] == me:
            r53 = session.client("route53", endpoint_url=endpoint)
        else:
            creds = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account['Id']}:role/OrganizationAccountAccessRole",
                RoleSessionName="inventory",
            )["Credentials"]
            r53 = boto3.client(
                "route53",
                endpoint_url=endpoint,
                region_name="us-east-1",
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )
        for zones in r53.get_paginator("list_hosted_zones").paginate():
            for zone in zones["HostedZones"]:
                for records in r53.get_paginator("list_resource_record_sets").paginate(
                    HostedZoneId=zone["Id"]
                ):
                    total += len(records["ResourceRecordSets"])
print(total)
