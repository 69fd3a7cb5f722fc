#!/bin/sh
# The same inventory with the AWS CLI: list the accounts, then per account assume the role and
# list every zone's records (the CLI pages by itself). Prints the record count.
# Usage: awscli.sh ENDPOINT   (the `aws` on PATH; AWS_* keys of the management account set)
set -eu
endpoint=$1
me=$(aws --endpoint-url "$endpoint" sts get-caller-identity --query Account --output text)
total=0
for account in $(aws --endpoint-url "$endpoint" organizations list-accounts --query 'Accounts[].Id' --output text); do
  if [ "$account" = "$me" ]; then
    env=""
  else
    set -- $(aws --endpoint-url "$endpoint" sts assume-role \
      --role-arn "arn:aws:iam::$account:role/OrganizationAccountAccessRole" \
      --role-session-name inventory \
      --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
    env="AWS_ACCESS_KEY_ID=$1 AWS_SECRET_ACCESS_KEY=$2 AWS_SESSION_TOKEN=$3"
  fi
  for zone in $(env $env aws --endpoint-url "$endpoint" route53 list-hosted-zones --query 'HostedZones[].Id' --output text); do
    n=$(env $env aws --endpoint-url "$endpoint" route53 list-resource-record-sets \
      --hosted-zone-id "$zone" --query 'ResourceRecordSets[].Type' --output text | wc -w)
    total=$((total + n))
  done
done
echo "$total"
