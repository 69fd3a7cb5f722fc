//! The current account's hosted zones, the view the pane opens on: a list pane of `HostedZone`s.

use crate::app::list::Listing;
use crate::domain::dns::HostedZone;
use crate::rows::Cells;

impl Cells for HostedZone {
    fn headers() -> &'static [&'static str] {
        &["ZONE", "ID", "VISIBILITY", "RECORDS", "COMMENT"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.id.clone(),
            if self.private { "private" } else { "public" }.into(),
            self.record_count.to_string(),
            self.comment.clone(),
        ]
    }
}

impl Listing for HostedZone {
    fn key(&self) -> String {
        self.id.clone()
    }
}
