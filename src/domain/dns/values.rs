//! What a record set may hold, checked per type before anything is sent: names, IP addresses,
//! host names, TXT strings (quoted, at most 255 characters each), MX/SRV/CAA fields, alias targets.
//! Every error says what to fix.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{AliasTarget, normalise_name};

/// The record types opsdeck creates, changes and deletes (their values are checked here).
pub const CHANGEABLE_TYPES: &[&str] = &[
    "A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SOA", "SPF", "SRV", "TXT",
];

/// Route53's limit on one TXT (or SPF) value, all its strings together.
const MAX_TXT_VALUE: usize = 4000;
/// One character-string of a TXT value.
const MAX_TXT_STRING: usize = 255;

/// A record name as Route53 stores it here: lower case, no trailing dot, `*` only as the whole
/// first label. Errors say what is wrong with it.
pub fn record_name(text: &str) -> Result<String, String> {
    let name = normalise_name(text);
    if name.is_empty() {
        return Err("the record name is empty; give one such as api.example.com".into());
    }
    host_name(&name, true).map_err(|why| format!("record name `{text}`: {why}"))?;
    Ok(name)
}

/// A host name (a CNAME, NS, MX, SRV or PTR target; a record name when `wildcard`): labels of
/// 1-63 letters, digits, `-` or `_`, at most 253 characters; a trailing dot is allowed.
fn host_name(text: &str, wildcard: bool) -> Result<(), String> {
    let name = text.strip_suffix('.').unwrap_or(text);
    if name.is_empty() {
        return Err("empty host name".into());
    }
    if name.len() > 253 {
        return Err(format!("{} characters, at most 253", name.len()));
    }
    for (i, label) in name.split('.').enumerate() {
        if label.is_empty() {
            return Err("an empty label (two dots in a row)".into());
        }
        if label.len() > 63 {
            return Err(format!(
                "label `{label}` has {} characters, at most 63",
                label.len()
            ));
        }
        if wildcard && i == 0 && label == "*" {
            continue;
        }
        if let Some(bad) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(format!(
                "label `{label}` has `{bad}`; labels are letters, digits, `-` and `_` (and `*` \
                 alone as the first label of a wildcard)"
            ));
        }
    }
    Ok(())
}

fn number(text: &str, what: &str, max: u32) -> Result<(), String> {
    match text.parse::<u32>() {
        Ok(n) if n <= max => Ok(()),
        _ => Err(format!("{what} `{text}` must be a number from 0 to {max}")),
    }
}

/// The values of a record set of `kind`, checked, in the form Route53 stores: TXT and SPF text
/// that is not quoted is quoted (split into strings of 255 characters), a CAA value is quoted.
pub fn record_values(kind: &str, values: &[String]) -> Result<Vec<String>, String> {
    if !CHANGEABLE_TYPES.contains(&kind) {
        return Err(format!(
            "opsdeck does not change {kind} records; it checks and changes {}",
            CHANGEABLE_TYPES.join(", ")
        ));
    }
    if values.is_empty() {
        return Err(format!("a {kind} record needs at least one value"));
    }
    let mut out = Vec::with_capacity(values.len());
    for raw in values {
        let v = raw.trim();
        if v.is_empty() {
            return Err(format!("an empty {kind} value"));
        }
        let checked = match kind {
            "A" => v
                .parse::<Ipv4Addr>()
                .map(|ip| ip.to_string())
                .map_err(|_| format!("`{v}` is not an IPv4 address (such as 192.0.2.10)")),
            "AAAA" => v
                .parse::<Ipv6Addr>()
                .map(|ip| ip.to_string())
                .map_err(|_| format!("`{v}` is not an IPv6 address (such as 2001:db8::10)")),
            "CNAME" | "NS" | "PTR" => host_name(v, false)
                .map(|()| v.to_owned())
                .map_err(|why| format!("{kind} value `{v}`: {why}")),
            "MX" => mx(v),
            "SRV" => srv(v),
            "CAA" => caa(v),
            "TXT" | "SPF" => txt(v),
            _ => soa(v),
        }?;
        if out.contains(&checked) {
            return Err(format!("the value `{checked}` is given twice"));
        }
        out.push(checked);
    }
    if kind == "CNAME" && out.len() > 1 {
        return Err("a CNAME record has exactly one value (the name it points to)".into());
    }
    if kind == "SOA" && out.len() > 1 {
        return Err("an SOA record has exactly one value".into());
    }
    Ok(out)
}

fn mx(v: &str) -> Result<String, String> {
    let parts: Vec<&str> = v.split_whitespace().collect();
    let [priority, host] = parts.as_slice() else {
        return Err(format!(
            "MX value `{v}` must be `PRIORITY HOST`, such as `10 mail.example.com`"
        ));
    };
    number(priority, "MX priority", 65535)?;
    host_name(host, false).map_err(|why| format!("MX host `{host}`: {why}"))?;
    Ok(format!("{priority} {host}"))
}

fn srv(v: &str) -> Result<String, String> {
    let parts: Vec<&str> = v.split_whitespace().collect();
    let [priority, weight, port, host] = parts.as_slice() else {
        return Err(format!(
            "SRV value `{v}` must be `PRIORITY WEIGHT PORT HOST`, such as \
             `10 5 443 sip.example.com`"
        ));
    };
    number(priority, "SRV priority", 65535)?;
    number(weight, "SRV weight", 65535)?;
    number(port, "SRV port", 65535)?;
    if *host != "." {
        host_name(host, false).map_err(|why| format!("SRV host `{host}`: {why}"))?;
    }
    Ok(parts.join(" "))
}

fn caa(v: &str) -> Result<String, String> {
    let mut parts = v.splitn(3, char::is_whitespace);
    let (Some(flags), Some(tag), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!(
            "CAA value `{v}` must be `FLAGS TAG VALUE`, such as `0 issue \"amazon.com\"`"
        ));
    };
    number(flags, "CAA flags", 255)?;
    if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "CAA tag `{tag}` must be letters and digits (issue, issuewild, iodef)"
        ));
    }
    let value = value.trim();
    let quoted = if value.starts_with('"') {
        let strings = quoted_strings(value).map_err(|why| format!("CAA value: {why}"))?;
        if strings.len() != 1 {
            return Err(format!("CAA value `{value}` must be one quoted string"));
        }
        value.to_owned()
    } else {
        quote(value)
    };
    Ok(format!("{flags} {} {quoted}", tag.to_ascii_lowercase()))
}

fn soa(v: &str) -> Result<String, String> {
    let parts: Vec<&str> = v.split_whitespace().collect();
    if parts.len() != 7 || parts[2..].iter().any(|n| n.parse::<u32>().is_err()) {
        return Err(format!(
            "SOA value `{v}` must be `MNAME RNAME SERIAL REFRESH RETRY EXPIRE MINIMUM`"
        ));
    }
    Ok(parts.join(" "))
}

/// A TXT value: quoted strings as given (checked), or plain text quoted and split into strings of
/// at most 255 characters.
fn txt(v: &str) -> Result<String, String> {
    let value = if v.starts_with('"') {
        let strings = quoted_strings(v)?;
        if let Some(long) = strings.iter().find(|s| s.chars().count() > MAX_TXT_STRING) {
            return Err(format!(
                "a TXT string has {} characters, at most {MAX_TXT_STRING}; split it into several \
                 quoted strings (\"first part\" \"second part\") or give the text unquoted and \
                 opsdeck splits it",
                long.chars().count()
            ));
        }
        v.to_owned()
    } else {
        let chars: Vec<char> = v.chars().collect();
        chars
            .chunks(MAX_TXT_STRING)
            .map(|c| quote(&c.iter().collect::<String>()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if value.len() > MAX_TXT_VALUE {
        return Err(format!(
            "a TXT value of {} characters; Route53 takes at most {MAX_TXT_VALUE}",
            value.len()
        ));
    }
    Ok(value)
}

/// `"text"` with `"` and `\` escaped.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The character-strings of a quoted value (`"a" "b"`), escapes decoded.
fn quoted_strings(v: &str) -> Result<Vec<String>, String> {
    let mut strings = Vec::new();
    let mut chars = v.trim().chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Ok(strings),
            Some('"') => {}
            Some(c) => {
                return Err(format!(
                    "`{v}`: `{c}` outside quotes; quote every string (\"like this\") or give the \
                     text without any quotes"
                ));
            }
        }
        let mut s = String::new();
        loop {
            match chars.next() {
                None => {
                    return Err(format!(
                        "`{v}` has an unterminated quoted string (a `\"` is missing)"
                    ));
                }
                Some('"') => break,
                Some('\\') => match chars.next() {
                    Some(c) => s.push(c),
                    None => return Err(format!("`{v}` ends in a lone `\\`")),
                },
                Some(c) => s.push(c),
            }
        }
        strings.push(s);
    }
}

/// `--alias-target ZONE_ID/NAME`: the hosted zone id of the target (a Route53 zone, a load
/// balancer's, CloudFront's `Z2FDTNDATAQYW2`...) and the name it answers for.
pub fn alias_target(text: &str, evaluate_target_health: bool) -> Result<AliasTarget, String> {
    let Some((zone, name)) = text.trim().split_once('/') else {
        return Err(format!(
            "alias target `{text}` must be ZONE_ID/NAME, such as Z2FDTNDATAQYW2/d111.cloudfront.net"
        ));
    };
    let zone = zone.trim_start_matches("hostedzone").trim_matches('/');
    if zone.is_empty() || !zone.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(format!(
            "alias target zone id `{zone}` must be letters and digits, such as Z2FDTNDATAQYW2"
        ));
    }
    let name = normalise_name(name);
    host_name(&name, true).map_err(|why| format!("alias target name `{name}`: {why}"))?;
    Ok(AliasTarget {
        dns_name: name,
        hosted_zone_id: zone.to_ascii_uppercase(),
        evaluate_target_health,
    })
}

/// The record types an alias can be (Route53 refuses aliases of NS and SOA).
pub fn alias_allowed(kind: &str) -> bool {
    !matches!(kind, "NS" | "SOA")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vals(kind: &str, values: &[&str]) -> Result<Vec<String>, String> {
        record_values(
            kind,
            &values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn ip_addresses_are_checked_per_family() {
        assert_eq!(vals("A", &["192.0.2.1"]).unwrap(), ["192.0.2.1"]);
        let e = vals("A", &["192.0.2.300"]).unwrap_err();
        assert!(e.contains("not an IPv4 address"), "{e}");
        assert!(vals("A", &["2001:db8::1"]).is_err());
        assert_eq!(vals("AAAA", &["2001:DB8::1"]).unwrap(), ["2001:db8::1"]);
        assert!(vals("AAAA", &["192.0.2.1"]).is_err());
        assert!(
            vals("A", &["192.0.2.1", "192.0.2.1"])
                .unwrap_err()
                .contains("twice")
        );
    }

    #[test]
    fn txt_text_is_quoted_and_split_and_quoted_text_is_checked() {
        assert_eq!(vals("TXT", &["v=spf1 -all"]).unwrap(), ["\"v=spf1 -all\""]);
        assert_eq!(vals("TXT", &["say \"hi\""]).unwrap(), [r#""say \"hi\"""#]);
        let long = "x".repeat(300);
        let split = vals("TXT", &[&long]).unwrap();
        assert_eq!(
            split[0],
            format!("\"{}\" \"{}\"", "x".repeat(255), "x".repeat(45))
        );
        let e = vals("TXT", &[&format!("\"{long}\"")]).unwrap_err();
        assert!(e.contains("300 characters, at most 255"), "{e}");
        assert!(vals("TXT", &["\"a\" \"b\""]).is_ok());
        let e = vals("TXT", &["\"unterminated"]).unwrap_err();
        assert!(e.contains("unterminated"), "{e}");
        assert!(
            vals("TXT", &["\"a\" b"])
                .unwrap_err()
                .contains("outside quotes")
        );
        assert!(
            vals("TXT", &[&"y".repeat(4100)])
                .unwrap_err()
                .contains("at most 4000")
        );
    }

    #[test]
    fn mx_srv_caa_and_hosts_have_their_fields_checked() {
        assert_eq!(
            vals("MX", &["10  mail.example.com."]).unwrap(),
            ["10 mail.example.com."]
        );
        assert!(
            vals("MX", &["mail.example.com"])
                .unwrap_err()
                .contains("PRIORITY HOST")
        );
        assert!(
            vals("MX", &["70000 mail.example.com"])
                .unwrap_err()
                .contains("0 to 65535")
        );
        assert!(vals("SRV", &["10 5 443 sip.example.com"]).is_ok());
        assert!(vals("SRV", &["10 5 99999 sip.example.com"]).is_err());
        assert_eq!(
            vals("CAA", &["0 issue amazon.com"]).unwrap(),
            ["0 issue \"amazon.com\""]
        );
        assert!(vals("CAA", &["256 issue \"x\""]).is_err());
        assert!(vals("CNAME", &["a.example.com", "b.example.com"]).is_err());
        assert!(vals("CNAME", &["bad name.example.com"]).is_err());
        assert!(vals("NS", &["ns-1.awsdns-01.org."]).is_ok());
        let e = vals("HTTPS", &["1 . alpn=h2"]).unwrap_err();
        assert!(e.contains("does not change HTTPS"), "{e}");
        assert!(vals("A", &[]).unwrap_err().contains("at least one value"));
    }

    #[test]
    fn names_and_alias_targets() {
        assert_eq!(record_name("API.Example.com.").unwrap(), "api.example.com");
        assert_eq!(record_name("*.example.com").unwrap(), "*.example.com");
        assert!(record_name("a.*.example.com").is_err());
        assert!(record_name(&format!("{}.com", "a".repeat(64))).is_err());
        assert!(record_name("").is_err());
        let t = alias_target("z1abc/LB.example.com.", true).unwrap();
        assert_eq!(
            (
                t.hosted_zone_id.as_str(),
                t.dns_name.as_str(),
                t.evaluate_target_health
            ),
            ("Z1ABC", "lb.example.com", true)
        );
        assert!(
            alias_target("lb.example.com", false)
                .unwrap_err()
                .contains("ZONE_ID/NAME")
        );
        assert!(!alias_allowed("NS"));
    }
}
