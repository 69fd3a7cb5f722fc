//! Rows of the `dns` commands (`-o table|json|csv`), shared with the DNS pane's exports: zones,
//! record sets, delegations, and the answers, serving zones and delegation hops of `dns find`.

use serde::Serialize;

use super::Cells;
use crate::domain::dns::{
    AccountEntry, AliasTarget, CnameHop, Delegation, Finding, Hop, MatchKind, RecordSet,
    RecordView, Routing, ServingZone, ZoneEntry, ZoneTarget,
};

/// JSON of `dns zones`: one object per hosted zone.
#[derive(Debug, Serialize)]
pub struct ZoneRow {
    pub account_id: String,
    pub account_name: String,
    pub zone_id: String,
    pub zone: String,
    pub private: bool,
    pub record_count: i64,
    pub comment: String,
    /// `region/vpc-id` of each VPC a private zone answers in.
    pub vpcs: Vec<String>,
}

impl Cells for ZoneRow {
    fn headers() -> &'static [&'static str] {
        &[
            "ACCOUNT",
            "ZONE",
            "ID",
            "VISIBILITY",
            "RECORDS",
            "COMMENT",
            "VPCS",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            account_label(&self.account_id, &self.account_name),
            self.zone.clone(),
            self.zone_id.clone(),
            if self.private { "private" } else { "public" }.into(),
            self.record_count.to_string(),
            self.comment.clone(),
            self.vpcs.join(" "),
        ]
    }
}

/// One account of the DNS pane's accounts view, as its export writes it.
#[derive(Debug, Serialize)]
pub struct AccountSummaryRow {
    pub account_id: String,
    pub account_name: String,
    /// `ok`, `denied`, `throttled`, `failed`...
    pub status: String,
    pub zones: usize,
    pub records: usize,
    pub error: Option<String>,
}

impl Cells for AccountSummaryRow {
    fn headers() -> &'static [&'static str] {
        &["ACCOUNT", "STATUS", "ZONES", "RECORDS", "ERROR"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            account_label(&self.account_id, &self.account_name),
            self.status.clone(),
            self.zones.to_string(),
            self.records.to_string(),
            self.error.clone().unwrap_or_default(),
        ]
    }
}

/// JSON of `dns records`: one object per record set, the documented shape.
#[derive(Debug, Clone, Serialize)]
pub struct RecordRow {
    pub account_id: String,
    pub account_name: String,
    pub zone_id: String,
    pub zone: String,
    pub private: bool,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub ttl: Option<i64>,
    pub values: Vec<String>,
    pub alias: Option<AliasTarget>,
    pub set_identifier: Option<String>,
    pub routing: Routing,
}

impl RecordRow {
    pub fn new(account: &AccountEntry, zone: &ZoneEntry, r: RecordView<'_>) -> Self {
        RecordRow {
            account_id: account.account.id.clone(),
            account_name: account.account.name.clone(),
            zone_id: zone.zone().id.clone(),
            zone: zone.zone().name.clone(),
            private: zone.zone().private,
            name: r.name().to_owned(),
            kind: r.kind().to_owned(),
            ttl: r.ttl(),
            values: r.values().map(str::to_owned).collect(),
            alias: r.alias().cloned(),
            set_identifier: r.set_identifier().map(str::to_owned),
            routing: r.routing().clone(),
        }
    }

    /// A record set of the zone a change was made in.
    pub fn in_zone(target: &ZoneTarget, r: &RecordSet) -> Self {
        RecordRow {
            account_id: target.account_id.clone(),
            account_name: target.account_name.clone(),
            zone_id: target.zone.id.clone(),
            zone: target.zone.name.clone(),
            private: target.zone.private,
            name: r.name.clone(),
            kind: r.kind.clone(),
            ttl: r.ttl,
            values: r.values.clone(),
            alias: r.alias.clone(),
            set_identifier: r.set_identifier.clone(),
            routing: r.routing.clone(),
        }
    }

    fn record(&self) -> RecordSet {
        RecordSet {
            name: self.name.clone(),
            kind: self.kind.clone(),
            ttl: self.ttl,
            values: self.values.clone(),
            alias: self.alias.clone(),
            set_identifier: self.set_identifier.clone(),
            routing: self.routing.clone(),
        }
    }
}

impl Cells for RecordRow {
    fn headers() -> &'static [&'static str] {
        &["ACCOUNT", "ZONE", "NAME", "TYPE", "TTL", "DATA", "ROUTING"]
    }

    fn cells(&self) -> Vec<String> {
        let r = self.record();
        vec![
            account_label(&self.account_id, &self.account_name),
            self.zone.clone(),
            self.name.clone(),
            self.kind.clone(),
            self.ttl.map(|t| t.to_string()).unwrap_or_default(),
            r.data_text(),
            r.routing_text(),
        ]
    }
}

impl Cells for Delegation {
    fn headers() -> &'static [&'static str] {
        &[
            "STATUS",
            "PARENT_ZONE",
            "PARENT_ACCOUNT",
            "CHILD_ZONE",
            "CHILD_ACCOUNT",
            "PARENT_NS",
            "CHILD_NS",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.status.word().into(),
            self.parent_zone.clone(),
            self.parent_account.clone(),
            self.child_zone.clone(),
            self.child_account.clone().unwrap_or_default(),
            self.parent_ns.join(" "),
            self.child_ns.join(" "),
        ]
    }
}

/// `dns audit`: one finding per row.
impl Cells for Finding {
    fn headers() -> &'static [&'static str] {
        &[
            "SEVERITY", "KIND", "ACCOUNT", "ZONE", "NAME", "TYPE", "TARGET", "DETAIL",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.severity.to_owned(),
            self.kind.to_owned(),
            account_label(&self.account_id, &self.account_name),
            self.zone.clone(),
            self.name.clone(),
            self.record_type.clone(),
            self.target.clone(),
            self.detail.clone(),
        ]
    }
}

/// `dns find`: one CNAME hop per row.
impl Cells for CnameHop {
    fn headers() -> &'static [&'static str] {
        &["NAME", "TARGET", "ACCOUNT", "ZONE", "NEXT"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.target.clone(),
            account_label(&self.account_id, &self.account_name),
            format!("{} ({})", self.zone, self.zone_id),
            self.next.to_owned(),
        ]
    }
}

/// An answer of `dns find`: the record set and whether it matched exactly or by wildcard.
#[derive(Debug, Serialize)]
pub struct AnswerRow {
    #[serde(rename = "match")]
    pub matched: MatchKind,
    #[serde(flatten)]
    pub record: RecordRow,
}

impl Cells for AnswerRow {
    fn headers() -> &'static [&'static str] {
        &[
            "MATCH", "ACCOUNT", "ZONE", "NAME", "TYPE", "TTL", "DATA", "ROUTING",
        ]
    }

    fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            match self.matched {
                MatchKind::Exact => "exact",
                MatchKind::Wildcard => "wildcard",
            }
            .to_owned(),
        ];
        cells.extend(self.record.cells());
        cells
    }
}

/// A zone serving the name of `dns find` (table output).
#[derive(Debug, Serialize)]
pub struct ServingRow<'a> {
    #[serde(flatten)]
    pub zone: &'a ServingZone,
}

impl Cells for ServingRow<'_> {
    fn headers() -> &'static [&'static str] {
        &["ACCOUNT", "ZONE", "ID", "VISIBILITY", "VPCS"]
    }

    fn cells(&self) -> Vec<String> {
        let z = self.zone;
        vec![
            account_label(&z.account_id, &z.account_name),
            z.zone.clone(),
            z.zone_id.clone(),
            if z.private { "private" } else { "public" }.into(),
            z.vpcs.join(" "),
        ]
    }
}

/// A delegation hop down to the name of `dns find` (table output).
#[derive(Debug, Serialize)]
pub struct HopRow<'a> {
    #[serde(flatten)]
    pub hop: &'a Hop,
}

impl Cells for HopRow<'_> {
    fn headers() -> &'static [&'static str] {
        &[
            "STATUS",
            "PARENT_ZONE",
            "PARENT_ACCOUNT",
            "CHILD_ZONE",
            "CHILD_ACCOUNT",
        ]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.hop.status.word().into(),
            self.hop.parent_zone.clone(),
            self.hop.parent_account.clone(),
            self.hop.child_zone.clone(),
            self.hop.child_account.clone().unwrap_or_default(),
        ]
    }
}

/// `name (id)`, or the id alone when the account has no name.
pub fn account_label(id: &str, name: &str) -> String {
    if name.is_empty() {
        id.to_owned()
    } else {
        format!("{name} ({id})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_row_serialises_in_the_documented_shape() {
        let row = RecordRow {
            account_id: "1".into(),
            account_name: "dev".into(),
            zone_id: "Z1".into(),
            zone: "example.com".into(),
            private: false,
            name: "www.example.com".into(),
            kind: "A".into(),
            ttl: None,
            values: vec![],
            alias: Some(AliasTarget {
                dns_name: "example.com".into(),
                hosted_zone_id: "Z1".into(),
                evaluate_target_health: false,
            }),
            set_identifier: None,
            routing: Routing {
                policy: "simple".into(),
                ..Routing::default()
            },
        };
        let text = serde_json::to_string(&row).unwrap();
        let keys = [
            "account_id",
            "account_name",
            "zone_id",
            "zone",
            "private",
            "name",
            "type",
            "ttl",
            "values",
            "alias",
            "set_identifier",
            "routing",
        ];
        let positions: Vec<usize> = keys
            .iter()
            .map(|k| text.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json.as_object().unwrap().len(), keys.len());
        assert_eq!(
            json["alias"],
            serde_json::json!({"dns_name": "example.com", "hosted_zone_id": "Z1", "evaluate_target_health": false})
        );
    }
}
