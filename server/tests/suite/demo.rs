//! The demo company has what the monitoring screens need to find: a meter silent for 20
//! days, one reading that went down, a counter that rolled over, and sign-ins for every role.

use app::storage::reading::{self, Period};
use app::storage::{channel, meter, object, premise};
use server::demo::{generate, DemoOptions};

async fn daily_totals(
    db: &app::storage::Db,
    company_id: i64,
    meter_id: i64,
) -> Vec<(i64, rust_decimal::Decimal)> {
    let ch = channel::list_for_meter(db, company_id, meter_id)
        .await
        .unwrap()
        .remove(0);
    reading::list(db, company_id, ch.id, Period::Day, 0, i64::MAX)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.ts, r.total.unwrap()))
        .collect()
}

app::db_test!(
    the_demo_company_has_a_silent_meter_a_decrease_and_a_rollover,
    |db| {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let report = generate(
            &db,
            &DemoOptions {
                days: 60,
                today,
                ..Default::default()
            },
            |_| {},
        )
        .await
        .unwrap();
        assert_eq!(report.objects, 4);
        assert_eq!(report.premises, 752);
        assert_eq!(
            report.meters, 2748,
            "692 + 60 flats with 3–4 meters each, 4 common meters per building"
        );
        assert_eq!(report.logins.len(), 7);
        assert!(matches!(
            generate(&db, &DemoOptions::default(), |_| {}).await,
            Err(server::demo::DemoError::NotEmpty)
        ));

        let company_id: i64 = sqlx::query_scalar("SELECT MIN(id) FROM companies")
            .fetch_one(db.pool())
            .await
            .unwrap();
        let first = object::list(&db, company_id)
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.name == "ЖК «Огни», корпус 1")
            .unwrap();
        assert_eq!(first.time_zone, "Europe/Moscow");
        let flats = premise::list(&db, company_id, first.id).await.unwrap();
        let flat = |n: &str| flats.iter().find(|p| p.number == n).unwrap().id;
        let meter_of = |premise_id: i64, resource: app::models::Resource| {
            let db = db.clone();
            async move {
                meter::list_for_premise(&db, company_id, premise_id)
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|m| m.resource == resource)
                    .unwrap()
            }
        };

        // Flat 7's electricity meter stopped 20 days ago: its readings end there.
        let silent = meter_of(flat("7"), app::models::Resource::Electricity).await;
        let readings = daily_totals(&db, company_id, silent.id).await;
        assert_eq!(readings.len(), 40, "60 days minus the 20 silent ones");
        assert!(silent.last_contact_at.unwrap() < app::storage::now() - 15 * 86_400);

        // Flat 3's cold water shows one reading lower than the day before.
        let down = meter_of(flat("3"), app::models::Resource::ColdWater).await;
        let r = daily_totals(&db, company_id, down.id).await;
        let decreases = r.windows(2).filter(|w| w[1].1 < w[0].1).count();
        assert_eq!(decreases, 1, "exactly one reading went down");
        let ch = channel::list_for_meter(&db, company_id, down.id).await.unwrap().remove(0);
        let lowered = reading::list(&db, company_id, ch.id, Period::Day, 0, i64::MAX).await.unwrap();
        let flagged: Vec<_> = lowered.iter().filter(|r| r.flags != 0).collect();
        assert_eq!(flagged.len(), 1, "the lowered reading waits for a dispatcher, as the collector's checks leave it");
        assert_eq!(flagged[0].flags, reading::flags::DECREASED | reading::flags::NEEDS_CONFIRMATION);

        // Monitoring finds them: the lowered reading, the silent meter, and no more than one
        // event of a kind per meter however often it looks.
        let at = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, today) + 12 * 3600;
        let first_sweep = app::monitoring::sweep_company(&db, company_id, at).await.unwrap();
        assert!(first_sweep.opened >= 2, "{first_sweep:?}");
        assert_eq!(app::monitoring::sweep_company(&db, company_id, at + 120).await.unwrap().opened, 0);
        let open = app::storage::event::open_of(&db, company_id, "computed").await.unwrap();
        assert!(open.iter().any(|e| e.kind == "decreased" && e.meter_id == Some(down.id)), "{open:?}");
        assert!(open.iter().any(|e| e.kind == "silent" && e.meter_id == Some(silent.id)), "{open:?}");

        // Flat 5's cold water passes 99 999,999 m³ and starts again from zero.
        let roll = meter_of(flat("5"), app::models::Resource::ColdWater).await;
        let r = daily_totals(&db, company_id, roll.id).await;
        assert!(r[0].1 > rust_decimal::Decimal::from(99_990));
        assert!(r.last().unwrap().1 < rust_decimal::Decimal::from(100));
        assert!(
            r.iter()
                .all(|(_, v)| *v < rust_decimal::Decimal::from(100_000)),
            "never beyond the meter's five integer digits"
        );

        // Multi-tariff electricity: the total is the sum of the tariffs.
        let ch = channel::list_for_meter(
            &db,
            company_id,
            meter_of(flat("12"), app::models::Resource::Electricity)
                .await
                .id,
        )
        .await
        .unwrap()
        .remove(0);
        for r in reading::list(&db, company_id, ch.id, Period::Day, 0, i64::MAX)
            .await
            .unwrap()
        {
            let sum: rust_decimal::Decimal = r.tariffs.iter().flatten().copied().sum();
            assert_eq!(r.total.unwrap(), sum);
        }

        // Archives: a monthly record on each 1st, the same as that day's; the common meters
        // keep their last three weeks by the hour, each hour's register between the day's
        // two midnights.
        let daily: std::collections::HashMap<i64, _> = reading::list(&db, company_id, ch.id, Period::Day, 0, i64::MAX)
            .await
            .unwrap()
            .into_iter()
            .map(|r| (r.ts, r.total))
            .collect();
        let monthly = reading::list(&db, company_id, ch.id, Period::Month, 0, i64::MAX).await.unwrap();
        assert!(!monthly.is_empty());
        for r in &monthly {
            let day = app::consumption::calendar::local_date(chrono_tz::Europe::Moscow, r.ts);
            assert_eq!(chrono::Datelike::day(&day), 1, "a monthly record opens a month");
            assert_eq!(daily.get(&r.ts), Some(&r.total));
        }
        let mut best: Option<(Vec<reading::Reading>, Vec<(i64, rust_decimal::Decimal)>)> = None;
        for m in meter::list_for_object(&db, company_id, first.id).await.unwrap() {
            if m.placement != app::models::Placement::Common {
                continue;
            }
            let c = channel::list_for_meter(&db, company_id, m.id).await.unwrap().remove(0);
            let hours = reading::list(&db, company_id, c.id, Period::Hour, 0, i64::MAX).await.unwrap();
            if best.as_ref().is_none_or(|(h, _)| hours.len() > h.len()) {
                best = Some((hours, daily_totals(&db, company_id, m.id).await));
            }
        }
        let (hours, days) = best.unwrap();
        assert_eq!(hours.len(), 21 * 24, "three weeks by the hour");
        let whole = days
            .windows(2)
            .rev()
            .find(|w| w[1].0 - w[0].0 == 86_400 && w[1].1 >= w[0].1)
            .expect("two days in a row");
        let of_day: Vec<_> = hours.iter().filter(|r| r.ts >= whole[0].0 && r.ts < whole[1].0).collect();
        assert_eq!(of_day.len(), 24);
        assert_eq!(of_day[0].total, Some(whole[0].1));
        assert!(of_day.windows(2).all(|w| w[0].total <= w[1].total), "running totals never go back within a day");
        assert!(of_day[23].total.unwrap() <= whole[1].1);
    }
);
