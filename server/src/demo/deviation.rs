//! The demo's deviation rules (issue 23, point 5): in «УК Огни»'s last building the common
//! heat meter is held to a contract's daily heat set at half of what it counted on its newest
//! day (so «Отклонения» shows a red tile and «Нештатные ситуации» an event on the first
//! look), and the common electricity meter to the average of its three days before, ± 50 %.
//! The company's first building is left with every rule off, as a new building starts.

use app::models::deviation::{Band, Basis, Rule};
use app::models::{MeterState, Placement, Resource};
use app::storage::reading::Period;
use app::storage::{channel, deviation_rule, meter, object, reading, Db, StorageError};
use rust_decimal::Decimal;

/// Sets the rules; returns how many.
pub async fn generate(db: &Db, company_id: i64, now: i64) -> Result<usize, StorageError> {
    let Some(building) = object::list(db, company_id).await?.into_iter().max_by_key(|o| o.id) else {
        return Ok(0);
    };
    let common: Vec<meter::Meter> = meter::list_for_object(db, company_id, building.id)
        .await?
        .into_iter()
        .filter(|m| m.placement == Placement::Common && m.state == MeterState::InOperation)
        .collect();
    let mut rules = Vec::new();
    if let Some(heat) = common.iter().find(|m| m.resource == Resource::Heat) {
        let channels = channel::list_for_meter(db, company_id, heat.id).await?;
        if let Some(c) = channels.first() {
            let days = reading::archive_of_channels(db, company_id, &[c.id], Period::Day, now - 10 * 86_400, now + 1).await?;
            let steps = app::monitoring::deviation::counted(&days, true);
            if let Some(&(_, last)) = steps.last().filter(|(_, v)| !v.is_zero()) {
                rules.push(Rule {
                    parameter: c.parameter.clone(),
                    enabled: true,
                    basis: Basis::Constant,
                    constant: Some((last / Decimal::TWO).round_dp(3).normalize()),
                    band: Band::Percent,
                    tolerance: Decimal::from(10),
                });
            }
        }
    }
    if let Some(power) = common.iter().find(|m| m.resource == Resource::Electricity) {
        if let Some(c) = channel::list_for_meter(db, company_id, power.id).await?.first() {
            rules.push(Rule { parameter: c.parameter.clone(), enabled: true, basis: Basis::Average, constant: None, band: Band::Percent, tolerance: Decimal::from(50) });
        }
    }
    deviation_rule::save(db, company_id, building.id, &rules, None, now).await?;
    Ok(rules.len())
}
