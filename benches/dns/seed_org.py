"""Seed the DNS performance organisation into a moto server: a management account (the one the
given keys land in) with ACCOUNTS member accounts, each with ZONES public zones of RECORDS simple
record sets (A/AAAA/CNAME/TXT/MX in turn). Usage: seed_org.py ENDPOINT [ACCOUNTS ZONES RECORDS]."""

import sys

import boto3

endpoint = sys.argv[1]
accounts, zones, records = (int(a) for a in (sys.argv[2:5] or ["10", "5", "1000"]))
session = boto3.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
)
orgs = session.client("organizations", endpoint_url=endpoint)
sts = session.client("sts", endpoint_url=endpoint)
orgs.create_organization(FeatureSet="ALL")
for a in range(accounts):
    name = f"perf{a:02}"
    status = orgs.create_account(AccountName=name, Email=f"aws+{name}@example.com")
    account_id = status["CreateAccountStatus"]["AccountId"]
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
        RoleSessionName="seed",
    )["Credentials"]
    r53 = boto3.client(
        "route53",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    for z in range(zones):
        zone = f"zone{z}.{name}.example.com"
        zone_id = r53.create_hosted_zone(Name=zone, CallerReference=zone)["HostedZone"]["Id"]
        kinds = [
            ("A", "192.0.2.{}"),
            ("AAAA", "2001:db8::{}"),
            ("CNAME", "target{}.example.net."),
            ("TXT", '"v=spf1 include:{}.example.net -all"'),
            ("MX", "10 mx{}.example.net."),
        ]
        changes = []
        for i in range(records):
            kind, value = kinds[i % len(kinds)]
            changes.append(
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": f"host-{i:05}.{zone}",
                        "Type": kind,
                        "TTL": 300,
                        "ResourceRecords": [{"Value": value.format(i % 250)}],
                    },
                }
            )
        for start in range(0, len(changes), 500):
            r53.change_resource_record_sets(
                HostedZoneId=zone_id, ChangeBatch={"Changes": changes[start : start + 500]}
            )
    print(f"{name} {account_id}: {zones} zones x {records} records", flush=True)
