//! «Карта приборов» (issue 23, point 7) on both databases: each building's meters counted by
//! how long ago each was heard from (the seed's 30 min … 2 weeks, «отключен», read by hand),
//! retired meters and another company's left out, buildings without coordinates counted;
//! a building's meters silent first; another company's building not found, a resident
//! refused.

use crate::common;

use app::errors::AppError;
use app::models::capacity::DigitCapacity;
use app::models::meter_map::{Contact, MapBuilding, MeterMap};
use app::models::{MeterState, Placement, Resource, Role};
use app::storage::{communicator, meter, now, object, premise};

async fn map(w: &common::World, args: &[(&str, &str)], cookie: &str) -> Result<MeterMap, AppError> {
    let (_, text, _) = common::call(&w.app, "map_of_meters", &common::form(args), Some(cookie)).await;
    serde_json::from_str::<MeterMap>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

async fn building(w: &common::World, object: i64, resource: &str, cookie: &str) -> Result<MapBuilding, AppError> {
    let id = object.to_string();
    let (_, text, _) = common::call(&w.app, "map_building_meters", &common::form(&[("object", &id), ("resource", resource)]), Some(cookie)).await;
    serde_json::from_str::<MapBuilding>(&text).map_err(|_| common::error_of(&text).unwrap_or_else(|| panic!("{text}")))
}

/// Building A on a bus: flats 1–6 get a water meter each, heard from 10 minutes, 90 minutes,
/// 20 hours, 40 hours, 5 days and 10 days ago; flat 7's was heard from 20 days ago and flat
/// 8's never; a retired one is not counted. The fixture's electricity meter in flat 1 is on
/// no line (read by hand). Building A stands at 55,7107 / 37,5152.
async fn building_a(w: &common::World) {
    let c = w.a.company_id;
    let bus = communicator::create(
        &w.db,
        &communicator::Communicator { company_id: c, object_id: Some(w.a.object_id), name: "Шина 1".into(), line: "rs485".into(), ..Default::default() },
    )
    .await
    .unwrap();
    let t = now();
    let ages: [(&str, Option<i64>); 8] = [
        ("1", Some(600)),
        ("2", Some(90 * 60)),
        ("3", Some(20 * 3600)),
        ("4", Some(40 * 3600)),
        ("5", Some(5 * 86_400)),
        ("6", Some(10 * 86_400)),
        ("7", Some(20 * 86_400)),
        ("8", None),
    ];
    for (i, (flat, age)) in ages.iter().enumerate() {
        let p = match *flat {
            "1" => w.a.premise_id,
            n => premise::create(&w.db, &premise::Premise { company_id: c, object_id: w.a.object_id, number: n.into(), ..Default::default() }).await.unwrap().id,
        };
        let mut m = meter::Meter::new(c, w.a.object_id, Resource::ColdWater, "Пульсар", &format!("W-{flat}"), DigitCapacity::new(5, 3).unwrap());
        m.premise_id = Some(p);
        m.placement = Placement::Individual;
        m.communicator_id = Some(bus.id);
        m.bus_address = (i + 1).to_string();
        let m = meter::create(&w.db, &m).await.unwrap();
        if let Some(age) = age {
            meter::set_last_contact(&w.db, m.id, t - age).await.unwrap();
        }
    }
    let mut old = meter::Meter::new(c, w.a.object_id, Resource::ColdWater, "Пульсар", "OLD-1", DigitCapacity::new(5, 3).unwrap());
    old.communicator_id = Some(bus.id);
    old.state = MeterState::Retired;
    meter::create(&w.db, &old).await.unwrap();

    let mut o = object::get(&w.db, c, w.a.object_id).await.unwrap();
    (o.latitude, o.longitude) = (Some(55.7107), Some(37.5152));
    object::update(&w.db, &o).await.unwrap();
}

both_backends!(the_map_counts_each_buildings_meters_by_last_contact_and_lists_the_silent_first, |w| {
    building_a(w).await;
    let cookie = w.cookie(Role::Dispatcher);
    // a second building of company A, without coordinates, with one meter read by hand
    let second = app::storage::testing::fixtures::building_of(&w.db, w.a.company_id, "2").await;

    let all = map(w, &[], cookie).await.unwrap();
    assert_eq!(all.places.len(), 2, "company B's building is not on company A's map");
    let a = all.places.iter().find(|p| p.object_id == w.a.object_id).unwrap();
    // 30 min, 2 h, 1 day, 2 days, 1 week, 2 weeks, off (20 days and never), by hand
    assert_eq!(a.counts, [1, 1, 1, 1, 1, 1, 2, 1], "the retired meter is left out");
    assert_eq!(a.at, Some((55.7107, 37.5152)));
    let b = all.places.iter().find(|p| p.object_id == second.object_id).unwrap();
    assert_eq!((b.at, b.counts), (None, [0, 0, 0, 0, 0, 0, 0, 1]));
    assert_eq!(all.meters(), 10);
    assert_eq!(all.without_coordinates(), 1, "«без координат: 1 из 10»");
    assert_eq!(all.tiles, "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
    // the script draws only what has coordinates
    assert_eq!(all.script_data()["points"].as_array().map(Vec::len), Some(1));

    // one resource, one building
    let water = map(w, &[("resource", "cold_water")], cookie).await.unwrap();
    assert_eq!(water.places.len(), 1, "the second building has no water meter");
    assert_eq!(water.places[0].counts, [1, 1, 1, 1, 1, 1, 2, 0]);
    let one = map(w, &[("object", &second.object_id.to_string())], cookie).await.unwrap();
    assert_eq!(one.places.iter().map(|p| p.object_id).collect::<Vec<_>>(), vec![second.object_id]);
    // an unknown resource is every resource
    assert_eq!(map(w, &[("resource", "plasma")], cookie).await.unwrap().meters(), 10);

    // the building's meters: never heard from and longest silent first, read by hand last
    let list = building(w, w.a.object_id, "", cookie).await.unwrap();
    let order: Vec<(&str, Contact)> = list.meters.iter().map(|m| (m.serial.as_str(), m.contact)).collect();
    assert_eq!(
        order,
        vec![
            ("W-7", Contact::Off),
            ("W-8", Contact::Off),
            ("W-6", Contact::Weeks2),
            ("W-5", Contact::Week1),
            ("W-4", Contact::Days2),
            ("W-3", Contact::Day1),
            ("W-2", Contact::Hours2),
            ("W-1", Contact::Min30),
            ("SN-1", Contact::ByHand),
        ]
    );
    assert_eq!(list.meters[1].last_contact, "", "never heard from");
    assert_eq!(list.meters[0].premise, "кв. 7");
    assert!(list.meters[0].last_contact.len() == "dd.mm.yyyy hh:mm".len(), "{}", list.meters[0].last_contact);
    let water = building(w, w.a.object_id, "cold_water", cookie).await.unwrap();
    assert_eq!(water.meters.len(), 8);
});

both_backends!(another_companys_building_is_not_found_on_the_map_and_a_resident_is_refused, |w| {
    building_a(w).await;
    let b_object = w.b.object_id.to_string();
    assert_eq!(map(w, &[("object", &b_object)], w.cookie(Role::Dispatcher)).await.unwrap_err(), AppError::NotFound);
    assert_eq!(building(w, w.b.object_id, "", w.cookie(Role::Dispatcher)).await.unwrap_err(), AppError::NotFound);
    // company B's dispatcher sees B's building only
    let theirs = map(w, &[], &w.b_dispatcher).await.unwrap();
    assert_eq!(theirs.places.iter().map(|p| p.object_id).collect::<Vec<_>>(), vec![w.b.object_id]);
    // a reader sees the map; a resident does not
    assert_eq!(map(w, &[], w.cookie(Role::Reader)).await.unwrap().meters(), 9);
    assert_eq!(map(w, &[], w.cookie(Role::Resident)).await.unwrap_err(), AppError::Forbidden);
    assert_eq!(building(w, w.a.object_id, "", w.cookie(Role::Resident)).await.unwrap_err(), AppError::Forbidden);
});
