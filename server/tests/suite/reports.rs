//! «Отчёты» (issue 28, F38) over HTTP on both databases: the readings registry, the building
//! balance and the common meter's card agree with the subscribers' list for the same month; the registry's PDF
//! reads back with its Cyrillic headers, the company's requisites and the figures; Excel and
//! CSV download; the verification list sorts meters by their term; a reader downloads;
//! another company sees nothing.

use crate::common;

use app::exports::pdf::text_of;
use app::models::reports::{Report, Cell};
use app::models::subscribers::SubscribersPage;
use app::models::{Amount, Role};
use axum::http::StatusCode;
use common::october::{d, october};

async fn report(w: &common::World, query: &str, who: &str) -> (StatusCode, String) {
    let body = common::form(&[("query", query), ("lang", "ru")]);
    let (status, text, _) = common::call(&w.app, "report", &body, Some(who)).await;
    (status, text)
}

async fn made(w: &common::World, query: &str) -> Report {
    let (status, text) = report(w, query, w.cookie(Role::Reader)).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// A column's cell of the first row whose cells hold all of `words`.
fn cell<'a>(r: &'a Report, words: &[&str], column: &str) -> &'a Cell {
    let c = r.header.iter().position(|h| h == column).unwrap_or_else(|| panic!("no column {column}: {:?}", r.header));
    let row = r
        .rows
        .iter()
        .chain(&r.totals)
        .find(|row| words.iter().all(|w| row.iter().any(|v| v.shown() == *w)))
        .unwrap_or_else(|| panic!("no row with {words:?}: {:#?}", r.rows));
    &row[c]
}

both_backends!(the_registry_and_the_balance_agree_with_the_subscribers_list, |w| {
    october(w).await;
    let object = w.a.object_id;
    let registry = made(w, &format!("kind=registry&object={object}&month=2025-10")).await;
    assert_eq!(registry.title[0], "Реестр показаний ИПУ — Дом 1");
    assert_eq!(registry.title[1], "октябрь 2025");
    // flat 1's two-tariff meter: a row per tariff, readings at the month's start and end
    let t1 = ["1", "T1"];
    assert_eq!(cell(&registry, &t1, "Показание на начало"), &Cell::Number(d("600")));
    assert_eq!(cell(&registry, &t1, "Показание на конец"), &Cell::Number(d("855.75")));
    assert_eq!(cell(&registry, &t1, "Расход"), &Cell::Number(d("255.75")));
    assert_eq!(cell(&registry, &["1", "T2"], "Расход"), &Cell::Number(d("131.75")));
    assert_eq!(cell(&registry, &t1, "Номер лицевого счёта"), &Cell::Text(common::ACCOUNT_A.into()));
    assert_eq!(cell(&registry, &t1, "Источник"), &Cell::Text("опрос".into()));
    // flat 2's water: the meter replaced on the 16th counts under the new one, as in the list
    let water = ["2", "W-NEW"];
    assert_eq!(cell(&registry, &water, "Показание на начало"), &Cell::Empty, "the new meter had no reading on the 1st");
    assert_eq!(cell(&registry, &water, "Показание на конец"), &Cell::Number(d("4.8")));
    assert_eq!(cell(&registry, &water, "Расход"), &Cell::Number(d("7.8")));
    assert!(!registry.rows.iter().any(|r| r.iter().any(|v| v.shown() == "ODPU-1")), "common meters are not in the registry");

    // with every meter: the common one too, after the flats', with its own total
    let all = made(w, &format!("kind=all_meters&object={object}&month=2025-10")).await;
    assert_eq!(all.title[0], "Показания всех приборов за месяц — Дом 1");
    assert_eq!(all.rows.len(), registry.rows.len() + 1);
    assert_eq!(cell(&all, &["ОДПУ", "ODPU-1"], "Расход"), &Cell::Number(d("155")));
    assert_eq!(all.rows.last().unwrap()[3], Cell::Text("ODPU-1".into()), "after the flats");
    assert_eq!(cell(&all, &["Итого по общедомовым приборам (ОДПУ): ХВС"], "Расход"), &Cell::Number(d("155")));

    // its totals are the subscribers' list's individual totals
    let (_, text, _) = common::call(&w.app, "subscribers", &format!("query[object]={object}&query[month]=2025-10-01"), Some(w.cookie(Role::Reader))).await;
    let list: SubscribersPage = serde_json::from_str(&text).unwrap();
    for (g, c) in list.columns.iter().enumerate() {
        let name = app::i18n::resource_name(c.resource).text(app::i18n::Lang::Ru);
        let label = format!("Итого по квартирным приборам (ИПУ): {name}");
        let Some(Amount::Full(sum)) = list.individual[g][0] else { panic!("a full month") };
        assert_eq!(cell(&registry, &[&label], "Расход"), &Cell::Number(sum), "{label}");
    }

    // the balance: the common water meter's 155 m³ against the flats' 7,8
    let balance = made(w, &format!("kind=balance&object={object}&month=2025-10")).await;
    let water = ["Дом 1", "ХВС"];
    assert_eq!(cell(&balance, &water, "ОДПУ"), &Cell::Number(d("155")));
    assert_eq!(cell(&balance, &water, "Сумма ИПУ"), &Cell::Number(d("7.8")));
    assert_eq!(cell(&balance, &water, "Небаланс"), &Cell::Number(d("147.2")));
    assert_eq!(cell(&balance, &water, "Небаланс, %"), &Cell::Number(d("94.97")));
    assert_eq!(cell(&balance, &["Дом 1", "Электроэнергия"], "Отметки"), &Cell::Text("нет ОДПУ".into()));
    let Some(Amount::Full(common)) = list.common[1][0] else { panic!("a full month") };
    assert_eq!(common, d("155"));

    // the common meter's card: 5 m³ every day, 155 in the month, read 5 and 160 at its ends
    let card = made(w, &format!("kind=common_meter&object={object}&month=2025-10")).await;
    assert_eq!(card.header, vec!["Дата".to_string(), "ХВС № ODPU-1, м³".into()]);
    assert_eq!(card.rows.len(), 31);
    assert!(card.rows.iter().all(|r| r[1] == Cell::Number(d("5"))), "{:#?}", card.rows);
    assert_eq!(cell(&card, &["Итого за месяц"], "ХВС № ODPU-1, м³"), &Cell::Number(common));
    assert_eq!(cell(&card, &["Показание на начало"], "ХВС № ODPU-1, м³"), &Cell::Number(d("5")));
    assert_eq!(cell(&card, &["Показание на конец"], "ХВС № ODPU-1, м³"), &Cell::Number(d("160")));
});

both_backends!(the_registry_by_billing_period_reads_the_window_and_marks_an_average, |w| {
    // a controller read flat 1 on the 20th of August to November 2026 (Moscow noon)
    let readings: Vec<app::storage::reading::Reading> = [(8, "1000"), (9, "1100"), (10, "1200"), (11, "1300.5")]
        .into_iter()
        .map(|(m, v)| {
            let day = chrono::NaiveDate::from_ymd_opt(2026, m, 20).unwrap();
            let ts = app::consumption::calendar::day_start(chrono_tz::Europe::Moscow, day) + 12 * 3600;
            let mut r = app::storage::testing::fixtures::polled(w.a.company_id, w.a.channel_id, app::storage::reading::Period::Instant, ts, d(v));
            r.source = app::storage::reading::Source::FieldStaff;
            r
        })
        .collect();
    app::storage::reading::insert_many(&w.db, &readings).await.unwrap();
    let object = w.a.object_id;
    let november = made(w, &format!("kind=registry&object={object}&month=2026-11&by=period")).await;
    assert!(november.query.by_period);
    assert!(november.title[1].contains("«ноябрь 2026»") && november.title[1].contains("15–25"), "{:?}", november.title);
    let row = ["1", "SN-1"];
    assert_eq!(cell(&november, &row, "Показание на начало"), &Cell::Number(d("1200")));
    assert_eq!(cell(&november, &row, "Показание на конец"), &Cell::Number(d("1300.5")));
    assert_eq!(cell(&november, &row, "Дата показаний"), &Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()));
    assert_eq!(cell(&november, &row, "Расход"), &Cell::Number(d("100.5")));
    assert_eq!(cell(&november, &row, "Источник"), &Cell::Text("контролёр".into()));
    assert_eq!(cell(&november, &row, "Отметки"), &Cell::Text(String::new()));
    // December has no reading: the average of the periods before, said in the marks, and the
    // total is the subscribers' list's for the same period
    let december = made(w, &format!("kind=registry&object={object}&month=2026-12&by=period")).await;
    assert_eq!(cell(&december, &row, "Расход"), &Cell::Number(d("100.167")));
    assert_eq!(cell(&december, &row, "Отметки"), &Cell::Text("нет показаний за период, по среднему".into()));
    let (_, text, _) = common::call(&w.app, "subscribers", &format!("query[object]={object}&query[month]=2026-12-01&query[by_period]=true"), Some(w.cookie(Role::Reader))).await;
    let list: SubscribersPage = serde_json::from_str(&text).unwrap();
    assert_eq!(list.individual[0][0], Some(Amount::Full(d("100.167"))));
    assert_eq!(cell(&december, &["Итого по квартирным приборам (ИПУ): Электроэнергия"], "Расход"), &Cell::Number(d("100.167")));
});

both_backends!(the_channel_inventory_lists_every_channel_and_the_months_replacement, |w| {
    october(w).await;
    sqlx::query("UPDATE meters SET installed_on = '2025-10-16' WHERE serial = 'W-NEW'").execute(w.db.pool()).await.unwrap();
    let object = w.a.object_id;
    let r = made(w, &format!("kind=channels&object={object}&month=2025-10")).await;
    assert_eq!(r.title[0], "Перечень измерительных каналов — Дом 1");
    assert_eq!(r.rows.len(), 4, "a main channel for each of the four meters: {:#?}", r.rows);
    assert_eq!(cell(&r, &["W-NEW"], "Изменение за месяц"), &Cell::Text("установлен взамен № W-OLD".into()));
    assert_eq!(cell(&r, &["W-OLD"], "Изменение за месяц"), &Cell::Text("снят, заменён на № W-NEW".into()));
    assert_eq!(cell(&r, &["W-OLD"], "Состояние"), &Cell::Text("Выведен из эксплуатации".into()));
    assert_eq!(cell(&r, &["SN-1"], "Изменение за месяц"), &Cell::Text(String::new()));
    assert_eq!(cell(&r, &["ODPU-1"], "Параметр"), &Cell::Text("Объём".into()));
    assert_eq!(r.title[2], "Каналов: 4 · Изменений за месяц: 2");
    // the month before: nothing changed
    let before = made(w, &format!("kind=channels&object={object}&month=2025-09")).await;
    assert_eq!(before.title[2], "Каналов: 4 · Изменений за месяц: 0");
});

both_backends!(the_registry_downloads_as_a_pdf_that_reads_back_and_as_excel_and_csv, |w| {
    october(w).await;
    sqlx::query("UPDATE companies SET name = 'ООО «УК Северный квартал»', inn = '7701234567', kpp = '770101001' WHERE id = $1")
        .bind(w.a.company_id)
        .execute(w.db.pool())
        .await
        .unwrap();
    let query = format!("kind=registry&object={}&month=2025-10", w.a.object_id);
    let reader = w.cookie(Role::Reader);
    let (status, kind, pdf) = common::get_file(&w.app, &format!("/export/report.pdf?{query}"), reader).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&pdf));
    assert_eq!(kind, "application/pdf");
    let text = text_of(&pdf);
    for words in [
        "ООО «УК Северный квартал»",
        "ИНН 7701234567, КПП 770101001",
        "Реестр показаний ИПУ — Дом 1",
        "октябрь 2025",
        "Номер лицевого",
        "Показание",
        "255,75",
        "855,75",
        "ХВС",
        "Страница 1 из 1",
    ] {
        assert!(text.contains(words), "«{words}» is not in the PDF:\n{text}");
    }
    let (status, kind, xlsx) = common::get_file(&w.app, &format!("/export/report.xlsx?{query}"), reader).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml") && xlsx.starts_with(b"PK"));
    let (status, csv, _) = common::get(&w.app, &format!("/export/report.csv?{query}"), Some(reader)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains(&format!("{};1;Электроэнергия;SN-1;T1;600;855,75;01.11.2025;255,75", common::ACCOUNT_A)), "{csv}");
});

both_backends!(the_verification_list_groups_meters_by_their_term, |w| {
    let today = app::queries::verification::today();
    sqlx::query("UPDATE meters SET next_verification_on = $1 WHERE id = $2")
        .bind((today - chrono::Duration::days(40)).format("%Y-%m-%d").to_string())
        .bind(w.a.meter_id)
        .execute(w.db.pool())
        .await
        .unwrap();
    let r = made(w, "kind=verification").await;
    assert_eq!(r.title[0], "Ведомость поверки — Все дома");
    assert_eq!(r.rows.len(), 1, "{:#?}", r.rows);
    assert_eq!(cell(&r, &["SN-1"], "Срок"), &Cell::Text("Просрочено".into()));
    assert_eq!(cell(&r, &["Просрочено"], "Дом"), &Cell::Text("Дом 1".into()));
    assert_eq!(r.title[2], "Просрочено: 1 · В этом месяце: 0 · В ближайшие 3 месяца: 0");
    let (status, pdf_kind, _) = common::get_file(&w.app, "/export/report.pdf?kind=verification", w.cookie(Role::Reader)).await;
    assert_eq!((status, pdf_kind.as_str()), (StatusCode::OK, "application/pdf"));
});

both_backends!(another_company_sees_nothing_of_a_building_and_a_resident_no_report, |w| {
    october(w).await;
    let query = format!("kind=registry&object={}&month=2025-10", w.a.object_id);
    let (status, text) = report(w, &query, &w.b_dispatcher).await;
    assert_eq!((status, common::error_of(&text)), (StatusCode::NOT_FOUND, Some(app::errors::AppError::NotFound)));
    for format in ["pdf", "xlsx", "csv"] {
        let (status, _, body) = common::get_file(&w.app, &format!("/export/report.{format}?{query}"), &w.b_dispatcher).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{format}");
        assert!(!String::from_utf8_lossy(&body).contains("SN-1"));
    }
    // B's own «all buildings» holds only B's building
    let (_, text) = report(w, "kind=registry&month=2025-10", &w.b_dispatcher).await;
    let r: Report = serde_json::from_str(&text).unwrap();
    assert!(r.objects.iter().all(|(id, _)| *id == w.b.object_id));
    assert!(r.rows.iter().all(|row| row[0] == Cell::Text("Дом B".into())), "{:#?}", r.rows);
    let (status, _) = report(w, &query, w.cookie(Role::Resident)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // a month out of the calendar is refused with a sentence, not a 500, page and file alike
    let bad = format!("kind=registry&object={}&month=1800-01", w.a.object_id);
    let (status, text) = report(w, &bad, w.cookie(Role::Reader)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(matches!(common::error_of(&text), Some(app::errors::AppError::Invalid { .. })), "{text}");
    let (status, _, body) = common::get_file(&w.app, &format!("/export/report.pdf?{bad}"), w.cookie(Role::Reader)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("1900–2200"), "{}", String::from_utf8_lossy(&body));
});
