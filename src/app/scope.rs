//! Which accounts and regions the Tenants and Workflows panes read.

/// Which accounts and regions the Tenants and Workflows panes read.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    /// The current account and region (the default).
    #[default]
    Here,
    /// Every account of the organisation × these regions.
    Organisation { regions: Vec<String> },
}

impl Scope {
    /// What the header shows: nothing for [`Scope::Here`], `org × 2 regions` (or `org ×
    /// eu-west-1` for one) otherwise.
    pub fn label(&self) -> Option<String> {
        match self {
            Scope::Here => None,
            Scope::Organisation { regions } if regions.len() == 1 => {
                Some(format!("org × {}", regions[0]))
            }
            Scope::Organisation { regions } => Some(format!("org × {} regions", regions.len())),
        }
    }

    /// Every account of the organisation.
    pub fn is_organisation(&self) -> bool {
        matches!(self, Scope::Organisation { .. })
    }

    /// The organisation × `regions`, or (none given) × `configured` (`[scope] regions`), else ×
    /// `current`; each region once, in the order given.
    pub fn organisation(regions: &[String], configured: &[String], current: Option<&str>) -> Scope {
        let from: Vec<String> = if !regions.is_empty() {
            regions.to_vec()
        } else if !configured.is_empty() {
            configured.to_vec()
        } else {
            current.map(str::to_owned).into_iter().collect()
        };
        let mut out: Vec<String> = Vec::new();
        for r in from {
            if !out.contains(&r) {
                out.push(r);
            }
        }
        Scope::Organisation { regions: out }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_come_from_the_command_then_the_config_then_the_current_region() {
        let v = |s: &[&str]| s.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            Scope::organisation(&v(&["us-east-1", "us-east-1"]), &v(&["eu-west-1"]), None),
            Scope::Organisation {
                regions: v(&["us-east-1"])
            }
        );
        assert_eq!(
            Scope::organisation(&[], &v(&["eu-west-1", "us-east-1"]), Some("x")).label(),
            Some("org × 2 regions".into())
        );
        assert_eq!(
            Scope::organisation(&[], &[], Some("eu-west-2")).label(),
            Some("org × eu-west-2".into())
        );
        assert_eq!(Scope::Here.label(), None);
    }
}
