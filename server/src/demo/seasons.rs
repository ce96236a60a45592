//! The demo's heating seasons (issue 26, point 2): each building's changes on every
//! 1 October and 1 May its days cover, and the one in force on its first day, as the
//! companies' dispatcher set them at nine in the morning of each.

use app::consumption::calendar::day_start;
use app::storage::{heating_season, object, user, Db, StorageError};

use super::{shapes, DemoOptions};

/// Writes the seasons of `companies`' buildings; returns how many changes.
pub async fn generate(db: &Db, opts: &DemoOptions, companies: &[i64]) -> Result<usize, StorageError> {
    let dispatcher = user::get_by_login(db, "dispatcher").await?.map(|u| u.id);
    let changes = shapes::season_changes(opts.today - chrono::Duration::days(opts.days), opts.today);
    let mut n = 0;
    for &company_id in companies {
        for o in object::list(db, company_id).await? {
            let tz = app::queries::readings_table::zone(&o);
            for &(day, heating) in &changes {
                heating_season::record(db, company_id, &[o.id], heating, day, dispatcher, day_start(tz, day) + 9 * 3600).await?;
                n += 1;
            }
        }
    }
    Ok(n)
}
