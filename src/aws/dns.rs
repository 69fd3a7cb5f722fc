//! Route53 adapter: hosted zones (with the VPCs of private zones) and record sets, paged by hand
//! with the cursor guard of [`RecordPager`], every call paced by the account's [`Pace`].

use async_trait::async_trait;
use aws_sdk_route53::Client;
use aws_sdk_route53::types::{
    AliasTarget as SdkAliasTarget, Change, ChangeAction as SdkAction, ChangeBatch, ChangeStatus,
    GeoLocation, ResourceRecord, ResourceRecordSet, ResourceRecordSetFailover,
    ResourceRecordSetRegion, RrType,
};

use super::{Aws, map_sdk_error};
use crate::domain::dns::{
    AliasTarget, ChangeAction, HostedZone, RecordChange, RecordCursor, RecordPager, RecordSet,
    Routing, ZoneDetail, normalise_name, normalise_zone,
};
use crate::services::{Dns, ErrorKind, Pace, ServiceError};

/// Record sets asked per page; the most ListResourceRecordSets returns.
const RECORD_PAGE_SIZE: i32 = 300;

#[async_trait]
impl Dns for Aws {
    async fn hosted_zones(&self, account_id: &str) -> Result<Vec<HostedZone>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        list_zones(clients.route53(), &Pace::unpaced()).await
    }

    async fn zone_details(
        &self,
        account_id: &str,
        pace: &Pace,
    ) -> Result<Vec<ZoneDetail>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let client = clients.route53();
        let zones = list_zones(client, pace).await?;
        let mut details = Vec::with_capacity(zones.len());
        for zone in zones {
            let vpcs = if zone.private {
                zone_vpcs(client, &zone.id, pace).await?
            } else {
                Vec::new()
            };
            details.push(ZoneDetail { zone, vpcs });
        }
        Ok(details)
    }

    async fn record_sets(
        &self,
        account_id: &str,
        zone_id: &str,
        pace: &Pace,
        on_page: &mut (dyn FnMut(Vec<RecordSet>) + Send),
    ) -> Result<(), ServiceError> {
        let clients = self.for_account(account_id).await?;
        all_record_sets(clients.route53(), zone_id, pace, on_page).await
    }

    async fn records_named(
        &self,
        account_id: &str,
        zone_id: &str,
        name: &str,
    ) -> Result<Vec<RecordSet>, ServiceError> {
        let clients = self.for_account(account_id).await?;
        record_sets_named(clients.route53(), zone_id, name).await
    }

    async fn change_record_sets(
        &self,
        account_id: &str,
        zone_id: &str,
        changes: &[RecordChange],
    ) -> Result<String, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let batch = change_batch(changes)?;
        let out = clients
            .route53()
            .change_resource_record_sets()
            .hosted_zone_id(zone_id)
            .change_batch(batch)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Route53 ChangeResourceRecordSets"))?;
        Ok(out
            .change_info()
            .map(|c| c.id().trim_start_matches("/change/").to_owned())
            .unwrap_or_default())
    }

    async fn change_in_sync(
        &self,
        account_id: &str,
        change_id: &str,
    ) -> Result<bool, ServiceError> {
        let clients = self.for_account(account_id).await?;
        let out = clients
            .route53()
            .get_change()
            .id(change_id)
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Route53 GetChange"))?;
        Ok(out.change_info().map(|c| c.status()) == Some(&ChangeStatus::Insync))
    }
}

/// The record sets named `name`, read from where the listing reaches that name (Route53 lists in
/// name order, so they come together), with the cursor guard.
async fn record_sets_named(
    client: &Client,
    zone_id: &str,
    name: &str,
) -> Result<Vec<RecordSet>, ServiceError> {
    let mut pager = RecordPager::new();
    let mut found = Vec::new();
    let mut cursor = Some(RecordCursor {
        name: name.to_owned(),
        kind: String::new(),
        identifier: None,
    });
    while let Some(at) = cursor.take() {
        let mut request = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .start_record_name(&at.name)
            .max_items(RECORD_PAGE_SIZE);
        if !at.kind.is_empty() {
            request = request
                .start_record_type(RrType::from(at.kind.as_str()))
                .set_start_record_identifier(at.identifier.clone());
        }
        let page = request
            .send()
            .await
            .map_err(|e| map_sdk_error(e, "Route53 ListResourceRecordSets"))?;
        let next = next_cursor(&page);
        let records: Vec<RecordSet> = page.resource_record_sets().iter().map(record_set).collect();
        let past = records.iter().any(|r| r.name != name);
        let fresh = pager.accept(records, next.clone()).map_err(|stuck| {
            ServiceError::new(
                ErrorKind::Other,
                Some("CursorNotAdvancing".into()),
                format!("Route53 ListResourceRecordSets on zone {zone_id}: {stuck}"),
            )
        })?;
        found.extend(fresh.into_iter().filter(|r| r.name == name));
        if !past {
            cursor = next;
        }
    }
    Ok(found)
}

fn next_cursor(
    page: &aws_sdk_route53::operation::list_resource_record_sets::ListResourceRecordSetsOutput,
) -> Option<RecordCursor> {
    match (page.is_truncated(), page.next_record_name()) {
        (true, Some(name)) => Some(RecordCursor {
            name: name.to_owned(),
            kind: page
                .next_record_type()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            identifier: page.next_record_identifier().map(str::to_owned),
        }),
        _ => None,
    }
}

/// The SDK's ChangeBatch of domain changes, every field of each record set as the domain holds
/// it (routing included).
pub fn change_batch(changes: &[RecordChange]) -> Result<ChangeBatch, ServiceError> {
    let invalid = |e: aws_sdk_route53::error::BuildError| {
        ServiceError::new(ErrorKind::Invalid, None, format!("change batch: {e}"))
    };
    let changes = changes
        .iter()
        .map(|c| {
            let action = match c.action {
                ChangeAction::Create => SdkAction::Create,
                ChangeAction::Upsert => SdkAction::Upsert,
                ChangeAction::Delete => SdkAction::Delete,
            };
            Change::builder()
                .action(action)
                .resource_record_set(sdk_record_set(&c.record)?)
                .build()
                .map_err(invalid)
        })
        .collect::<Result<Vec<_>, _>>()?;
    ChangeBatch::builder()
        .set_changes(Some(changes))
        .comment("opsdeck")
        .build()
        .map_err(invalid)
}

/// A domain record set as the SDK sends it.
fn sdk_record_set(r: &RecordSet) -> Result<ResourceRecordSet, ServiceError> {
    let invalid = |e: aws_sdk_route53::error::BuildError| {
        ServiceError::new(
            ErrorKind::Invalid,
            None,
            format!("record set {}: {e}", r.name),
        )
    };
    let records = r
        .values
        .iter()
        .map(|v| ResourceRecord::builder().value(v).build().map_err(invalid))
        .collect::<Result<Vec<_>, _>>()?;
    let alias = r
        .alias
        .as_ref()
        .map(|a| {
            SdkAliasTarget::builder()
                .hosted_zone_id(&a.hosted_zone_id)
                .dns_name(&a.dns_name)
                .evaluate_target_health(a.evaluate_target_health)
                .build()
                .map_err(invalid)
        })
        .transpose()?;
    let routing = &r.routing;
    let geo = match (routing.policy.as_str(), &routing.geo) {
        ("geolocation", Some(text)) => Some(geo_location(text)),
        _ => None,
    };
    ResourceRecordSet::builder()
        .name(&r.name)
        .r#type(RrType::from(r.kind.as_str()))
        .set_ttl(r.ttl)
        .set_resource_records((!records.is_empty()).then_some(records))
        .set_alias_target(alias)
        .set_set_identifier(r.set_identifier.clone())
        .set_weight(routing.weight)
        .set_failover(
            routing
                .failover
                .as_deref()
                .map(ResourceRecordSetFailover::from),
        )
        .set_region(routing.region.as_deref().map(ResourceRecordSetRegion::from))
        .set_geo_location(geo)
        .set_health_check_id(routing.health_check_id.clone())
        .set_multi_value_answer((routing.policy == "multivalue").then_some(true))
        .build()
        .map_err(invalid)
}

/// `continent=EU`, `country=US subdivision=CA` back into a GeoLocation.
fn geo_location(text: &str) -> GeoLocation {
    let mut geo = GeoLocation::builder();
    for part in text.split_whitespace() {
        match part.split_once('=') {
            Some(("continent", v)) => geo = geo.continent_code(v),
            Some(("country", v)) => geo = geo.country_code(v),
            Some(("subdivision", v)) => geo = geo.subdivision_code(v),
            _ => {}
        }
    }
    geo.build()
}

async fn list_zones(client: &Client, pace: &Pace) -> Result<Vec<HostedZone>, ServiceError> {
    let mut zones = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = pace
            .call(|| async {
                client
                    .list_hosted_zones()
                    .set_marker(marker.clone())
                    .send()
                    .await
                    .map_err(|e| map_sdk_error(e, "Route53 ListHostedZones"))
            })
            .await?;
        zones.extend(page.hosted_zones.into_iter().map(|z| {
            let (id, name) = normalise_zone(&z.id, &z.name);
            let config = z.config;
            HostedZone {
                id,
                name,
                private: config.as_ref().is_some_and(|c| c.private_zone),
                record_count: z.resource_record_set_count.unwrap_or_default(),
                comment: config.and_then(|c| c.comment).unwrap_or_default(),
            }
        }));
        match page.next_marker {
            Some(next) if page.is_truncated && Some(&next) != marker.as_ref() => {
                marker = Some(next);
            }
            _ => break,
        }
    }
    Ok(zones)
}

async fn zone_vpcs(
    client: &Client,
    zone_id: &str,
    pace: &Pace,
) -> Result<Vec<String>, ServiceError> {
    let out = pace
        .call(|| async {
            client
                .get_hosted_zone()
                .id(zone_id)
                .send()
                .await
                .map_err(|e| map_sdk_error(e, "Route53 GetHostedZone"))
        })
        .await?;
    Ok(out
        .vpcs()
        .iter()
        .map(|v| {
            format!(
                "{}/{}",
                v.vpc_region().map(|r| r.as_str()).unwrap_or_default(),
                v.vpc_id().unwrap_or_default()
            )
        })
        .collect())
}

/// Every record set of a zone, page by page, with the cursor guard. Public so the SDK's mock
/// client can drive it in tests.
pub async fn all_record_sets(
    client: &Client,
    zone_id: &str,
    pace: &Pace,
    on_page: &mut (dyn FnMut(Vec<RecordSet>) + Send),
) -> Result<(), ServiceError> {
    let mut pager = RecordPager::new();
    while !pager.is_done() {
        let mut request = client
            .list_resource_record_sets()
            .hosted_zone_id(zone_id)
            .max_items(RECORD_PAGE_SIZE);
        if let Some(cursor) = pager.cursor() {
            request = request
                .start_record_name(&cursor.name)
                .start_record_type(RrType::from(cursor.kind.as_str()))
                .set_start_record_identifier(cursor.identifier.clone());
        }
        let page = pace
            .call(|| async {
                request
                    .clone()
                    .send()
                    .await
                    .map_err(|e| map_sdk_error(e, "Route53 ListResourceRecordSets"))
            })
            .await?;
        let next = next_cursor(&page);
        let records = page.resource_record_sets().iter().map(record_set).collect();
        let fresh = pager.accept(records, next).map_err(|stuck| {
            ServiceError::new(
                ErrorKind::Other,
                Some("CursorNotAdvancing".into()),
                format!("Route53 ListResourceRecordSets on zone {zone_id}: {stuck}"),
            )
        })?;
        on_page(fresh);
    }
    Ok(())
}

fn record_set(r: &ResourceRecordSet) -> RecordSet {
    let geo = r.geo_location().map(|g| {
        [
            ("continent", g.continent_code()),
            ("country", g.country_code()),
            ("subdivision", g.subdivision_code()),
        ]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect::<Vec<_>>()
        .join(" ")
    });
    let geo = geo.or_else(|| {
        r.geo_proximity_location().map(|g| {
            g.aws_region()
                .or(g.local_zone_group())
                .map(str::to_owned)
                .unwrap_or_else(|| "coordinates".into())
        })
    });
    let policy = if r.weight().is_some() {
        "weighted"
    } else if r.failover().is_some() {
        "failover"
    } else if r.region().is_some() {
        "latency"
    } else if r.geo_location().is_some() {
        "geolocation"
    } else if r.geo_proximity_location().is_some() {
        "geoproximity"
    } else if r.cidr_routing_config().is_some() {
        "cidr"
    } else if r.multi_value_answer() == Some(true) {
        "multivalue"
    } else {
        "simple"
    };
    RecordSet {
        name: normalise_name(r.name()),
        kind: r.r#type().as_str().to_owned(),
        ttl: r.ttl(),
        values: r
            .resource_records()
            .iter()
            .map(|v| v.value().to_owned())
            .collect(),
        alias: r.alias_target().map(|a| AliasTarget {
            dns_name: a
                .dns_name()
                .strip_suffix('.')
                .unwrap_or(a.dns_name())
                .to_owned(),
            hosted_zone_id: a.hosted_zone_id().to_owned(),
            evaluate_target_health: a.evaluate_target_health(),
        }),
        set_identifier: r.set_identifier().map(str::to_owned),
        routing: Routing {
            policy: policy.into(),
            weight: r.weight(),
            failover: r.failover().map(|f| f.as_str().to_owned()),
            region: r.region().map(|x| x.as_str().to_owned()),
            geo,
            health_check_id: r.health_check_id().map(str::to_owned),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_route53::types::{
        AliasTarget as SdkAlias, GeoLocation, ResourceRecord, ResourceRecordSetFailover,
    };

    fn base(name: &str) -> aws_sdk_route53::types::builders::ResourceRecordSetBuilder {
        ResourceRecordSet::builder().name(name).r#type(RrType::A)
    }

    #[test]
    fn sdk_record_sets_become_domain_record_sets() {
        let weighted = base("\\052.Dev.example.com.")
            .ttl(60)
            .set_identifier("blue")
            .weight(90)
            .health_check_id("hc-1")
            .resource_records(
                ResourceRecord::builder()
                    .value("192.0.2.1")
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let r = record_set(&weighted);
        assert_eq!(r.name, "*.dev.example.com");
        assert_eq!(r.routing.policy, "weighted");
        assert_eq!(r.routing.weight, Some(90));
        assert_eq!(r.routing.health_check_id.as_deref(), Some("hc-1"));
        assert_eq!(r.values, ["192.0.2.1"]);

        let alias = base("www.example.com.")
            .alias_target(
                SdkAlias::builder()
                    .hosted_zone_id("Z1")
                    .dns_name("lb.example.com.")
                    .evaluate_target_health(true)
                    .build()
                    .unwrap(),
            )
            .failover(ResourceRecordSetFailover::Primary)
            .set_identifier("p")
            .build()
            .unwrap();
        let r = record_set(&alias);
        assert_eq!(r.ttl, None);
        assert_eq!(r.alias.as_ref().unwrap().dns_name, "lb.example.com");
        assert!(r.alias.as_ref().unwrap().evaluate_target_health);
        assert_eq!(r.routing.policy, "failover");
        assert_eq!(r.routing.failover.as_deref(), Some("PRIMARY"));

        let geo = base("eu.example.com.")
            .ttl(60)
            .set_identifier("eu")
            .geo_location(GeoLocation::builder().continent_code("EU").build())
            .build()
            .unwrap();
        let r = record_set(&geo);
        assert_eq!(r.routing.policy, "geolocation");
        assert_eq!(r.routing.geo.as_deref(), Some("continent=EU"));

        let simple = base("a.example.com.").ttl(1).build().unwrap();
        assert_eq!(record_set(&simple).routing.policy, "simple");
    }

    mod paging_with_the_sdk_mock_client {
        use aws_sdk_route53::operation::list_resource_record_sets::ListResourceRecordSetsOutput;
        use aws_smithy_mocks::{RuleMode, mock, mock_client};

        use super::*;

        fn weighted(id: &str) -> ResourceRecordSet {
            base("w.example.com.")
                .ttl(60)
                .set_identifier(id)
                .weight(1)
                .resource_records(
                    ResourceRecord::builder()
                        .value("192.0.2.1")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        }

        fn page(ids: &[&str], next: Option<(&str, Option<&str>)>) -> ListResourceRecordSetsOutput {
            let mut out = ListResourceRecordSetsOutput::builder()
                .set_resource_record_sets(Some(ids.iter().map(|id| weighted(id)).collect()))
                .is_truncated(next.is_some())
                .max_items(300);
            if let Some((name, id)) = next {
                out = out
                    .next_record_name(name)
                    .next_record_type(RrType::A)
                    .set_next_record_identifier(id.map(str::to_owned));
            }
            out.build().unwrap()
        }

        async fn list(client: &Client) -> (Result<(), ServiceError>, Vec<String>) {
            let mut got = Vec::new();
            let result = all_record_sets(client, "Z1", &Pace::unpaced(), &mut |page| {
                got.extend(page.into_iter().filter_map(|r| r.set_identifier));
            })
            .await;
            (result, got)
        }

        #[tokio::test]
        async fn the_cursor_carries_name_type_and_set_identifier() {
            let first = mock!(Client::list_resource_record_sets)
                .match_requests(|r| r.start_record_name().is_none())
                .then_output(|| page(&["1", "2"], Some(("w.example.com.", Some("3")))));
            let second = mock!(Client::list_resource_record_sets)
                .match_requests(|r| {
                    r.start_record_name() == Some("w.example.com.")
                        && r.start_record_type() == Some(&RrType::A)
                        && r.start_record_identifier() == Some("3")
                        && r.max_items() == Some(300)
                })
                .then_output(|| page(&["3", "4"], None));
            let client = mock_client!(aws_sdk_route53, RuleMode::Sequential, [&first, &second]);
            let (result, got) = list(&client).await;
            result.unwrap();
            assert_eq!(got, ["1", "2", "3", "4"]);
            assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
        }

        #[tokio::test]
        async fn record_sets_repeated_on_the_next_page_are_dropped() {
            let first = mock!(Client::list_resource_record_sets)
                .match_requests(|r| r.start_record_name().is_none())
                .then_output(|| page(&["1", "2"], Some(("w.example.com.", Some("2")))));
            let second = mock!(Client::list_resource_record_sets)
                .match_requests(|r| r.start_record_identifier() == Some("2"))
                .then_output(|| page(&["2", "3"], None));
            let client = mock_client!(aws_sdk_route53, RuleMode::Sequential, [&first, &second]);
            let (result, got) = list(&client).await;
            result.unwrap();
            assert_eq!(got, ["1", "2", "3"]);
        }

        #[tokio::test]
        async fn a_cursor_that_comes_back_unchanged_stops_after_two_calls() {
            // What the emulator does inside a weighted set: no identifier, the same page forever.
            let forever = mock!(Client::list_resource_record_sets)
                .then_output(|| page(&["1", "2"], Some(("w.example.com.", None))));
            let client = mock_client!(aws_sdk_route53, RuleMode::MatchAny, [&forever]);
            let (result, got) = list(&client).await;
            let err = result.unwrap_err();
            assert_eq!(err.code.as_deref(), Some("CursorNotAdvancing"));
            assert!(err.message.contains("zone Z1"), "{}", err.message);
            assert!(err.message.contains("w.example.com. A"), "{}", err.message);
            assert_eq!(got, ["1", "2"], "what was read before stays");
            assert_eq!(forever.num_calls(), 2);
        }
    }
}
