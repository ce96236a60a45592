//! Readings history from a file on both databases: found by account or serial, checked as
//! typed readings are, written once, a lower value held for confirmation, a stored moment
//! never overwritten, every bad row reported.

use super::meters::{flats, METERS_HEAD};
use super::*;
use crate::storage::reading::{self, flags, Period, Source};
use crate::storage::{channel, meter};

/// A cold-water meter in flat 2 (account 0043), and the fixture's electricity meter SN-1
/// with a two-tariff one next to it in flat 1 (account 0042).
async fn meters(db: &Db, f: &fixtures::Building) -> (i64, i64) {
    flats(db, f).await;
    let file = format!("{METERS_HEAD}ул. Тестовая, д. 1;2;ХВС;ВСКМ 90-15;W-2;5,3;;;;;;;\n");
    let r = run(db, f.company_id, ImportKind::Meters, file.as_bytes(), None, true).await.unwrap();
    assert!(r.written, "{:?}", r.issues);
    let water = meter::list_for_company(db, f.company_id).await.unwrap().into_iter().find(|(m, _, _)| m.serial == "W-2").unwrap().0;
    let two = fixtures::two_tariff(db, f).await;
    (channel::list_for_meter(db, f.company_id, water.id).await.unwrap()[0].id, two)
}

fn total(r: &reading::Reading) -> String {
    r.total.map(|v| v.normalize().to_string()).unwrap_or_default()
}

const HEAD: &str = "Лицевой счёт;Заводской номер;Ресурс;Дата;Показание;Т1;Т2;Т3\n";

db_test!(readings_history_is_checked_like_typed_readings_and_written_once, |db| {
    let f = fixtures::building(&db).await;
    let (water, two) = meters(&db, &f).await;
    let two_serial = format!("SN-2T-{}", f.meter_id);
    let file = format!(
        "{HEAD}\
         0043;;;01.10.2026;10,5;;;\n\
         0043;;ХВС;01.11.2026;13,25;;;\n\
         ;SN-1;;01.10.2026;1000;;;\n\
         ;SN-1;;01.11.2026;1100;;;\n\
         0042;SN-1;Электроэнергия;15.11.2026 12:00;1090;;;\n\
         ;{two_serial};;01.11.2026;;300;200;\n"
    );
    let dry = run(&db, f.company_id, ImportKind::Readings, file.as_bytes(), None, false).await.unwrap();
    assert!(dry.issues.is_empty(), "{:#?}", dry.issues);
    assert_eq!((dry.count("reading").added, dry.to_confirm), (6, 1));
    assert!(reading::list(&db, f.company_id, water, Period::Instant, 0, i64::MAX).await.unwrap().is_empty());

    let done = run(&db, f.company_id, ImportKind::Readings, file.as_bytes(), None, true).await.unwrap();
    assert!(done.written);
    let stored = reading::list(&db, f.company_id, water, Period::Instant, 0, i64::MAX).await.unwrap();
    assert_eq!(stored.iter().map(total).collect::<Vec<_>>(), vec!["10.5", "13.25"]);
    assert!(stored.iter().all(|r| r.source == Source::Import && r.flags == 0));
    // 01.11.2026 00:00 in Moscow is 31.10 21:00 UTC
    let moscow = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() - 3 * 3600;
    assert_eq!(stored[1].ts, moscow);
    let sn1 = reading::list(&db, f.company_id, f.channel_id, Period::Instant, 0, i64::MAX).await.unwrap();
    assert_eq!(sn1.iter().map(total).collect::<Vec<_>>(), vec!["1000", "1100", "1090"]);
    assert_eq!(sn1[2].flags, flags::DECREASED | flags::NEEDS_CONFIRMATION, "lower: held for a dispatcher");
    let t = reading::list(&db, f.company_id, two, Period::Instant, 0, i64::MAX).await.unwrap();
    assert_eq!((total(&t[0]), t[0].tariffs[0].map(|v| v.normalize().to_string())), ("500".to_string(), Some("300".to_string())));

    // the same file again adds nothing
    let again = run(&db, f.company_id, ImportKind::Readings, file.as_bytes(), None, true).await.unwrap();
    assert_eq!((again.changes(), again.count("reading").unchanged), (0, 6), "{:?}", again.issues);
    // a different value on a stored moment is reported, never written over
    let changed = file.replace("13,25", "13,26");
    let r = run(&db, f.company_id, ImportKind::Readings, changed.as_bytes(), None, true).await.unwrap();
    assert_eq!(r.issues.len(), 1);
    assert!(r.issues[0].reason.contains("13,25"), "{}", r.issues[0].reason);
    assert!(!r.written);
    assert_eq!(channel::list_for_meter(&db, f.company_id, f.meter_id).await.unwrap().len(), 1);
});

db_test!(every_bad_reading_row_is_reported_with_its_row_and_nothing_is_written, |db| {
    let f = fixtures::building(&db).await;
    let (water, _) = meters(&db, &f).await;
    let two_serial = format!("SN-2T-{}", f.meter_id);
    let file = format!(
        "{HEAD}\
         0099;;;01.10.2026;1;;;\n\
         ;NO-SUCH;;01.10.2026;1;;;\n\
         0043;;;01.01.2099;1;;;\n\
         0043;;;31.02.2026;1;;;\n\
         0043;;;01.10.2026;123456;;;\n\
         0042;;;01.10.2026;1;;;\n\
         ;{two_serial};;01.10.2026;;1;2;3\n\
         0043;;;02.10.2026;;;;\n\
         0043;;;03.10.2026;7;;;\n\
         0043;;;03.10.2026;8;;;\n\
         0043;SN-1;;04.10.2026;8;;;\n\
         0043;;Газ;05.10.2026;8;;;\n"
    );
    let r = run(&db, f.company_id, ImportKind::Readings, file.as_bytes(), None, true).await.unwrap();
    let got: Vec<(usize, &str)> = r.issues.iter().map(|i| (i.row, i.column.as_str())).collect();
    let mut got = got;
    got.sort();
    assert_eq!(
        got,
        vec![
            (2, "Лицевой счёт"),  // no such account
            (3, "Заводской номер"), // no such meter
            (4, "Дата"),          // in the future
            (5, "Дата"),          // no 31 February
            (6, "Показание"),     // six integer digits on a five-digit register
            (7, "Лицевой счёт"),  // flat 1 has two electricity meters
            (8, "Т3"),            // a third tariff on a two-tariff meter
            (9, "Показание"),     // no value at all
            (11, "Дата"),         // 03.10 again with another value
            (12, "Лицевой счёт"), // SN-1 is not in flat 2
            (13, "Лицевой счёт"), // no gas meter in flat 2
        ],
        "{:#?}",
        r.issues
    );
    assert!(!r.written);
    assert!(reading::list(&db, f.company_id, water, Period::Instant, 0, i64::MAX).await.unwrap().is_empty());
    // a file naming its meters neither way says so at its header
    let r = run(&db, f.company_id, ImportKind::Readings, "Дата;Показание\n01.10.2026;1\n".as_bytes(), None, true).await.unwrap();
    assert_eq!(r.issues[0].row, 1);
});

db_test!(a_jump_is_measured_against_the_usual_consumption_from_a_week_before, |db| {
    let f = fixtures::building(&db).await;
    let (water, _) = meters(&db, &f).await;
    // stored: 100 on 01.09, 101 on 06.09, 110 on 11.09 — the usual is 1 m³ a day, taken from
    // 01.09, the latest reading a week before 11.09 (06.09 would make it 1,8)
    let history = format!("{HEAD};W-2;;01.09.2026;100;;;\n;W-2;;06.09.2026;101;;;\n;W-2;;11.09.2026;110;;;\n");
    assert!(run(&db, f.company_id, ImportKind::Readings, history.as_bytes(), None, true).await.unwrap().written);
    // 40 in three days is over ten times the usual 1 a day (30), under ten times 1,8 (54)
    let next = format!("{HEAD};W-2;;14.09.2026;150;;;\n");
    let r = run(&db, f.company_id, ImportKind::Readings, next.as_bytes(), None, true).await.unwrap();
    assert_eq!(r.to_confirm, 1, "{r:?}");
    let stored = reading::list(&db, f.company_id, water, Period::Instant, 0, i64::MAX).await.unwrap();
    assert_eq!(stored.last().unwrap().flags, flags::JUMP | flags::NEEDS_CONFIRMATION);
});
