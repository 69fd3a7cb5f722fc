"""The straightforward way to ask "what failed, anywhere?" and "where is this user?": every account
of the organisation one after another (the role assumed in each), every region one after another,
ListStateMachines then ListExecutions(statusFilter=FAILED) per machine; then per account and region
ListUserPools, ListUsers filtered by email per pool, AdminListGroupsForUser per user found. boto3's
standard retry mode with 10 attempts, so a throttled account completes. Prints both counts.
Usage: boto3_sequential.py ENDPOINT REGION[,REGION...] EMAIL"""

import sys

import boto3
from botocore.config import Config

endpoint, regions, email = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
retries = Config(retries={"mode": "standard", "max_attempts": 10})
session = boto3.Session(region_name="us-east-1")
orgs = session.client("organizations", endpoint_url=endpoint, config=retries)
sts = session.client("sts", endpoint_url=endpoint, config=retries)
me = sts.get_caller_identity()["Account"]
failed = found = 0
for page in orgs.get_paginator("list_accounts").paginate():
    for account in page["Accounts"]:
        if account["Id"] == me:
            keys = {}
        else:
            creds = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account['Id']}:role/OrganizationAccountAccessRole",
                RoleSessionName="org-bench",
            )["Credentials"]
            keys = {
                "aws_access_key_id": creds["AccessKeyId"],
                "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"],
            }
        for region in regions:
            sfn = session.client("stepfunctions", endpoint_url=endpoint, region_name=region,
                                 config=retries, **keys)
            for machines in sfn.get_paginator("list_state_machines").paginate():
                for m in machines["stateMachines"]:
                    if m.get("type", "STANDARD") != "STANDARD":
                        continue
                    for runs in sfn.get_paginator("list_executions").paginate(
                        stateMachineArn=m["stateMachineArn"], statusFilter="FAILED"
                    ):
                        failed += len(runs["executions"])
            idp = session.client("cognito-idp", endpoint_url=endpoint, region_name=region,
                                 config=retries, **keys)
            for pools in idp.get_paginator("list_user_pools").paginate(MaxResults=60):
                for pool in pools["UserPools"]:
                    users = idp.list_users(UserPoolId=pool["Id"], Filter=f'email = "{email}"')
                    for user in users["Users"]:
                        idp.admin_list_groups_for_user(UserPoolId=pool["Id"],
                                                       Username=user["Username"])
                        found += 1
print(f"failed={failed} found={found}")
