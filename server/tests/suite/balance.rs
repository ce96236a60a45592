//! Balance (issue 24) on both databases, worked by hand: a building's common meter against
//! its flats' meters by day and month; a group with «+», «−» and left-out children; a flat
//! without data makes the day partial and unjudged, never guessed; the allowed imbalance
//! of the company overridden by the building's own; groups of their own; bad input refused
//! whole; another company's buildings and groups not found; the page's file.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::balance::{Balance, GroupsView, Part, Verdict};
use app::models::capacity::DigitCapacity;
use app::models::{Amount, Placement, Resource, Role};
use app::storage::testing::fixtures;
use app::storage::{meter, norm, premise, Db};
use axum::http::StatusCode;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn full(s: &str) -> Amount {
    Amount::Full(d(s))
}

fn oct(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, day).unwrap()
}

/// An electricity meter in building A with its channel: common, or in a new flat numbered
/// `flat`; (meter, channel).
async fn electricity_meter(w: &common::World, serial: &str, flat: Option<&str>) -> (i64, i64) {
    let mut m = meter::Meter::new(w.a.company_id, w.a.object_id, Resource::Electricity, "Меркурий 230", serial, DigitCapacity::new(6, 2).unwrap());
    if let Some(number) = flat {
        let p = premise::create(
            &w.db,
            &premise::Premise { company_id: w.a.company_id, object_id: w.a.object_id, number: number.into(), ..Default::default() },
        )
        .await
        .unwrap();
        m.premise_id = Some(p.id);
        m.placement = Placement::Individual;
    }
    let m = meter::create(&w.db, &m).await.unwrap();
    (m.id, fixtures::main_channel(&w.db, &m).await)
}

/// Daily totals at Moscow midnights from 1 October 2026, then the rollup.
async fn readings(db: &Db, company_id: i64, channel: i64, totals: &[&str]) {
    common::daily_totals(db, company_id, channel, oct(1), totals).await
}

/// The building's input and four flats (the fixture's flat 1 among them), read on 1–4 October:
/// the input counted 100, 110 and 90 on the 1st–3rd; flat 1 40, 50, 40; flat 2 10 a day;
/// flat 3 5 and 7, then nothing; flat 4 50, 50, 40. (root, flat 2, flat 3, flat 4).
async fn october(w: &common::World) -> (i64, i64, i64, i64) {
    let root = electricity_meter(w, "ВРУ-1", None).await;
    let f2 = electricity_meter(w, "F2", Some("2")).await;
    let f3 = electricity_meter(w, "F3", Some("3")).await;
    let f4 = electricity_meter(w, "F4", Some("4")).await;
    let c = w.a.company_id;
    readings(&w.db, c, root.1, &["1000", "1100", "1210", "1300"]).await;
    readings(&w.db, c, w.a.channel_id, &["500", "540", "590", "630"]).await;
    readings(&w.db, c, f2.1, &["0", "10", "20", "30"]).await;
    readings(&w.db, c, f3.1, &["200", "205", "212"]).await;
    readings(&w.db, c, f4.1, &["300", "350", "400", "440"]).await;
    (root.0, f2.0, f3.0, f4.0)
}

async fn balance(w: &common::World, query: &str, role: Role) -> Result<Balance, AppError> {
    let body = common::form(&[("query", query)]);
    let (_, text, _) = common::call(&w.app, "group_balance", &body, Some(w.cookie(role))).await;
    serde_json::from_str::<Balance>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn groups(w: &common::World, object: i64, group: Option<i64>) -> GroupsView {
    let mut body = format!("object={object}&resource=electricity");
    if let Some(g) = group {
        body.push_str(&format!("&group={g}"));
    }
    let (_, text, _) = common::call(&w.app, "balance_groups", &body, Some(w.cookie(Role::Dispatcher))).await;
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"))
}

/// Saves a group as the editor's form does; the answer's status and error.
async fn save(w: &common::World, cookie: &str, fields: &[(&str, &str)]) -> (StatusCode, Option<AppError>) {
    let (status, text, _) = common::call(&w.app, "save_balance_group", &common::form(fields), Some(cookie)).await;
    (status, common::error_of(&text))
}

both_backends!(a_group_with_plus_minus_and_left_out_children_is_balanced_day_by_day, |w| {
    let (root, f2, f3, f4) = october(w).await;
    let object = w.a.object_id.to_string();
    let cookie = w.cookie(Role::Dispatcher);
    let (m2, m3) = (format!("parts[m{f2}]"), format!("parts[m{f3}]"));
    let (status, error) = save(w, cookie, &[("object", &object), ("resource", "electricity"), (&m2, "excluded"), (&m3, "minus"), ("norm", "15,2")]).await;
    assert_eq!((status, error), (StatusCode::OK, None));

    let b = balance(w, &format!("object={object}&resource=electricity&by=day&month=2026-10"), Role::Dispatcher).await.unwrap();
    assert_eq!(b.norm, Some(d("15.2")));
    let parts: Vec<(i64, Part)> = b.members.iter().map(|m| (m.meter_id, m.part)).collect();
    for want in [(root, Part::Root), (w.a.meter_id, Part::Plus), (f2, Part::Excluded), (f3, Part::Minus), (f4, Part::Plus)] {
        assert!(parts.contains(&want), "{want:?} in {parts:?}");
    }
    assert_eq!(b.rows.len(), 31, "every day of October");
    // 1 Oct: 100 against 40 + 50 − 5 = 85: 15 over, 15 % — within 15,2 %
    let r = &b.rows[0];
    assert_eq!((r.day, r.root, r.children, r.imbalance, r.share), (Some(oct(1)), full("100"), full("85"), full("15"), Some(d("15"))));
    assert_eq!(r.verdict, Verdict::Within);
    // 2 Oct: 110 against 50 + 50 − 7 = 93: 17, 15,45 % — over
    let r = &b.rows[1];
    assert_eq!((r.root, r.children, r.imbalance, r.share), (full("110"), full("93"), full("17"), Some(d("15.45"))));
    assert_eq!(r.verdict, Verdict::Over);
    // 3 Oct: flat 3 has no reading after the 3rd: the known 40 + 40, marked, not judged
    let r = &b.rows[2];
    assert_eq!((r.root, r.children, r.imbalance, r.share), (full("90"), Amount::Partial(d("80")), Amount::Partial(d("10")), None));
    assert_eq!((r.verdict, r.missing), (Verdict::Incomplete, 1));
    // 4 Oct on: nothing at all, nothing guessed
    assert_eq!((b.rows[3].root, b.rows[3].verdict), (Amount::NoData, Verdict::Incomplete));
    assert_eq!(b.over(), 1);
    assert!(!b.total.root.is_full(), "October is only partly measured");

    // the table and its file say the same
    let (_, rows) = b.table(app::i18n::Lang::Ru);
    assert_eq!(rows[2][2].shown(), "80*");
    assert_eq!(rows[3][1].shown(), "–*");
    let path = format!("/export/balance.csv?{}", b.query.query_string());
    let (status, kind, bytes) = common::get_file(&w.app, &path, cookie).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    assert!(kind.starts_with("text/csv"), "{kind}");
    let csv = String::from_utf8(bytes).unwrap();
    assert!(csv.contains("15,45") && csv.contains("80*") && csv.contains("сверх нормы"), "{csv}");
    let (status, kind, _) = common::get_file(&w.app, &path.replace(".csv", ".xlsx"), cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
});

both_backends!(the_buildings_own_allowed_imbalance_overrides_the_companys_and_empty_brings_it_back, |w| {
    october(w).await;
    let c = w.a.company_id;
    norm::set(&w.db, norm::Kind::Imbalance, c, norm::Scope::Company, Resource::Electricity, Some(d("20"))).await.unwrap();
    let query = format!("object={}&resource=electricity&by=day&month=2026-10", w.a.object_id);
    let b = balance(w, &query, Role::Reader).await.unwrap();
    assert_eq!(b.norm, Some(d("20")), "the company's");
    // all flats «+»: 1 Oct 100 against 40 + 10 + 5 + 50 = 105: −5 %
    assert_eq!((b.rows[0].share, b.rows[0].verdict), (Some(d("-5")), Verdict::Within));

    let object = w.a.object_id.to_string();
    let (status, _) = save(w, w.cookie(Role::Dispatcher), &[("object", &object), ("resource", "electricity"), ("norm", "4")]).await;
    assert_eq!(status, StatusCode::OK);
    let b = balance(w, &query, Role::Reader).await.unwrap();
    assert_eq!(b.norm, Some(d("4")), "the building's own");
    assert_eq!(b.rows[0].verdict, Verdict::Over, "|−5 %| is over 4 %");
    let g = groups(w, w.a.object_id, None).await;
    assert_eq!((g.own_norm.as_str(), g.inherited_norm.as_str()), ("4", "20"));

    save(w, w.cookie(Role::Dispatcher), &[("object", &object), ("resource", "electricity"), ("norm", "")]).await;
    assert_eq!(balance(w, &query, Role::Reader).await.unwrap().norm, Some(d("20")), "empty: the company's again");
});

both_backends!(the_buildings_own_group_takes_a_new_meter_by_its_placement, |w| {
    let (_, f2, _, _) = october(w).await;
    let object = w.a.object_id.to_string();
    let m2 = format!("parts[m{f2}]");
    save(w, w.cookie(Role::Dispatcher), &[("object", &object), ("resource", "electricity"), (&m2, "minus")]).await;
    let (f5, _) = electricity_meter(w, "F5", Some("5")).await;
    let g = groups(w, w.a.object_id, None).await;
    let part = |id: i64| g.meters.iter().find(|m| m.meter_id == id).and_then(|m| m.part);
    assert_eq!(part(f2), Some(Part::Minus), "the change kept");
    assert_eq!(part(f5), Some(Part::Plus), "a new flat meter joins with «+»");
    assert!(g.editable);
});

both_backends!(a_group_of_its_own_counts_only_its_meters, |w| {
    let (root, _, _, f4) = october(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    let body = format!("object={}&resource=electricity&{}", w.a.object_id, common::form(&[("name", "Второй ввод")]));
    let (status, text, _) = common::call(&w.app, "create_balance_group", &body, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let id: i64 = serde_json::from_str(&text).unwrap();
    let g = groups(w, w.a.object_id, Some(id)).await;
    assert!(g.meters.iter().all(|m| m.part.is_none()), "a new group is empty");

    let (object, group) = (w.a.object_id.to_string(), id.to_string());
    let (mr, m4) = (format!("parts[m{root}]"), format!("parts[m{f4}]"));
    let fields = [("object", object.as_str()), ("resource", "electricity"), ("group", &group), ("name", "Второй ввод"), (&mr, "root"), (&m4, "plus")];
    assert_eq!(save(w, cookie, &fields).await, (StatusCode::OK, None));
    let b = balance(w, &format!("object={object}&resource=electricity&group={id}&by=day&month=2026-10"), Role::Dispatcher).await.unwrap();
    assert_eq!(b.query.group, Some(id));
    assert_eq!(b.group_name, "Второй ввод");
    assert_eq!(b.members.len(), 2);
    // 1 Oct: 100 against flat 4's 50
    assert_eq!((b.rows[0].children, b.rows[0].imbalance, b.rows[0].share), (full("50"), full("50"), Some(d("50"))));
    assert_eq!(b.rows[0].verdict, Verdict::NoNorm, "no norm anywhere");

    // by months: October's own figure
    let b = balance(w, &format!("object={object}&resource=electricity&group={id}&by=month&year=2026"), Role::Dispatcher).await.unwrap();
    assert!(b.rows.len() >= 10, "January up to this month");
    let october = b.rows.iter().find(|r| r.day == Some(oct(1))).unwrap();
    assert_eq!(october.root.known(), Some(d("300")), "1000 → 1300 over the month so far");

    let (status, text, _) = common::call(&w.app, "delete_balance_group", &format!("id={id}"), Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let gone = balance(w, &format!("object={object}&group={id}"), Role::Dispatcher).await;
    assert_eq!(gone.unwrap_err(), AppError::NotFound);
});

both_backends!(a_bad_group_is_refused_whole_with_a_clear_error, |w| {
    let (root, f2, _, _) = october(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    let object = w.a.object_id.to_string();
    let (mr, m2) = (format!("parts[m{root}]"), format!("parts[m{f2}]"));
    let invalid = |field, problem| Some(AppError::Invalid { field, problem });
    let cases: Vec<(Vec<(&str, &str)>, Option<AppError>)> = vec![
        (vec![(&mr, "plus")], invalid(Msg::BalNeedsRoot, Problem::Required)),
        (vec![(&m2, "sideways")], invalid(Msg::BalMeters, Problem::BadFormat)),
        (vec![("parts[m999999]", "plus")], invalid(Msg::BalMeters, Problem::BadFormat)),
        (vec![(&m2, "minus"), ("norm", "пять")], invalid(Msg::BalNorm, Problem::BadFormat)),
        (vec![("norm", "150")], invalid(Msg::BalNorm, Problem::BadFormat)),
        (vec![("norm", "-3")], invalid(Msg::BalNorm, Problem::BadFormat)),
    ];
    for (extra, want) in cases {
        let mut fields = vec![("object", object.as_str()), ("resource", "electricity")];
        fields.extend(extra.iter().copied());
        let (status, error) = save(w, cookie, &fields).await;
        assert_eq!((status, &error), (StatusCode::UNPROCESSABLE_ENTITY, &want), "{extra:?}");
    }
    // nothing of the refused forms was kept
    let g = groups(w, w.a.object_id, None).await;
    assert!(g.meters.iter().all(|m| m.part == Some(if m.common { Part::Root } else { Part::Plus })));
    assert_eq!(g.own_norm, "");

    let name_of = |n: &str| format!("object={object}&resource=electricity&{}", common::form(&[("name", n)]));
    let (status, text, _) = common::call(&w.app, "create_balance_group", &name_of("  "), Some(cookie)).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::UNPROCESSABLE_ENTITY, invalid(Msg::BalGroupName, Problem::Required)));
    let (status, text, _) = common::call(&w.app, "create_balance_group", &name_of(&"я".repeat(101)), Some(cookie)).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::UNPROCESSABLE_ENTITY, invalid(Msg::BalGroupName, Problem::TooLong)));

    let b = balance(w, &format!("object={object}&by=day&month=2026-13"), Role::Dispatcher).await;
    assert_eq!(b.unwrap_err(), AppError::Invalid { field: Msg::BalPeriod, problem: Problem::BadFormat });
    let b = balance(w, &format!("object={object}&by=month&year=1066"), Role::Dispatcher).await;
    assert_eq!(b.unwrap_err(), AppError::Invalid { field: Msg::BalPeriod, problem: Problem::BadFormat });
});

both_backends!(another_companys_building_and_group_are_not_found_and_a_reader_changes_nothing, |w| {
    october(w).await;
    let object = w.a.object_id.to_string();
    // company B's dispatcher
    let b_cookie = w.b_dispatcher.as_str();
    let b = balance(w, &format!("object={object}"), Role::Dispatcher).await.unwrap();
    assert_eq!(b.query.object, Some(w.a.object_id));
    let (_, text, _) = common::call(&w.app, "group_balance", &common::form(&[("query", &format!("object={object}"))]), Some(b_cookie)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
    let (status, error) = save(w, b_cookie, &[("object", &object), ("resource", "electricity")]).await;
    assert_eq!((status, error), (StatusCode::NOT_FOUND, Some(AppError::NotFound)));

    let body = format!("object={object}&resource=electricity&name=G");
    let (_, text, _) = common::call(&w.app, "create_balance_group", &body, Some(w.cookie(Role::Dispatcher))).await;
    let id: i64 = serde_json::from_str(&text).unwrap();
    let (_, text, _) = common::call(&w.app, "delete_balance_group", &format!("id={id}"), Some(b_cookie)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "B cannot delete A's group");
    let (_, text, _) = common::call(&w.app, "balance_groups", &format!("object={object}&group={id}"), Some(b_cookie)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));

    let (status, error) = save(w, w.cookie(Role::Reader), &[("object", &object), ("resource", "electricity"), ("norm", "1")]).await;
    assert_eq!((status, error), (StatusCode::FORBIDDEN, Some(AppError::Forbidden)));
    let (_, text, _) = common::call(&w.app, "delete_balance_group", &format!("id={id}"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
    let (status, _, _) = common::get_file(&w.app, &format!("/export/balance.csv?object={object}"), b_cookie).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

async fn compared(w: &common::World, query: &str) -> app::models::balance::Comparison {
    let body = common::form(&[("query", query)]);
    let (_, text, _) = common::call(&w.app, "objects_compared", &body, Some(w.cookie(Role::Reader))).await;
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("{text}"))
}

both_backends!(objects_compared_sets_each_buildings_meters_and_balance_side_by_side, |w| {
    let (_, f2, _, _) = october(w).await;
    // a second building with a flat meter and nothing read
    let other = fixtures::building_of(&w.db, w.a.company_id, "2").await;
    let c = compared(w, "resource=electricity&by=day&day=2026-10-01").await;
    assert_eq!(c.rows.len(), 2);
    let a = c.rows.iter().find(|r| r.object_id == w.a.object_id).unwrap();
    // 1 Oct: the input's 100 against the four flats' 40 + 10 + 5 + 50
    assert_eq!((a.common, a.individual, a.imbalance, a.share), (Some(full("100")), Some(full("105")), full("-5"), Some(d("-5"))));
    let b = c.rows.iter().find(|r| r.object_id == other.object_id).unwrap();
    assert_eq!((b.common, b.individual), (None, Some(Amount::NoData)), "no common meter, a flat meter without data");
    let (_, rows) = c.table(app::i18n::Lang::Ru);
    let row_b = rows.iter().find(|r| r[0].shown() == "Дом 2").unwrap();
    assert_eq!((row_b[2].shown(), row_b[5].shown()), ("–*".to_string(), "нет ОДПУ".to_string()));

    // a building whose own group was changed is balanced by its group
    let object = w.a.object_id.to_string();
    let m2 = format!("parts[m{f2}]");
    save(w, w.cookie(Role::Dispatcher), &[("object", &object), ("resource", "electricity"), (&m2, "excluded")]).await;
    let c = compared(w, "resource=electricity&by=day&day=2026-10-01").await;
    let a = c.rows.iter().find(|r| r.object_id == w.a.object_id).unwrap();
    assert_eq!((a.imbalance, a.share), (full("5"), Some(d("5"))), "100 against 95 without flat 2");

    // the month: only its first days are measured
    let c = compared(w, "resource=electricity&by=month&month=2026-10").await;
    let a = c.rows.iter().find(|r| r.object_id == w.a.object_id).unwrap();
    assert!(matches!(a.common, Some(Amount::Partial(_))), "{:?}", a.common);
    assert_eq!(a.verdict, Verdict::Incomplete);

    let (_, text, _) = common::call(&w.app, "objects_compared", &common::form(&[("query", "by=day&day=31.10.2026")]), Some(w.cookie(Role::Reader))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Invalid { field: Msg::BalPeriod, problem: Problem::BadFormat }));
    let (status, kind, _) = common::get_file(&w.app, "/export/compare.xlsx?resource=electricity&by=day&day=2026-10-01", w.cookie(Role::Reader)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    // company B sees only its own building
    let (_, text, _) = common::call(&w.app, "objects_compared", &common::form(&[("query", "by=day&day=2026-10-01")]), Some(&w.b_dispatcher)).await;
    let c: app::models::balance::Comparison = serde_json::from_str(&text).unwrap();
    assert!(c.rows.iter().all(|r| r.object_id == w.b.object_id), "{:?}", c.rows);
});

both_backends!(the_flats_single_phase_meters_are_summed_by_the_line_they_hang_on, |w| {
    // the whole of October read: the input 12 a day; flat 1 on L1 3 a day, flat 2 on L2 2,
    // flat 3 on L3 1, flat 4 with no line named 5
    let root = electricity_meter(w, "ВРУ-1", None).await;
    let f2 = electricity_meter(w, "F2", Some("2")).await;
    let f3 = electricity_meter(w, "F3", Some("3")).await;
    let f4 = electricity_meter(w, "F4", Some("4")).await;
    for (id, phase) in [(w.a.meter_id, "L1"), (f2.0, "B"), (f3.0, "L3"), (root.0, "3")] {
        let mut m = meter::get(&w.db, w.a.company_id, id).await.unwrap();
        m.phase = phase.into();
        meter::update_in(w.db.pool(), &m).await.unwrap();
    }
    for (channel, per_day) in [(root.1, 12), (w.a.channel_id, 3), (f2.1, 2), (f3.1, 1), (f4.1, 5)] {
        let totals: Vec<String> = (0..32).map(|i| (i * per_day).to_string()).collect();
        readings(&w.db, w.a.company_id, channel, &totals.iter().map(String::as_str).collect::<Vec<_>>()).await;
    }
    let object = w.a.object_id;
    let b = balance(w, &format!("object={object}&resource=electricity&by=day&month=2026-10"), Role::Reader).await.unwrap();
    let lines: Vec<(u8, usize, Amount)> = b.phases.iter().map(|p| (p.line, p.meters, p.amount)).collect();
    assert_eq!(lines, vec![(1, 1, full("93")), (2, 1, full("62")), (3, 1, full("31"))]);
    // 186 over three lines: a mean of 62; L1 half as much again, L3 half as little
    assert_eq!(b.phases.iter().map(|p| p.share).collect::<Vec<_>>(), vec![Some(full("50")), Some(full("33.33")), Some(full("16.67"))]);
    assert_eq!(b.phases.iter().map(|p| p.deviation).collect::<Vec<_>>(), vec![Some(full("50")), Some(full("0")), Some(full("-50"))]);
    assert_eq!(app::models::balance::asymmetry(&b.phases), Some(full("50")));

    // November is not read at all: the lines are «–*» and nothing is judged
    let b = balance(w, &format!("object={object}&resource=electricity&by=day&month=2026-11"), Role::Reader).await.unwrap();
    assert!(b.phases.iter().all(|p| p.amount == Amount::NoData && p.deviation.is_none()));
});
