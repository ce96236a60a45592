//! «Абоненты и потребление» (F9) over HTTP on both databases: a row per account with the
//! month's consumption per tariff, individual and common totals apart, search, sort and
//! pages, the account card, and the same figures as the dashboard, the meter page and the
//! Excel file.

use crate::common;

use common::october::{d, daily, oct, october};

use app::models::dashboard::Dashboard;
use app::models::meter_card::MeterCard;
use app::models::subscribers::{AccountView, SubscribersPage};
use app::models::{Amount, MeterState, Resource, Role};
use app::storage::reading::{self, Period, Reading, Source};
use app::storage::{account, meter};
use axum::http::StatusCode;
use chrono::NaiveDate;

async fn page(w: &common::World, body: &str) -> SubscribersPage {
    let (status, text, _) = common::call(&w.app, "subscribers", body, Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

both_backends!(a_row_per_account_with_the_months_consumption_and_totals_apart, |w| {
    let (_, new_water) = october(w).await;
    let p = page(w, &format!("query[object]={}&query[month]=2025-10-01", w.a.object_id)).await;
    assert_eq!(p.month, NaiveDate::from_ymd_opt(2025, 10, 1).unwrap());
    assert!(p.whole);
    assert_eq!(p.columns.iter().map(|c| c.resource).collect::<Vec<_>>(), vec![Resource::Electricity, Resource::ColdWater]);
    assert_eq!(p.columns[0].slots, vec![1, 2, 0], "T1, T2 and the total");
    assert_eq!(p.columns[1].slots, vec![0]);
    assert_eq!(p.rows.iter().map(|r| r.account.as_str()).collect::<Vec<_>>(), vec![common::ACCOUNT_A, "0076000102", "0076000103"]);
    let full = |s: &str| Some(Amount::Full(d(s)));
    let power = p.rows[0].values[0];
    assert_eq!((power[0], power[1], power[2]), (full("387.5"), full("255.75"), full("131.75")));
    // 15 days of the old meter (0,2) and 16 of the new one (0,3): 7,8 m³, no negative step
    assert_eq!(p.rows[1].values[1][0], full("7.8"));
    assert_eq!(p.rows[1].values[0][0], None, "flat 2 has no electricity meter: an empty cell");
    assert_eq!(p.rows[2].values[1][0], None, "an account with no meters has nothing");
    assert_eq!(p.individual[0][0], full("387.5"));
    assert_eq!(p.individual[1][0], full("7.8"));
    assert_eq!(p.common[1][0], full("155"), "the common meter apart");
    assert_eq!(p.common[0][0], None, "no common electricity meter");

    // the dashboard counts the same month the same
    let (_, text, _) = common::call(&w.app, "dashboard", "span=month&date=2025-10-01", Some(w.cookie(Role::Reader))).await;
    let dash: Dashboard = serde_json::from_str(&text).unwrap();
    let dash_power = dash.resources.iter().find(|r| r.resource == Resource::Electricity).unwrap();
    assert_eq!(dash_power.values[0], Some(d("387.5")));
    assert_eq!(dash_power.values[1], Some(d("255.75")));
    let dash_water = dash.resources.iter().find(|r| r.resource == Resource::ColdWater).unwrap();
    assert_eq!(dash_water.values[0], Some(d("7.8")));
    assert_eq!(dash.common[0].values[0], Some(d("155")));

    // the account card and the meter page too
    let (status, text, _) = common::call(&w.app, "account_card", "account=0076000102&month=2025-10-01", Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let card: AccountView = serde_json::from_str(&text).unwrap();
    assert_eq!(card.flat, "2");
    assert_eq!(card.meters.len(), 2, "the retired meter is still listed");
    assert_eq!(card.meters[0].meter.serial, "W-NEW");
    assert_eq!(card.meters[0].month[0], Amount::Full(d("7.8")));
    assert_eq!(card.meters[1].meter.state, MeterState::Retired);
    assert_eq!(card.meters[1].month[0], Amount::NoData, "counted under its successor");
    assert_eq!(card.meters[0].meter.last.as_ref().unwrap().values[0], Some(d("4.8")));
    let (_, text, _) = common::call(&w.app, "meter_card", &format!("id={new_water}&month=2025-10-01"), Some(w.cookie(Role::Reader))).await;
    let meter_card: MeterCard = serde_json::from_str(&text).unwrap();
    assert_eq!(meter_card.month_total[0], Amount::Full(d("7.8")));

    // and the Excel file holds the rows and totals
    let (status, body, _) = common::get(&w.app, &format!("/export/subscribers.csv?object={}&month=2025-10-01", w.a.object_id), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("0076000102") && body.contains("7,8"), "{body}");
    assert!(body.contains("387,5") && body.contains("155"), "{body}");
});

both_backends!(the_list_searches_sorts_and_pages_and_stays_in_its_company, |w| {
    october(w).await;
    let found = page(w, &format!("query[object]={}&query[month]=2025-10-01&query[q]=Сидорова", w.a.object_id)).await;
    assert_eq!(found.rows.len(), 1);
    assert_eq!(found.rows[0].account, "0076000102");
    let by_serial = page(w, &format!("query[object]={}&query[month]=2025-10-01&query[q]=W-NEW", w.a.object_id)).await;
    assert_eq!(by_serial.total_rows, 1);
    let desc = page(w, &format!("query[object]={}&query[month]=2025-10-01&query[sort][resource]=0&query[desc]=true", w.a.object_id)).await;
    assert_eq!(desc.rows[0].account, common::ACCOUNT_A, "most electricity first");
    let paged = page(w, &format!("query[object]={}&query[month]=2025-10-01&query[per_page]=25&query[page]=9", w.a.object_id)).await;
    assert_eq!((paged.page, paged.rows.len(), paged.total_rows), (1, 3, 3), "a page past the end is the last");

    let (_, text, _) = common::call(&w.app, "subscribers", &format!("query[object]={}", w.a.object_id), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(app::errors::AppError::NotFound));
    let (_, text, _) = common::call(&w.app, "account_card", &format!("account={}", common::ACCOUNT_A), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(app::errors::AppError::NotFound));
    let (_, text, _) = common::call(&w.app, "account_card", &format!("account={}", common::ACCOUNT_A), Some(w.cookie(Role::Resident))).await;
    assert_eq!(common::error_of(&text), Some(app::errors::AppError::Forbidden));
});

both_backends!(the_list_follows_every_change_of_its_building_at_once, |w| {
    let (flat2, _) = october(w).await;
    let body = format!("query[object]={}&query[month]=2025-10-01", w.a.object_id);
    let before = page(w, &body).await;
    assert_eq!(before.total_rows, 3);
    assert_eq!(page(w, &body).await, before, "the same list twice");

    // a new account of flat 2 is a new row
    account::create(&w.db, &account::Account {
        id: 0,
        company_id: w.a.company_id,
        premise_id: flat2,
        number: "0076000199".into(),
        owner_name: "Новикова О. И.".into(),
    })
    .await
    .unwrap();
    let with_account = page(w, &body).await;
    assert_eq!(with_account.total_rows, 4);
    assert!(with_account.rows.iter().any(|r| r.owner == "Новикова О. И."));

    // a reading of November changes November's figure (the rollup re-sums the building;
    // no meter, flat or account changed)
    let november = format!("query[object]={}&query[month]=2025-11-01", w.a.object_id);
    let first = page(w, &november).await;
    let power = |p: &SubscribersPage| p.rows.iter().find(|r| r.account == common::ACCOUNT_A).unwrap().values[0][0];
    reading::insert_many(&w.db, &[daily(w.a.company_id, w.a.channel_id, oct(33), d("1400"), [Some(d("860")), Some(d("540"))])])
        .await
        .unwrap();
    let second = page(w, &november).await;
    assert_ne!(power(&second), power(&first), "the new reading counts at once");
    assert_eq!(power(&second).and_then(|a| a.known()), Some(d("12.5")), "1 400 − 1 387,5");

    // a retired meter leaves the flat's figure
    meter::set_state(&w.db, w.a.company_id, w.a.meter_id, MeterState::Retired).await.unwrap();
    sqlx::query("UPDATE meters SET serial = 'ПЕРЕИМЕНОВАН' WHERE id = $1")
        .bind(w.a.meter_id)
        .execute(w.db.pool())
        .await
        .unwrap();
    let renamed = page(w, &format!("{body}&query[q]=ПЕРЕИМЕНОВАН")).await;
    assert_eq!(renamed.total_rows, 1, "a meter's new serial is searched at once");
});

/// A reading a controller typed on a local day (Moscow noon).
fn typed_on(w: &common::World, y: i32, m: u32, day: u32, total: &str) -> Reading {
    let ts = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, NaiveDate::from_ymd_opt(y, m, day).unwrap()) + 12 * 3600;
    Reading {
        period: Period::Instant,
        source: Source::FieldStaff,
        ..daily(w.a.company_id, w.a.channel_id, ts, d(total), [None, None])
    }
}

both_backends!(a_flat_read_on_the_20th_shows_its_billing_period_with_what_each_figure_stands_on, |w| {
    use app::models::period::Basis;
    let readings = [(8, "1000"), (9, "1100"), (10, "1200"), (11, "1300.5")]
        .map(|(m, v)| typed_on(w, 2026, m, 20, v));
    reading::insert_many(&w.db, &readings).await.unwrap();
    let at = |month: &str| format!("query[object]={}&query[month]={month}&query[by_period]=true", w.a.object_id);

    // November: its reading minus October's, measured
    let p = page(w, &at("2026-11-01")).await;
    assert_eq!(p.window, Some(app::models::period::BillingWindow::default()));
    assert_eq!(p.rows[0].account, common::ACCOUNT_A);
    assert_eq!(p.rows[0].values[0][0], Some(Amount::Full(d("100.5"))));
    assert_eq!(p.rows[0].bases, vec![Basis::Measured]);
    // the calendar month of the same meter has nothing whole: every step straddles a month
    let calendar = page(w, &format!("query[object]={}&query[month]=2026-11-01", w.a.object_id)).await;
    assert_eq!(calendar.window, None);
    assert_ne!(calendar.rows[0].values[0][0], Some(Amount::Full(d("100.5"))));

    // December has no reading: the average of August–November (300,5 over 3), marked
    let p = page(w, &at("2026-12-01")).await;
    assert_eq!(p.rows[0].values[0][0], Some(Amount::Full(d("100.167"))));
    assert_eq!(p.rows[0].bases, vec![Basis::Average]);

    // the account card shows the period beside the month, with its basis
    let (status, text, _) = common::call(&w.app, "account_card", &format!("account={}&month=2026-11-01", common::ACCOUNT_A), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let card: AccountView = serde_json::from_str(&text).unwrap();
    let line = card.meters.iter().find(|m| m.meter.id == w.a.meter_id).unwrap();
    assert_eq!(line.period[0].amount, Amount::Full(d("100.5")));
    assert_eq!(line.period[0].basis, Basis::Measured);

    // and the meter's page, beside its calendar month
    let (status, text, _) = common::call(&w.app, "meter_card", &format!("id={}&month=2026-12-01", w.a.meter_id), Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let card: MeterCard = serde_json::from_str(&text).unwrap();
    assert_eq!(card.period[0].amount, Amount::Full(d("100.167")));
    assert_eq!(card.period[0].basis, Basis::Average);
});

both_backends!(the_period_terms_are_checked_before_anything_is_stored, |w| {
    let admin = w.cookie(Role::Administrator).to_string();
    let save = |first: &str, last: &str, norm: &str| {
        common::form(&[("first_day", first), ("last_day", last), ("norms[city0_cold_water]", norm), ("norms[city0_heat]", "")])
    };
    let (status, text, _) = common::call(&w.app, "save_period_terms", &save("10", "20", "6,935"), Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    for bad in [save("20", "10", "1"), save("0", "20", "1"), save("10", "31", "1"), save("10", "20", "много"), save("10", "20", "-1")] {
        let (status, text, _) = common::call(&w.app, "save_period_terms", &bad, Some(&admin)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {text}");
    }
    // a city the company does not work in is nobody's to set
    let foreign = common::form(&[("first_day", "10"), ("last_day", "20"), ("norms[city999999_cold_water]", "1")]);
    let (status, _, _) = common::call(&w.app, "save_period_terms", &foreign, Some(&admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, text, _) = common::call(&w.app, "period_terms", "", Some(w.cookie(Role::Reader))).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let t: app::models::period::BillingTerms = serde_json::from_str(&text).unwrap();
    assert_eq!((t.window.first_day, t.window.last_day), (10, 20), "a refused save changed nothing");
    assert_eq!(t.norms[0].city_id, 0, "every city's norms first");
    assert_eq!(t.norms[0].values.iter().find(|(r, _)| *r == Resource::ColdWater).unwrap().1, "6,935");
    assert!(!t.editable, "a reader reads them only");
});

both_backends!(a_buildings_own_norm_stands_in_for_a_missing_reading_before_the_companys, |w| {
    use app::models::period::{Basis, ObjectNormsView};
    let admin = w.cookie(Role::Administrator).to_string();
    let company = common::form(&[("first_day", "15"), ("last_day", "25"), ("norms[city0_electricity]", "90")]);
    let (status, text, _) = common::call(&w.app, "save_period_terms", &company, Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let own = |v: &str| format!("object={}&{}", w.a.object_id, common::form(&[("norms[electricity]", v)]));
    for bad in ["много", "-5"] {
        let (status, text, _) = common::call(&w.app, "save_object_norms", &own(bad), Some(&admin)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {text}");
    }
    let (status, text, _) = common::call(&w.app, "save_object_norms", &own("50,5"), Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let (_, text, _) = common::call(&w.app, "object_norms", &format!("object={}", w.a.object_id), Some(w.cookie(Role::Reader))).await;
    let n: ObjectNormsView = serde_json::from_str(&text).unwrap();
    let power = n.values.iter().find(|(r, ..)| *r == Resource::Electricity).unwrap();
    assert_eq!((power.1.as_str(), power.2.as_str()), ("50,5", "90"), "its own beside the company's");
    assert!(!n.editable);

    // flat 1 has two residents and one reading in September only: November by the norm
    sqlx::query("UPDATE premises SET residents = 2 WHERE id = $1").bind(w.a.premise_id).execute(w.db.pool()).await.unwrap();
    reading::insert_many(&w.db, &[typed_on(w, 2026, 9, 20, "1000")]).await.unwrap();
    let p = page(w, &format!("query[object]={}&query[month]=2026-11-01&query[by_period]=true", w.a.object_id)).await;
    assert_eq!(p.rows[0].values[0][0], Some(Amount::Full(d("101"))));
    assert_eq!(p.rows[0].bases, vec![Basis::Norm]);
});
