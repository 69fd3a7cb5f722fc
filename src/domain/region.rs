//! The AWS regions opsdeck knows, to tell a typo (`mars-north-9`, `eu-wset-1`) from a region.
//!
//! NEEDS UPDATES: AWS opens regions every year. This table is today's (late 2025) list of every
//! partition; a region missing from it is only warned about (`config check`) or named as the likely
//! cause of an endpoint that does not resolve, never refused.

/// Regions by partition: `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc` and the isolated partitions.
pub const KNOWN_REGIONS: &[&str] = &[
    // aws
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    // aws-cn
    "cn-north-1",
    "cn-northwest-1",
    // aws-us-gov
    "us-gov-east-1",
    "us-gov-west-1",
    // aws-eusc (European Sovereign Cloud)
    "eusc-de-east-1",
    // isolated partitions
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "us-isof-east-1",
    "us-isof-south-1",
    "eu-isoe-west-1",
];

/// Whether `region` is in [`KNOWN_REGIONS`].
/// The shape of a region name: lower-case words joined by hyphens ending in a number
/// (eu-west-1, us-gov-west-1); known or not.
pub fn check_region_name(region: &str) -> Result<(), String> {
    let ok = region.split('-').count() >= 3
        && region.starts_with(|c: char| c.is_ascii_lowercase())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && region.ends_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{region}` is not a region name; write one like \"eu-west-1\""
        ))
    }
}

pub fn is_known_region(region: &str) -> bool {
    KNOWN_REGIONS.contains(&region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_regions_are_known_and_made_up_ones_are_not() {
        for region in ["eu-west-1", "us-east-1", "us-gov-west-1", "cn-north-1"] {
            assert!(is_known_region(region), "{region}");
        }
        for region in ["mars-north-9", "eu-wset-1", "EU-WEST-1", ""] {
            assert!(!is_known_region(region), "{region}");
        }
    }
}
