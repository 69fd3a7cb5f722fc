//! Route53 hosted zones as opsdeck shows them.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostedZone {
    /// The id without the `/hostedzone/` prefix.
    pub id: String,
    /// The zone name without the trailing dot.
    pub name: String,
    pub private: bool,
    pub record_count: i64,
    pub comment: String,
}

/// Route53 returns `/hostedzone/Z123` and `example.com.`; operators write `Z123` and `example.com`.
pub fn normalise_zone(id: &str, name: &str) -> (String, String) {
    (
        id.trim_start_matches("/hostedzone/").to_owned(),
        name.strip_suffix('.').unwrap_or(name).to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_ids_and_names_lose_their_route53_decoration() {
        assert_eq!(
            normalise_zone("/hostedzone/Z0ABC", "dev.example.com."),
            ("Z0ABC".to_owned(), "dev.example.com".to_owned())
        );
        assert_eq!(normalise_zone("Z1", "x.org"), ("Z1".into(), "x.org".into()));
    }
}
