//! «Ведомость поверки»: every meter whose verification has lapsed, falls due this month, or
//! in the next three months, grouped by that term — what a service engineer plans by.

use chrono::{Datelike, Months, NaiveDate};

use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::i18n::{resource_name, Lang, Msg};
use crate::models::reports::{Report, Cell};
use crate::models::Resource;
use crate::storage::{verification, Db};

pub async fn make(db: &Db, caller: &Caller, object_id: Option<i64>, lang: Lang) -> Result<Report, AppError> {
    let today = crate::queries::verification::today();
    let this_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).expect("a real month");
    let next = this_month + Months::new(1);
    let horizon = this_month + Months::new(4);
    let long_ago = NaiveDate::from_ymd_opt(1990, 1, 1).expect("a real day");
    let tx = |m: Msg| m.text(lang).to_string();
    let rows = verification::due(db, caller.company_id, object_id, long_ago, horizon)
        .await?
        .into_iter()
        .map(|m| {
            let term = if m.due_on < today {
                Msg::VerOverdue
            } else if m.due_on < next {
                Msg::RepDueThisMonth
            } else {
                Msg::RepDueSoon
            };
            let resource = Resource::parse(&m.resource).unwrap_or(Resource::Electricity);
            vec![
                Cell::from(tx(term)),
                m.object_name.into(),
                crate::queries::place(&m.placement, m.premise.as_deref()).into(),
                tx(resource_name(resource)).into(),
                m.model.into(),
                m.serial.into(),
                m.verified_on.into(),
                Cell::Date(m.due_on),
            ]
        })
        .collect::<Vec<_>>();
    let count = |term: Msg| rows.iter().filter(|r| r[0] == Cell::Text(tx(term))).count();
    // how many of each term, in a line under the title
    let counts = [Msg::VerOverdue, Msg::RepDueThisMonth, Msg::RepDueSoon]
        .into_iter()
        .map(|t| format!("{}: {}", tx(t), crate::models::format::integer(count(t) as i64)))
        .collect::<Vec<_>>()
        .join(" · ");
    Ok(Report {
        title: vec![format!("{} {}", tx(Msg::RepAsOf), crate::models::format::date(today)), counts],
        header: [Msg::RepTerm, Msg::NpObject, Msg::ColPlace, Msg::NpResource, Msg::Model, Msg::ColMeter, Msg::VerVerifiedOn, Msg::VerDueOn]
            .map(tx)
            .to_vec(),
        rows,
        ..Default::default()
    })
}
