//! A record set to write, as plain values independent of the SDK, and the name helpers the plan
//! and the writes share.

/// A record set to write, independent of the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DemoRecord {
    /// Fully qualified, lower case, with the trailing dot.
    pub name: String,
    pub kind: &'static str,
    pub data: RecordData,
    pub routing: Routing,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RecordData {
    Values {
        ttl: i64,
        values: Vec<String>,
    },
    /// An alias to another record of the same zone (fully qualified name).
    AliasTo(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Routing {
    Simple,
    Weighted { id: String, weight: i64 },
    Failover { id: String, primary: bool },
}

impl DemoRecord {
    pub(super) fn simple(name: &str, kind: &'static str, ttl: i64, values: &[&str]) -> Self {
        DemoRecord {
            name: fqdn(name),
            kind,
            data: RecordData::Values {
                ttl,
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            },
            routing: Routing::Simple,
        }
    }

    pub(super) fn alias(name: &str, kind: &'static str, target: &str) -> Self {
        DemoRecord {
            name: fqdn(name),
            kind,
            data: RecordData::AliasTo(fqdn(target)),
            routing: Routing::Simple,
        }
    }

    pub(super) fn routed(mut self, routing: Routing) -> Self {
        self.routing = routing;
        self
    }

    pub(super) fn key(&self) -> RecordKey {
        let id = match &self.routing {
            Routing::Simple => None,
            Routing::Weighted { id, .. } | Routing::Failover { id, .. } => Some(id.clone()),
        };
        (self.name.clone(), self.kind.to_owned(), id)
    }
}

/// Name, type and set identifier: what makes a record set unique in a zone.
pub(super) type RecordKey = (String, String, Option<String>);

pub(super) fn fqdn(name: &str) -> String {
    let name = name.to_ascii_lowercase();
    if name.ends_with('.') {
        name
    } else {
        format!("{name}.")
    }
}

pub(super) fn txt(value: &str) -> String {
    format!("\"{value}\"")
}
