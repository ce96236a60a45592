//! Imports on both databases: a clean file written once and then changing nothing, a changed
//! row updating its record, and each kind of bad input reported with its row.

use super::*;
use crate::db_test;
use crate::storage::testing::fixtures;
use crate::storage::{account, object, owner, premise};

const PREMISES_HEAD: &str =
    "Адрес дома;Помещение;Тип помещения;Площадь;Проживает;Подъезд;Этаж;Лицевой счёт;Собственник;Телефон;Эл. почта;Доля;Согласие на обработку ПДн\n";

/// 120 flats of «ул. Тестовая, д. 1», four to an entrance floor, each with an account and an
/// owner, flat 7 with two owners; Windows-1251, as Excel saves a Russian CSV.
fn flats_file(area_of_flat_5: &str) -> Vec<u8> {
    let mut s = PREMISES_HEAD.to_string();
    for n in 1..=120 {
        let area = if n == 5 { area_of_flat_5.to_string() } else { format!("{},{}", 40 + n % 30, n % 10) };
        let entrance = (n - 1) / 40 + 1;
        let floor = (n - 1) % 40 / 4 + 1;
        s.push_str(&format!(
            "ул. Тестовая, д. 1;{n};жилое;{area};2;{entrance};{floor};00{:08};Житель {n};+7 900 000-00-{:02};;1/2;01.02.2025\n",
            76_000_000 + n,
            n % 100
        ));
        if n == 7 {
            s.push_str("ул. Тестовая, д. 1;7;жилое;47,7;2;1;2;;Второй Собственник;;;1/2;\n");
        }
    }
    encoding_rs::WINDOWS_1251.encode(&s).0.into_owned()
}

db_test!(premises_imported_twice_are_written_once_and_a_changed_row_updates, |db| {
    let f = fixtures::building(&db).await;
    let bytes = flats_file("45,5");
    // checked, not written
    let dry = run(&db, f.company_id, ImportKind::Premises, &bytes, None, false).await.unwrap();
    assert!(dry.issues.is_empty(), "{:?}", dry.issues);
    assert_eq!(dry.rows, 121);
    // flat 1 exists already (the fixture's), without area: it is updated
    assert_eq!((dry.count("premise").added, dry.count("premise").updated), (119, 1));
    assert_eq!((dry.count("account").added, dry.count("owner").added), (120, 121));
    assert!(!dry.written);
    assert_eq!(premise::list(&db, f.company_id, f.object_id).await.unwrap().len(), 1);

    let done = run(&db, f.company_id, ImportKind::Premises, &bytes, None, true).await.unwrap();
    assert!(done.written);
    let flats = premise::list(&db, f.company_id, f.object_id).await.unwrap();
    assert_eq!(flats.len(), 120);
    let five = flats.iter().find(|p| p.number == "5").unwrap();
    assert_eq!((five.area.as_str(), five.entrance, five.floor), ("45.5", Some(1), Some(2)));
    let acc = account::get_by_number(&db, f.company_id, "0076000005").await.unwrap().unwrap();
    assert_eq!((acc.premise_id, acc.owner_name.as_str()), (five.id, "Житель 5"));
    let seven = flats.iter().find(|p| p.number == "7").unwrap();
    let owners = owner::list_for_premise(&db, f.company_id, seven.id).await.unwrap();
    assert_eq!(owners.len(), 2);
    assert_eq!(owners[1].consent_on, "2025-02-01");

    // the same file again: nothing to add or change
    let again = run(&db, f.company_id, ImportKind::Premises, &bytes, None, true).await.unwrap();
    assert_eq!(again.changes(), 0, "{:?}", again.counts);
    // one area changed: one premise updated, the rest as they are
    let changed = run(&db, f.company_id, ImportKind::Premises, &flats_file("46"), None, true).await.unwrap();
    assert_eq!(changed.count("premise").updated, 1);
    assert_eq!(changed.changes(), 1);
    let five = premise::get(&db, f.company_id, five.id).await.unwrap();
    assert_eq!(five.area, "46");
});

db_test!(every_bad_row_is_reported_with_its_row_and_nothing_is_written, |db| {
    let f = fixtures::building(&db).await;
    let other = fixtures::building_of(&db, f.company_id, "2").await;
    account::create(
        &db,
        &account::Account {
            id: 0,
            company_id: f.company_id,
            premise_id: other.premise_id,
            number: "555".into(),
            owner_name: String::new(),
        },
    )
    .await
    .unwrap();
    let file = format!(
        "{PREMISES_HEAD}\
         ул. Тестовая, д. 1;10;жилое;50;1;1;3;100;Иванов И. И.;;;;\n\
         ул. Тестовая, д. 1;11;жилое;50;1;1;3;100;Петров П. П.;;;;\n\
         ул. Несуществующая, д. 9;1;жилое;50;1;1;3;101;;;;;\n\
         ул. Тестовая, д. 1;;жилое;50;1;1;3;102;;;;;\n\
         ул. Тестовая, д. 1;12;жилое;пятьдесят;1;1;3;103;;;;;\n\
         ул. Тестовая, д. 1;13;жилое;50;1;1;3;104;Сидоров;;;;01.01.2099\n\
         ул. Тестовая, д. 1;14;жилое;50;1;1;3;555;;;;;\n\
         ул. Тестовая, д. 1;15;склад;50;1;1;3;105;;;;;\n\
         ул. Тестовая, д. 1;16;жилое;50,123;1;1;3;106;;;;;\n\
         ул. Тестовая, д. 1;17;жилое;50;1;1;3;107;Козлов;;not-an-email;;\n\
         ул. Тестовая, д. 1;10;жилое;60;1;1;3;;;;;;\n\
         ;;;;;;;;;;;;\n\
         ул. Тестовая, д. 1;18;жилое;50;1;1;3;108;Орлов;;;3/2;\n"
    );
    let before = premise::list_for_company(&db, f.company_id).await.unwrap().len();
    let r = run(&db, f.company_id, ImportKind::Premises, file.as_bytes(), None, true).await.unwrap();
    let got: Vec<(usize, &str)> = r.issues.iter().map(|i| (i.row, i.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (3, "Лицевой счёт"),     // 100 twice
            (4, "Адрес дома"),       // no such building
            (5, "Помещение"),        // no number
            (6, "Площадь"),          // not a number
            (7, "Согласие на обработку ПДн"), // in the future
            (8, "Лицевой счёт"),     // another premise's account
            (9, "Тип помещения"),    // «склад»
            (10, "Площадь"),         // three decimals
            (11, "Эл. почта"),       // not an address
            (12, "Помещение"),       // flat 10 again with another area
            (14, "Доля"),            // 3/2
        ],
        "{:#?}",
        r.issues
    );
    assert!(r.issues[5].reason.contains("кв. 1 (ул. Тестовая, д. 2)"), "{}", r.issues[5].reason);
    assert!(!r.written);
    assert_eq!(premise::list_for_company(&db, f.company_id).await.unwrap().len(), before);
});

db_test!(a_file_that_is_no_table_or_lacks_a_column_says_so, |db| {
    let f = fixtures::building(&db).await;
    let garbage = run(&db, f.company_id, ImportKind::Premises, &[0, 1, 2, 200, 201], None, true).await;
    assert!(matches!(garbage, Err(ImportError::Table(table::TableError::NotATable))));
    let no_number = run(&db, f.company_id, ImportKind::Premises, "Адрес дома;Площадь\nул. Тестовая, д. 1;50\n".as_bytes(), None, true)
        .await
        .unwrap();
    assert_eq!(no_number.issues[0].reason, "нет столбца «Помещение»");
    // without an address column the chosen building takes the flats; another company's is not found
    let chosen = run(&db, f.company_id, ImportKind::Premises, "Кв.;Л/с\n2;0099\n".as_bytes(), Some(f.object_id), true)
        .await
        .unwrap();
    assert!(chosen.written, "{:?}", chosen.issues);
    let stranger = fixtures::building(&db).await;
    let walled = run(&db, f.company_id, ImportKind::Premises, "Кв.\n3\n".as_bytes(), Some(stranger.object_id), true).await;
    assert!(matches!(walled, Err(ImportError::Storage(StorageError::NotFound))));
});

db_test!(buildings_are_matched_by_fias_code_or_address_and_checked_like_the_card, |db| {
    let f = fixtures::building(&db).await;
    let file = "Адрес;Код ФИАС;Общая площадь;Этажей;Подъездов;Часовой пояс;Широта;Долгота\n\
                ул. Тестовая, д. 1;;1 200,5;5;2;МСК;;\n\
                г. Москва, ул. Зари, д. 7;0C5B2444-70A0-4932-980C-B4DC0D3F02B5;5432,1;12;3;Москва;55,75;37,61\n";
    // the fixture's building has no ФИАС code and is not under construction
    let r = run(&db, f.company_id, ImportKind::Buildings, file.as_bytes(), None, true).await.unwrap();
    assert_eq!(buildings::reasons(&r.issues), vec![(2, "Код ФИАС: обязательное поле".to_string())]);
    let file = file.replace("ул. Тестовая, д. 1;;", "ул. Тестовая, д. 1;9a1c2b3d-0000-4000-8000-000000000001;");
    let r = run(&db, f.company_id, ImportKind::Buildings, file.as_bytes(), None, true).await.unwrap();
    assert!(r.written, "{:?}", r.issues);
    assert_eq!((r.count("building").added, r.count("building").updated), (1, 1));
    let all = object::list(&db, f.company_id).await.unwrap();
    let zarya = all.iter().find(|o| o.address.contains("Зари")).unwrap();
    assert_eq!((zarya.total_area.as_str(), zarya.floors, zarya.latitude), ("5432.1", 12, Some(55.75)));
    assert_eq!(zarya.fias_code, "0c5b2444-70a0-4932-980c-b4dc0d3f02b5");
    // the same file twice: nothing changes; an address typed otherwise is the same building
    let again = run(&db, f.company_id, ImportKind::Buildings, file.as_bytes(), None, true).await.unwrap();
    assert_eq!(again.changes(), 0);
    let renamed = file.replace("г. Москва, ул. Зари, д. 7", "Г. МОСКВА, УЛ. ЗАРИ, Д.7").replace("5432,1", "5432,2");
    let r = run(&db, f.company_id, ImportKind::Buildings, renamed.as_bytes(), None, true).await.unwrap();
    assert_eq!((r.count("building").added, r.count("building").updated), (0, 1));
    assert_eq!(object::list(&db, f.company_id).await.unwrap().len(), 2);
    let bad_zone = "Адрес;Часовой пояс;Строится\nул. Новая, 1;Марс;да\n";
    let r = run(&db, f.company_id, ImportKind::Buildings, bad_zone.as_bytes(), None, true).await.unwrap();
    assert_eq!(r.issues[0].column, "Часовой пояс");
});

mod meters;
mod readings;
