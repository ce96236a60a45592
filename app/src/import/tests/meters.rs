//! Meters from a file on both databases: written once with their main channel and line, a
//! changed row changing its meter, every bad row reported and nothing written.

use super::*;
use crate::models::{Placement, Resource};
use crate::storage::{channel, communicator, meter};

pub(super) const METERS_HEAD: &str = "Адрес дома;Помещение;Ресурс;Модель;Заводской номер;Разрядность;Тарифов;Дата поверки;МПИ;Следующая поверка;Коммуникатор;Протокол;Адрес на шине\n";

/// The company's RS-485 bus in the building, as the collector knows it.
pub(super) async fn bus(db: &Db, f: &fixtures::Building) -> i64 {
    communicator::create(
        db,
        &communicator::Communicator {
            company_id: f.company_id,
            object_id: Some(f.object_id),
            name: "Шина 1".into(),
            line: "rs485".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

/// Flats 2 and 3 next to the fixture's flat 1, and an account for each.
pub(super) async fn flats(db: &Db, f: &fixtures::Building) {
    let file = "Помещение;Лицевой счёт\n1;0042\n2;0043\n3;0044\n";
    let r = run(db, f.company_id, ImportKind::Premises, file.as_bytes(), Some(f.object_id), true).await.unwrap();
    assert!(r.written, "{:?}", r.issues);
}

fn meters_file(capacity_of_x2: &str) -> String {
    format!(
        "{METERS_HEAD}\
         ул. Тестовая, д. 1;1;ХВС;ВСКМ 90-15;X-1;5,3;;01.02.2024;6;;;;\n\
         ул. Тестовая, д. 1;2;ГВС;ВСКМ 90-15;X-2;{capacity_of_x2};;;;;;;\n\
         ул. Тестовая, д. 1;;Тепловая энергия;ВКТ-7;T-100;;;;;01.06.2027;;;\n\
         ул. Тестовая, д. 1;2;Электроэнергия;Меркурий 230 AR-01;E-2;6,2;2;;;;Шина 1;Меркурий 230/236;17\n"
    )
}

db_test!(meters_imported_twice_are_written_once_with_their_channel_and_line, |db| {
    let f = fixtures::building(&db).await;
    flats(&db, &f).await;
    let bus = bus(&db, &f).await;
    let dry = run(&db, f.company_id, ImportKind::Meters, meters_file("00000,000").as_bytes(), None, false).await.unwrap();
    assert!(dry.issues.is_empty(), "{:?}", dry.issues);
    assert_eq!(dry.count("meter").added, 4);
    assert_eq!(meter::get_count(&db, f.company_id).await.unwrap(), 1, "a check writes nothing");

    let done = run(&db, f.company_id, ImportKind::Meters, meters_file("00000,000").as_bytes(), None, true).await.unwrap();
    assert!(done.written);
    let all = meter::list_for_company(&db, f.company_id).await.unwrap();
    assert_eq!(all.len(), 5);
    let get = |serial: &str| all.iter().find(|(m, _, _)| m.serial == serial).cloned().unwrap();
    let (x1, _, _) = get("X-1");
    assert_eq!((x1.resource, x1.placement, x1.capacity.label()), (Resource::ColdWater, Placement::Individual, "5,3".to_string()));
    assert_eq!(x1.next_verification_on.map(|d| d.to_string()), Some("2030-02-01".into()), "verified plus six years");
    let (heat, _, _) = get("T-100");
    assert_eq!((heat.placement, heat.premise_id, heat.capacity.label()), (Placement::Common, None, "4,3".to_string()));
    let (e2, protocol, _) = get("E-2");
    assert_eq!((e2.tariffs, e2.communicator_id, e2.bus_address.as_str(), protocol.as_str()), (2, Some(bus), "17", "mercury"));
    for (m, _, _) in &all {
        let channels = channel::list_for_meter(&db, f.company_id, m.id).await.unwrap();
        assert_eq!(channels.len(), 1, "{} has its main channel", m.serial);
    }

    let again = run(&db, f.company_id, ImportKind::Meters, meters_file("00000,000").as_bytes(), None, true).await.unwrap();
    assert_eq!((again.changes(), again.count("meter").unchanged), (0, 4), "{:?}", again.issues);
    let changed = run(&db, f.company_id, ImportKind::Meters, meters_file("6,3").as_bytes(), None, true).await.unwrap();
    assert_eq!((changed.count("meter").updated, changed.changes()), (1, 1));
    let (x2, _, _) = meter::list_for_company(&db, f.company_id).await.unwrap().into_iter().find(|(m, _, _)| m.serial == "X-2").unwrap();
    assert_eq!(x2.capacity.label(), "6,3");
    assert_eq!(channel::list_for_meter(&db, f.company_id, x2.id).await.unwrap().len(), 1, "no second channel");
});

db_test!(every_bad_meter_row_is_reported_with_its_row_and_nothing_is_written, |db| {
    let f = fixtures::building(&db).await;
    flats(&db, &f).await;
    let bus = bus(&db, &f).await;
    // the fixture's meter answers at 17 on the bus
    meter::set_device(&db, f.company_id, f.meter_id, &meter::Device { communicator_id: Some(bus), protocol: "mercury", address: "17", password: "" })
        .await
        .unwrap();
    let file = format!(
        "{METERS_HEAD}\
         ул. Тестовая, д. 1;99;ХВС;ВСКМ;A-1;;;;;;;;\n\
         ул. Тестовая, д. 1;1;Вода;ВСКМ;A-2;;;;;;;;\n\
         ул. Тестовая, д. 1;1;ХВС;ВСКМ;A-3;;;;;;;;\n\
         ул. Тестовая, д. 1;2;ХВС;ВСКМ;A-3;;;;;;;;\n\
         ул. Тестовая, д. 1;1;ХВС;ВСКМ;A-4;12,3;;;;;;;\n\
         ул. Тестовая, д. 1;1;ХВС;ВСКМ;A-5;;2;;;;;;\n\
         ул. Тестовая, д. 1;1;ХВС;ВСКМ;A-6;;;01.02.2024;;01.01.2024;;;\n\
         ул. Тестовая, д. 1;1;Электроэнергия;Меркурий 230;A-7;;;;;;Шина 9;Меркурий 230/236;5\n\
         ул. Тестовая, д. 1;1;Электроэнергия;Меркурий 230;A-8;;;;;;Шина 1;Меркурий 230/236;17\n\
         ул. Тестовая, д. 1;1;ХВС;ВСКМ;A-9;;;;6;;;;\n\
         ул. Тестовая, д. 1;1;ХВС;ВСКМ;A-10;;;01.01.2099;;;;;\n\
         ул. Тестовая, д. 1;1;Электроэнергия;Меркурий 230;A-11;;;;;;Шина 1;;5\n\
         ул. Тестовая, д. 1;3;ХВС;ВСКМ;A-12;;;;;;;;\n"
    );
    let r = run(&db, f.company_id, ImportKind::Meters, file.as_bytes(), None, true).await.unwrap();
    let got: Vec<(usize, &str)> = r.issues.iter().map(|i| (i.row, i.column.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (2, "Помещение"),                      // no flat 99
            (3, "Ресурс"),                         // «Вода» is not one
            (5, "Заводской номер"),                // A-3 twice
            (6, "Разрядность"),                    // 12 integer digits
            (7, "Тарифов"),                        // two tariffs on water
            (8, "Дата следующей поверки"),         // before the last one
            (9, "Коммуникатор"),                   // no such line
            (10, "Адрес на шине"),                 // 17 is the fixture meter's
            (11, "Дата поверки"),                  // an interval without a date
            (12, "Дата поверки"),                  // in the future
            (13, "Протокол"),                      // a line without a protocol
        ],
        "{:#?}",
        r.issues
    );
    assert!(r.issues[7].reason.contains("SN-1"), "{}", r.issues[7].reason);
    assert!(!r.written);
    assert_eq!(meter::get_count(&db, f.company_id).await.unwrap(), 1);
});
