//! The ARN of a Step Functions execution, parsed before anything is planned or sent:
//! `arn:PARTITION:states:REGION:ACCOUNT:execution:MACHINE:NAME`. A change to an execution acts in
//! the account and region its ARN names, never in the caller's current ones.

use std::fmt;

/// The shape every error message shows.
pub const SHAPE: &str = "arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME";

/// A parsed execution ARN; [`fmt::Display`] gives back the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionArn {
    /// `aws`, `aws-cn`, `aws-us-gov`...
    pub partition: String,
    pub region: String,
    /// 12 digits.
    pub account_id: String,
    /// The state machine's name (a Distributed Map's child executions name `machine/label`).
    pub machine: String,
    /// The execution's name.
    pub name: String,
}

impl ExecutionArn {
    /// Parse `text`, or say what is wrong with it and what an execution ARN looks like.
    pub fn parse(text: &str) -> Result<ExecutionArn, String> {
        let refuse = |why: String| -> Result<ExecutionArn, String> {
            Err(format!(
                "{} is not a Step Functions execution ARN: {why}; expected {SHAPE}",
                shown(text)
            ))
        };
        let parts: Vec<&str> = text.split(':').collect();
        if parts.len() < 6 || parts[0] != "arn" {
            return refuse(
                "an ARN has the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE".into(),
            );
        }
        let (partition, service, region, account, kind) =
            (parts[1], parts[2], parts[3], parts[4], parts[5]);
        if service != "states" {
            return refuse(format!(
                "its service is {}, not states (Step Functions)",
                shown(service)
            ));
        }
        if kind != "execution" {
            return refuse(format!(
                "its resource type is {}, not execution",
                shown(kind)
            ));
        }
        if !is_partition(partition) {
            return refuse(format!("{} is not an AWS partition", shown(partition)));
        }
        if !is_region(region) {
            return refuse(format!("{} is not a region name", shown(region)));
        }
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return refuse(format!("its account {} is not 12 digits", shown(account)));
        }
        if parts.len() != 8 {
            return refuse("it must end with :MACHINE:NAME".into());
        }
        let (machine, name) = (parts[6], parts[7]);
        for (what, value) in [("machine", machine), ("execution", name)] {
            if value.is_empty() || value.chars().count() > 80 {
                return refuse(format!("its {what} name must have 1 to 80 characters"));
            }
            if let Some(bad) = value.chars().find(|c| c.is_whitespace() || c.is_control()) {
                return refuse(format!(
                    "its {what} name contains {}",
                    super::char_name(bad)
                ));
            }
        }
        Ok(ExecutionArn {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account_id: account.to_owned(),
            machine: machine.to_owned(),
            name: name.to_owned(),
        })
    }
}

impl fmt::Display for ExecutionArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:states:{}:{}:execution:{}:{}",
            self.partition, self.region, self.account_id, self.machine, self.name
        )
    }
}

/// `aws`, or `aws-` followed by lower-case words (`aws-cn`, `aws-us-gov`, `aws-iso-b`).
fn is_partition(text: &str) -> bool {
    text == "aws"
        || text.strip_prefix("aws-").is_some_and(|rest| {
            !rest.is_empty()
                && !rest.starts_with('-')
                && !rest.ends_with('-')
                && rest.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        })
}

/// A region's shape: lower-case words joined by `-`, the last one a number (`us-east-1`,
/// `us-gov-west-1`, `eu-central-2`).
fn is_region(text: &str) -> bool {
    let words: Vec<&str> = text.split('-').collect();
    let Some((last, first)) = words.split_last() else {
        return false;
    };
    first.len() >= 2
        && first
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.len() <= 2
        && last.bytes().all(|b| b.is_ascii_digit())
}

/// The text quoted for an error message: at most 200 characters, control characters escaped.
fn shown(text: &str) -> String {
    let cut: String = text.chars().take(200).collect();
    let quoted = format!("{cut:?}");
    if text.chars().count() > 200 {
        format!("{quoted}…")
    } else {
        quoted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ARN: &str = "arn:aws:states:us-east-1:222233334444:execution:orders:run-1";

    #[test]
    fn an_execution_arn_gives_its_account_region_machine_and_name() {
        let arn = ExecutionArn::parse(ARN).unwrap();
        assert_eq!(
            (
                arn.partition.as_str(),
                arn.region.as_str(),
                arn.account_id.as_str(),
                arn.machine.as_str(),
                arn.name.as_str()
            ),
            ("aws", "us-east-1", "222233334444", "orders", "run-1")
        );
        assert_eq!(arn.to_string(), ARN);
        let gov = "arn:aws-us-gov:states:us-gov-west-1:222233334444:execution:m/map:x";
        assert_eq!(ExecutionArn::parse(gov).unwrap().to_string(), gov);
    }

    #[test]
    fn other_arns_and_garbage_are_refused_with_what_is_wrong() {
        let cases = [
            (
                "arn:aws:lambda:us-east-1:222233334444:function:charge",
                "its service is \"lambda\"",
            ),
            (
                "arn:aws:states:us-east-1:222233334444:stateMachine:orders",
                "its resource type is \"stateMachine\"",
            ),
            ("garbage", "an ARN has the form"),
            ("", "an ARN has the form"),
            (
                "arn:aws:states:mars:222233334444:execution:m:n",
                "\"mars\" is not a region name",
            ),
            (
                "arn:aws:states:us-east-1:2222:execution:m:n",
                "its account \"2222\" is not 12 digits",
            ),
            (
                "arn:aws:states:us-east-1:222233334444:execution:m",
                "must end with :MACHINE:NAME",
            ),
            (
                "arn:aws:states:us-east-1:222233334444:execution:m:n:extra",
                "must end with :MACHINE:NAME",
            ),
            (
                "arn:aws:states:us-east-1:222233334444:execution:m:",
                "execution name must have 1 to 80",
            ),
            (
                "arn:evil:states:us-east-1:222233334444:execution:m:n",
                "not an AWS partition",
            ),
        ];
        for (text, why) in cases {
            let err = ExecutionArn::parse(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
            assert!(err.contains(SHAPE), "{err}");
        }
    }

    #[test]
    fn control_characters_in_the_arn_are_named_not_echoed() {
        let err =
            ExecutionArn::parse("arn:aws:states:us-east-1:222233334444:execution:m:a\u{1b}[2J")
                .unwrap_err();
        assert!(!err.contains('\u{1b}'), "{err}");
        assert!(err.contains("U+001B"), "{err}");
    }

    fn part() -> impl Strategy<Value = String> {
        "[A-Za-z0-9_-]{1,80}"
    }

    fn region() -> impl Strategy<Value = String> {
        (
            "[a-z]{2}",
            proptest::collection::vec("[a-z]{1,9}", 1..3),
            1u8..20,
        )
            .prop_map(|(first, words, n)| format!("{first}-{}-{n}", words.join("-")))
    }

    proptest! {
        #[test]
        fn every_execution_arn_parses_back_to_its_parts(
            partition in prop_oneof![Just("aws"), Just("aws-cn"), Just("aws-us-gov")],
            region in region(),
            account in "[0-9]{12}",
            machine in part(),
            name in part(),
        ) {
            let text = format!("arn:{partition}:states:{region}:{account}:execution:{machine}:{name}");
            let arn = ExecutionArn::parse(&text).unwrap();
            prop_assert_eq!(&arn.partition, partition);
            prop_assert_eq!(&arn.region, &region);
            prop_assert_eq!(&arn.account_id, &account);
            prop_assert_eq!(&arn.machine, &machine);
            prop_assert_eq!(&arn.name, &name);
            prop_assert_eq!(arn.to_string(), text);
        }

        #[test]
        fn another_service_or_resource_type_is_never_an_execution(
            service in "[a-z]{2,12}",
            kind in "[a-zA-Z]{2,12}",
            region in region(),
            account in "[0-9]{12}",
            rest in part(),
        ) {
            prop_assume!(service != "states" || kind != "execution");
            let text = format!("arn:aws:{service}:{region}:{account}:{kind}:{rest}:{rest}");
            prop_assert!(ExecutionArn::parse(&text).is_err());
        }

        #[test]
        fn any_text_either_is_refused_or_round_trips(text in "\\PC{0,120}|arn:[a-z:0-9-]{0,80}") {
            if let Ok(arn) = ExecutionArn::parse(&text) {
                prop_assert_eq!(arn.to_string(), text);
            }
        }
    }
}
