//! «Баланс дома»: per building and resource, what the common meters (ОДПУ) counted against
//! the sum of the individual ones (ИПУ) over a month, the difference and its share. The
//! figures are the subscribers' list's totals for the same month, so the two agree; the
//! balance groups and norms of the balance work will take over where they exist.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::auth::caller::Caller;
use crate::errors::AppError;
use crate::i18n::{resource_name, unit_name, Lang, Msg};
use crate::models::reports::{Report, Cell};
use crate::models::subscribers::SubscribersQuery;
use crate::models::Amount;
use crate::storage::{object, Db};

pub async fn make(db: &Db, caller: &Caller, objects: &[object::Object], month: NaiveDate, lang: Lang) -> Result<Report, AppError> {
    let tx = |m: Msg| m.text(lang).to_string();
    let mut rows = Vec::new();
    for o in objects {
        let q = SubscribersQuery { object: Some(o.id), month: Some(month), ..Default::default() };
        let t = crate::queries::subscribers::table(db, caller, &q).await?;
        for (g, c) in t.columns.iter().enumerate() {
            let common = t.common[g][0];
            let individual = t.individual[g][0];
            rows.push(row(&o.name, tx(resource_name(c.resource)), tx(unit_name(c.resource)), common, individual, lang));
        }
    }
    Ok(Report {
        header: [
            Msg::NpObject,
            Msg::NpResource,
            Msg::Unit,
            Msg::RepCommon,
            Msg::RepIndividualSum,
            Msg::RepDifference,
            Msg::RepDifferenceShare,
            Msg::RepMarks,
        ]
        .map(tx)
        .to_vec(),
        rows,
        note: Some(tx(Msg::RepBalanceNote)),
        ..Default::default()
    })
}

fn row(object: &str, resource: String, unit: String, common: Option<Amount>, individual: Option<Amount>, lang: Lang) -> Vec<Cell> {
    let tx = |m: Msg| m.text(lang).to_string();
    let known = |a: Option<Amount>| a.and_then(Amount::known);
    let (c, i) = (known(common), known(individual));
    let difference = c.zip(i).map(|(c, i)| c - i);
    let share = difference.zip(c).filter(|(_, c)| !c.is_zero()).map(|(d, c)| (d * Decimal::from(100) / c).round_dp(2));
    let mut marks = Vec::new();
    if common.is_none() {
        marks.push(tx(Msg::RepMarkNoCommon));
    }
    if [common, individual].iter().flatten().any(|a| !a.is_full()) {
        marks.push(tx(Msg::RepMarkGap));
    }
    vec![
        object.into(),
        resource.into(),
        unit.into(),
        c.into(),
        i.into(),
        difference.into(),
        share.into(),
        marks.join(", ").into(),
    ]
}
