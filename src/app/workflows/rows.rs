//! The machine list's rows.

use chrono::{DateTime, Utc};

use crate::app::list::Listing;
use crate::domain::time;
use crate::domain::workflows::StateMachine;
use crate::rows::Cells;

impl Cells for StateMachine {
    fn headers() -> &'static [&'static str] {
        &["NAME", "TYPE", "CREATED", "ARN"]
    }

    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.kind.as_str().into(),
            self.created.map(time::stamp).unwrap_or_default(),
            self.arn.clone(),
        ]
    }
}

impl Listing for StateMachine {
    fn key(&self) -> String {
        self.arn.clone()
    }

    fn screen_cells(&self, now: DateTime<Utc>) -> Vec<String> {
        let mut cells = self.cells();
        cells[2] = self.created.map(|t| time::age(t, now)).unwrap_or_default();
        cells
    }
}
