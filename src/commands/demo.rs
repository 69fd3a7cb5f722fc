//! `opsdeck demo seed`: writes the demo organisation into a local AWS emulator and says what it did.
//!
//! The seed creates accounts, zones, users and executions, so it refuses any endpoint that is not on
//! this machine: a mistyped flag must never write demo data into a real AWS organisation.

use std::io::Write;
use std::net::IpAddr;

use anyhow::{Context, bail};
use aws_config::SdkConfig;

use crate::aws::seed::{SeedKind, SeedReport, seed_demo};
use crate::aws::{SEED_SERVICES, service_endpoint};

/// Checks that `endpoint` points at this machine (127.0.0.0/8, ::1 or `localhost`).
pub fn require_loopback(endpoint: Option<&str>) -> anyhow::Result<()> {
    const HOW: &str = "pass --endpoint-url http://127.0.0.1:PORT of a local AWS emulator \
                       (scripts/emulator start prints one)";
    let Some(endpoint) = endpoint else {
        bail!("demo seed only writes to a local emulator and no endpoint was given: {HOW}");
    };
    match endpoint_host(endpoint) {
        Some(host) if is_loopback_host(host) => Ok(()),
        Some(host) => bail!(
            "demo seed refuses {endpoint}: its host {host} is not a loopback address, and the demo \
             must never be written into a real AWS account; {HOW}"
        ),
        None => bail!("demo seed cannot read a host in the endpoint {endpoint:?}: {HOW}"),
    }
}

/// The host of an `http(s)://host[:port][/path]` URL, without IPv6 brackets.
fn endpoint_host(endpoint: &str) -> Option<&str> {
    let (scheme, rest) = endpoint.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Userinfo could otherwise smuggle a loopback-looking name in front of the real host.
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once(']')?.0,
        None => host_port.split(':').next().unwrap_or_default(),
    };
    (!host.is_empty()).then_some(host)
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Checks, before anything is sent, that every service the seed calls resolves to this machine:
/// the global endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`) and
/// each service's own (`AWS_ENDPOINT_URL_STS`, `..._ORGANIZATIONS`, `..._ROUTE_53`,
/// `..._COGNITO_IDENTITY_PROVIDER`, `..._SFN`, or the profile's `services` section), as the SDK
/// will resolve them.
pub fn require_loopback_everywhere(sdk: &SdkConfig) -> anyhow::Result<()> {
    require_loopback(sdk.endpoint_url())?;
    for service in SEED_SERVICES {
        let endpoint = service_endpoint(sdk, service.service_id);
        if endpoint.as_deref() == sdk.endpoint_url() {
            continue;
        }
        let host = endpoint.as_deref().and_then(endpoint_host);
        if !host.is_some_and(is_loopback_host) {
            let shown = endpoint.as_deref().unwrap_or("AWS's own endpoint");
            let why = match host {
                Some(host) => format!("{host} is not a loopback address"),
                None => "that is not a loopback address".to_owned(),
            };
            bail!(
                "demo seed refuses to run, nothing was sent: its {} requests would go to {shown} \
                 (set by {} or the AWS profile's `services` section), and {why}; unset it, or \
                 pass --endpoint-url http://127.0.0.1:PORT, which every service then uses",
                service.service_id,
                service.env
            );
        }
    }
    Ok(())
}

/// Seeds the demo organisation at `endpoint` with the credentials of `sdk` and prints a summary.
pub async fn seed(
    sdk: &SdkConfig,
    endpoint: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    require_loopback(endpoint)?;
    require_loopback_everywhere(sdk)?;
    let endpoint = endpoint.unwrap_or_default();
    let report = seed_demo(sdk)
        .await
        .with_context(|| format!("seeding the demo organisation at {endpoint} failed"))?;
    write_summary(&report, endpoint, out)?;
    Ok(())
}

fn write_summary(report: &SeedReport, endpoint: &str, out: &mut dyn Write) -> std::io::Result<()> {
    if report.nothing_created() {
        writeln!(
            out,
            "The demo organisation at {endpoint} was already complete; nothing written."
        )?;
    } else {
        writeln!(out, "Seeded the demo organisation at {endpoint}.")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "  {:<12} {}",
        "management", report.management_account_id
    )?;
    for (name, id) in &report.member_account_ids {
        writeln!(out, "  {name:<12} {id}")?;
    }
    writeln!(out, "  {:<12} {}", "user pool", report.user_pool_id)?;
    if !report.eu_user_pool_id.is_empty() {
        writeln!(
            out,
            "  {:<12} {} (prod, {})",
            "user pool",
            report.eu_user_pool_id,
            crate::aws::seed::EU_REGION
        )?;
    }
    writeln!(out)?;
    writeln!(out, "  {:<16} {:>7} {:>13}", "", "created", "already there")?;
    for kind in SeedKind::ALL {
        let tally = report.tally(kind);
        writeln!(
            out,
            "  {:<16} {:>7} {:>13}",
            kind.label(),
            tally.created,
            tally.present
        )?;
    }
    for warning in &report.warnings {
        writeln!(out)?;
        writeln!(out, "warning: {warning}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_endpoints_are_accepted() {
        for endpoint in [
            "http://127.0.0.1:5000",
            "http://127.8.9.10:5000/",
            "https://localhost",
            "http://LOCALHOST:4566/path",
            "http://[::1]:5000",
            "http://user:pw@127.0.0.1:5000",
        ] {
            assert!(require_loopback(Some(endpoint)).is_ok(), "{endpoint}");
        }
    }

    #[test]
    fn remote_and_malformed_endpoints_are_refused() {
        for endpoint in [
            "https://route53.amazonaws.com",
            "http://10.0.0.5:5000",
            "http://[2001:db8::1]:5000",
            "http://127.0.0.1.nip.io:5000",
            "http://localhost.example.com",
            "http://127.0.0.1@evil.example.com",
            "127.0.0.1:5000",
            "ftp://127.0.0.1",
            "http://",
        ] {
            assert!(require_loopback(Some(endpoint)).is_err(), "{endpoint}");
        }
    }

    #[test]
    fn the_refusal_says_which_flag_to_pass() {
        let missing = require_loopback(None).unwrap_err().to_string();
        assert!(
            missing.contains("--endpoint-url http://127.0.0.1:PORT"),
            "{missing}"
        );
        let remote = require_loopback(Some("https://route53.amazonaws.com"))
            .unwrap_err()
            .to_string();
        assert!(
            remote.contains("route53.amazonaws.com is not a loopback address"),
            "{remote}"
        );
        assert!(remote.contains("--endpoint-url"), "{remote}");
    }

    #[tokio::test]
    async fn seeding_a_remote_endpoint_writes_nothing_and_calls_nothing() {
        // No credentials and no region: any AWS call would fail differently from the refusal.
        let sdk = SdkConfig::builder().build();
        let mut out = Vec::new();
        let err = seed(
            &sdk,
            Some("https://organizations.us-east-1.amazonaws.com"),
            &mut out,
        )
        .await
        .unwrap_err();
        assert!(err.to_string().contains("not a loopback address"), "{err}");
        assert!(out.is_empty());
    }

    /// Per-service endpoints as the environment gives them (`AWS_ENDPOINT_URL_<SERVICE>`).
    #[derive(Debug)]
    struct PerService(&'static str, &'static str);

    impl aws_types::service_config::LoadServiceConfig for PerService {
        fn load_config(
            &self,
            key: aws_types::service_config::ServiceConfigKey<'_>,
        ) -> Option<String> {
            (key.service_id() == self.0).then(|| self.1.to_owned())
        }
    }

    #[tokio::test]
    async fn every_per_service_endpoint_must_be_loopback_too_before_anything_is_sent() {
        for service in SEED_SERVICES {
            let mut builder = SdkConfig::builder()
                .service_config(PerService(service.service_id, "http://192.0.2.1:9"));
            builder.insert_origin(
                "endpoint_url",
                aws_types::origin::Origin::shared_environment_variable(),
            );
            builder.set_endpoint_url(Some("http://127.0.0.1:5000".to_owned()));
            let sdk = builder.build();
            let mut out = Vec::new();
            let err = seed(&sdk, sdk.endpoint_url(), &mut out)
                .await
                .unwrap_err()
                .to_string();
            assert!(err.contains(service.env), "{err}");
            assert!(err.contains("192.0.2.1 is not a loopback address"), "{err}");
            assert!(err.contains("nothing was sent"), "{err}");
            assert!(out.is_empty());
        }
        let loopback = SdkConfig::builder()
            .service_config(PerService("SFN", "http://localhost:7000"))
            .endpoint_url("http://127.0.0.1:5000")
            .build();
        assert!(require_loopback_everywhere(&loopback).is_ok());
    }

    #[test]
    fn the_summary_lists_accounts_and_counts() {
        let mut report = SeedReport::default();
        report.management_account_id = "111122223333".to_owned();
        report.user_pool_id = "us-east-1_abc".to_owned();
        report
            .member_account_ids
            .insert("dev".to_owned(), "444455556666".to_owned());
        let mut out = Vec::new();
        write_summary(&report, "http://127.0.0.1:5000", &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("already complete"), "{text}");
        assert!(text.contains("dev          444455556666"), "{text}");
        assert!(text.contains("us-east-1_abc"), "{text}");
        assert!(text.contains("record sets"), "{text}");
    }
}
