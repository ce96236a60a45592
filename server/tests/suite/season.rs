//! «Сезон» (issue 26, point 2; F33) on both databases: a dispatcher moves two buildings into
//! the heating season at once and one back; each rule refuses by name and writes nothing (a
//! day in the future, before the previous change, the same day, a building already in that
//! season, a mixed group); a change is undone on its own day and not after; every change is
//! journaled; a reader sees, company B neither sees nor changes. And the season is what the
//! monitoring follows: a heat meter that stops in the heating season is a zero-use warning,
//! one that stops between seasons is not.

use chrono::NaiveDate;

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::season::{SeasonPage, SeasonState};
use app::models::Role;
use app::storage::reading::{self, Period};
use app::storage::testing::fixtures;
use app::storage::{audit, heating_season, object};

const DAY: i64 = 86_400;

fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive()
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

async fn page(w: &common::World, cookie: &str) -> Result<SeasonPage, AppError> {
    let (_, text, _) = common::call(&w.app, "seasons", "", Some(cookie)).await;
    serde_json::from_str(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn set(w: &common::World, objects: &[i64], heating: bool, day: &str, cookie: &str) -> Result<usize, AppError> {
    let mut pairs: Vec<(String, String)> = objects.iter().enumerate().map(|(i, o)| (format!("objects[{i}]"), o.to_string())).collect();
    pairs.push(("heating".into(), heating.to_string()));
    pairs.push(("starts_on".into(), day.into()));
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, text, _) = common::call(&w.app, "set_season", &common::form(&pairs), Some(cookie)).await;
    if status.is_success() {
        Ok(text.trim().parse().unwrap_or_else(|_| panic!("{text}")))
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

async fn undo(w: &common::World, object: i64, cookie: &str) -> Result<(), AppError> {
    let (status, text, _) = common::call(&w.app, "undo_season", &format!("object={object}"), Some(cookie)).await;
    if status.is_success() {
        Ok(())
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

fn refused(field: Msg, problem: Problem) -> Result<usize, AppError> {
    Err(AppError::invalid(field, problem))
}

/// (season, first day) of each building of the page, by id.
fn states(p: &SeasonPage) -> Vec<(i64, SeasonState, Option<String>)> {
    p.rows.iter().map(|r| (r.object_id, r.state(), r.changes.first().map(|c| c.starts_on.clone()))).collect()
}

async fn changes(w: &common::World) -> usize {
    heating_season::list(&w.db, w.a.company_id).await.unwrap().len()
}

both_backends!(a_dispatcher_moves_buildings_between_seasons_by_the_rules_and_undoes_on_the_same_day, |w| {
    let dispatcher = w.cookie(Role::Dispatcher);
    let second = fixtures::building_of(&w.db, w.a.company_id, "2").await.object_id;
    let (a, today) = (w.a.object_id, today());
    let p = page(w, dispatcher).await.unwrap();
    assert!(p.editable);
    assert!(p.rows.iter().all(|r| r.state() == SeasonState::Unset), "no season set yet");
    assert_eq!(p.rows.first().map(|r| r.today.clone()), Some(iso(today)));

    let october = today - chrono::Days::new(60);
    assert_eq!(set(w, &[a, second], true, &iso(october), dispatcher).await, Ok(2));
    let p = page(w, dispatcher).await.unwrap();
    let mut expected = vec![(a, SeasonState::Heating, Some(iso(october))), (second, SeasonState::Heating, Some(iso(october)))];
    expected.sort();
    let mut got = states(&p);
    got.sort();
    assert_eq!(got, expected);
    let row = p.rows.iter().find(|r| r.object_id == a).unwrap();
    assert!(row.undoable, "made today");
    assert!(!row.changes[0].set_by.is_empty(), "who set it is named");
    assert!(object::get(&w.db, w.a.company_id, a).await.unwrap().heating_season, "the building's mark follows");

    // each rule refuses by name and writes nothing
    let before = changes(w).await;
    let tomorrow = today + chrono::Days::new(1);
    assert_eq!(set(w, &[a], false, &iso(tomorrow), dispatcher).await, refused(Msg::SeStartsOn, Problem::InFuture));
    assert_eq!(set(w, &[a], false, &iso(october - chrono::Days::new(1)), dispatcher).await, refused(Msg::SeStartsOn, Problem::BeforePrevious));
    assert_eq!(set(w, &[a], false, &iso(october), dispatcher).await, refused(Msg::SeStartsOn, Problem::SameDay));
    assert_eq!(set(w, &[a], true, &iso(today), dispatcher).await, refused(Msg::SeObjects, Problem::SameSeason));
    assert_eq!(set(w, &[], false, &iso(today), dispatcher).await, refused(Msg::SeObjects, Problem::Required));
    assert_eq!(set(w, &[a], false, "07.12.2026", dispatcher).await, refused(Msg::SeStartsOn, Problem::BadFormat));
    assert_eq!(set(w, &[a], false, "1800-01-01", dispatcher).await, refused(Msg::SeStartsOn, Problem::OutOfRange));
    assert_eq!(changes(w).await, before, "nothing written");

    // one building back between seasons; then a group of one heated and one not is refused whole
    assert_eq!(set(w, &[second], false, &iso(today), dispatcher).await, Ok(1));
    assert_eq!(set(w, &[a, second], false, &iso(today), dispatcher).await, refused(Msg::SeObjects, Problem::SameSeason));
    assert_eq!(changes(w).await, before + 1, "none of the group written");
    assert!(!object::get(&w.db, w.a.company_id, second).await.unwrap().heating_season);

    // undone on its own day: the building is heated again since October
    undo(w, second, dispatcher).await.unwrap();
    let p = page(w, dispatcher).await.unwrap();
    let row = p.rows.iter().find(|r| r.object_id == second).unwrap();
    assert_eq!((row.state(), row.changes.len()), (SeasonState::Heating, 1));
    assert!(object::get(&w.db, w.a.company_id, second).await.unwrap().heating_season);

    // a change made yesterday stays
    sqlx::query("UPDATE heating_seasons SET set_at = set_at - $1 WHERE object_id = $2").bind(2 * DAY).bind(a).execute(w.db.pool()).await.unwrap();
    assert_eq!(undo(w, a, dispatcher).await, Err(AppError::invalid(Msg::SeUndoField, Problem::TooLate)));
    assert!(!page(w, dispatcher).await.unwrap().rows.iter().find(|r| r.object_id == a).unwrap().undoable);
    assert_eq!(changes(w).await, 2);

    let journal: Vec<(String, String)> =
        audit::list(&w.db, w.a.company_id, 50).await.unwrap().into_iter().map(|e| (e.action, e.details)).filter(|(a, _)| a.starts_with("season.")).collect();
    assert_eq!(journal.iter().filter(|(a, _)| a == "season.set").count(), 2, "{journal:?}");
    assert_eq!(journal.iter().filter(|(a, _)| a == "season.undo").count(), 1, "{journal:?}");
    assert!(journal.iter().any(|(a, d)| a == "season.set" && d.starts_with(&format!("Отопительный с {}", october.format("%d.%m.%Y"))) && d.contains("Дом 2")), "{journal:?}");
});

both_backends!(a_reader_sees_the_seasons_and_company_b_neither_sees_nor_changes_them, |w| {
    let a = w.a.object_id;
    assert_eq!(set(w, &[a], true, &iso(today()), w.cookie(Role::Dispatcher)).await, Ok(1));
    let reader = page(w, w.cookie(Role::Reader)).await.unwrap();
    assert!(!reader.editable);
    assert!(reader.rows.iter().all(|r| !r.undoable), "a reader undoes nothing");
    assert_eq!(states(&reader).into_iter().find(|(o, ..)| *o == a).map(|(_, s, _)| s), Some(SeasonState::Heating));
    assert_eq!(set(w, &[a], false, &iso(today()), w.cookie(Role::Reader)).await, Err(AppError::Forbidden));
    assert_eq!(undo(w, a, w.cookie(Role::Reader)).await, Err(AppError::Forbidden));

    let b = &w.b_dispatcher;
    assert!(page(w, b).await.unwrap().rows.iter().all(|r| r.object_id != a), "not company A's buildings");
    assert_eq!(set(w, &[a], false, &iso(today()), b).await, Err(AppError::NotFound));
    assert_eq!(undo(w, a, b).await, Err(AppError::NotFound));
    assert_eq!(set(w, &[w.b.object_id, a], true, &iso(today()), b).await, Err(AppError::NotFound), "one foreign building spoils the group");
    assert!(heating_season::list(&w.db, w.b.company_id).await.unwrap().is_empty(), "nothing written for B either");
    assert_eq!(changes(w).await, 1);
});

both_backends!(a_heat_meter_that_stops_is_a_zero_use_warning_in_the_heating_season_only, |w| {
    // the building's flat meter counts heat: some every day for a month, then nothing
    sqlx::query("UPDATE meters SET resource = 'heat' WHERE id = $1").bind(w.a.meter_id).execute(w.db.pool()).await.unwrap();
    let now = app::storage::now();
    // from the building's (Moscow's) midnight 40 days back to this one, whatever the hour
    let start = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, today()) - 40 * DAY;
    for i in 0..=40i64 {
        let v: rust_decimal::Decimal = (100 + 2 * i.min(31)).into();
        let r = fixtures::polled(w.a.company_id, w.a.channel_id, Period::Day, start + i * DAY, v);
        reading::insert_many(&w.db, &[r]).await.unwrap();
    }
    app::rollup::refresh_stale(&w.db, None, usize::MAX).await.unwrap();
    let zero_use = || async {
        let f = app::storage::event::Filter { limit: 100, ..Default::default() };
        app::storage::event::list(&w.db, w.a.company_id, &f).await.unwrap().into_iter().filter(|e| e.kind == "zero_use" && e.ended_at.is_none()).count()
    };
    app::monitoring::sweep_company(&w.db, w.a.company_id, now).await.unwrap();
    assert_eq!(zero_use().await, 0, "no season set: heat is not expected");

    // heated since before the stop: the stop is a warning
    let dispatcher = w.cookie(Role::Dispatcher);
    assert_eq!(set(w, &[w.a.object_id], true, &iso(today() - chrono::Days::new(45)), dispatcher).await, Ok(1));
    app::monitoring::sweep_company(&w.db, w.a.company_id, now + 60).await.unwrap();
    assert_eq!(zero_use().await, 1);

    // the season ended: heat is not expected, the warning ends
    assert_eq!(set(w, &[w.a.object_id], false, &iso(today()), dispatcher).await, Ok(1));
    app::monitoring::sweep_company(&w.db, w.a.company_id, now + 120).await.unwrap();
    assert_eq!(zero_use().await, 0);
});
