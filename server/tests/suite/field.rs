//! The field screen's data over real HTTP on both databases: a building's sheet in the order
//! people walk it, with each meter's digit capacity, its tariffs and previous readings, and
//! nothing of another company.

use crate::common;

use app::errors::AppError;
use app::models::capacity::DigitCapacity;
use app::models::field::{FieldBuilding, FieldSheet};
use app::models::{MeterState, Placement, Resource, Role};
use app::storage::reading::{self, Kind, Period, Source};
use app::storage::testing::fixtures;
use app::storage::{meter, premise};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

async fn meter_in(
    w: &common::World,
    premise_id: Option<i64>,
    resource: Resource,
    serial: &str,
    capacity: (u8, u8),
    tariffs: i64,
) -> (i64, i64) {
    let mut m = meter::Meter::new(
        w.a.company_id,
        w.a.object_id,
        resource,
        "Модель",
        serial,
        DigitCapacity::new(capacity.0, capacity.1).unwrap(),
    );
    m.premise_id = premise_id;
    m.placement = if premise_id.is_some() {
        Placement::Individual
    } else {
        Placement::Common
    };
    m.tariffs = tariffs;
    let m = meter::create(&w.db, &m).await.unwrap();
    (m.id, fixtures::main_channel(&w.db, &m).await)
}

async fn flat(w: &common::World, number: &str) -> i64 {
    premise::create(
        &w.db,
        &premise::Premise {
            company_id: w.a.company_id,
            object_id: w.a.object_id,
            number: number.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

async fn sheet(w: &common::World, role: Role, object_id: i64) -> Result<FieldSheet, AppError> {
    let (_, text, _) = common::call(
        &w.app,
        "field_sheet",
        &format!("object_id={object_id}"),
        Some(w.cookie(role)),
    )
    .await;
    match common::error_of(&text) {
        Some(e) => Err(e),
        None => Ok(serde_json::from_str(&text).unwrap()),
    }
}

both_backends!(
    a_building_sheet_walks_the_flats_in_order_with_capacity_tariffs_and_previous_readings,
    |w| {
        let flat10 = flat(w, "10").await;
        let flat2 = flat(w, "2").await;
        let (water, water_ch) =
            meter_in(w, Some(flat10), Resource::ColdWater, "W-10", (5, 3), 1).await;
        let (power, power_ch) =
            meter_in(w, Some(flat2), Resource::Electricity, "E-2", (6, 2), 2).await;
        let (retired, _) = meter_in(w, Some(flat2), Resource::HotWater, "H-2", (5, 3), 1).await;
        meter::set_state(&w.db, w.a.company_id, retired, MeterState::Retired)
            .await
            .unwrap();
        let (common_heat, _) = meter_in(w, None, Resource::Heat, "ODPU-1", (7, 3), 1).await;

        let yesterday = app::storage::now() - 86_400;
        let reading =
            |channel_id: i64, total: Option<&str>, tariffs: [Option<&str>; 4]| reading::Reading {
                channel_id,
                company_id: w.a.company_id,
                period: Period::Instant,
                ts: yesterday,
                kind: Kind::Integral,
                total: total.map(d),
                tariffs: tariffs.map(|t| t.map(d)),
                source: Source::FieldStaff,
                flags: 0,
                entered_by: None,
                entry_id: None,
                received_at: yesterday,
            };
        reading::insert_many(
            &w.db,
            &[
                reading(water_ch, Some("123.456"), [None; 4]),
                reading(
                    power_ch,
                    Some("1500.75"),
                    [Some("1000.5"), Some("500.25"), None, None],
                ),
            ],
        )
        .await
        .unwrap();

        let s = sheet(w, Role::FieldStaff, w.a.object_id).await.unwrap();
        let flats: Vec<&str> = s.premises.iter().map(|p| p.flat.as_str()).collect();
        assert_eq!(
            flats,
            vec!["1", "2", "10", ""],
            "flats as people count them, common meters last"
        );
        let meters_of = |flat: &str| -> Vec<i64> {
            s.premises
                .iter()
                .find(|p| p.flat == flat)
                .unwrap()
                .meters
                .iter()
                .map(|m| m.meter_id)
                .collect()
        };
        assert_eq!(meters_of("2"), vec![power], "a retired meter is not read");
        assert_eq!(meters_of(""), vec![common_heat]);

        let water_m = s.meters().find(|m| m.meter_id == water).unwrap();
        assert_eq!(water_m.capacity.label(), "5,3");
        assert_eq!(water_m.registers.len(), 1);
        assert_eq!(water_m.registers[0].tariff, 0);
        assert_eq!(water_m.registers[0].last, Some(d("123.456")));
        assert!(water_m.registers[0].last_date.is_some());

        let power_m = s.meters().find(|m| m.meter_id == power).unwrap();
        let tariffs: Vec<(u8, Option<Decimal>)> = power_m
            .registers
            .iter()
            .map(|r| (r.tariff, r.last))
            .collect();
        assert_eq!(
            tariffs,
            vec![(1, Some(d("1000.5"))), (2, Some(d("500.25")))],
            "one field per tariff, each with its own previous value"
        );
        let heat = s.meters().find(|m| m.meter_id == common_heat).unwrap();
        assert_eq!(
            heat.registers[0].last, None,
            "no reading yet: no previous value"
        );
        assert_eq!(s.field_count(), 1 + 1 + 2 + 1);
    }
);

both_backends!(
    field_staff_see_their_company_buildings_and_nothing_of_another,
    |w| {
        let (_, text, _) = common::call(
            &w.app,
            "field_buildings",
            "",
            Some(w.cookie(Role::FieldStaff)),
        )
        .await;
        let list: Vec<FieldBuilding> = serde_json::from_str(&text).unwrap();
        assert_eq!(
            list.iter().map(|b| b.id).collect::<Vec<_>>(),
            vec![w.a.object_id]
        );
        assert_eq!((list[0].premises, list[0].meters), (1, 1));

        assert_eq!(
            sheet(w, Role::FieldStaff, w.b.object_id).await,
            Err(AppError::NotFound),
            "another company's building is not found"
        );
        let (_, text, _) = common::call(
            &w.app,
            "field_sheet",
            &format!("object_id={}", w.a.object_id),
            Some(w.b_dispatcher.as_str()),
        )
        .await;
        assert_eq!(common::error_of(&text), Some(AppError::NotFound));
        assert_eq!(
            sheet(w, Role::Reader, w.a.object_id).await,
            Err(AppError::Forbidden),
            "readers see, they do not enter"
        );
    }
);
