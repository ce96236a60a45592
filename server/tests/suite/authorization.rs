//! Every server function checks role and company: the full matrix of role × function, and
//! the tenant walls between companies, over real HTTP on both databases.

use crate::common;

use app::errors::AppError;
use app::models::{Permission, Role};

fn moscow_today() -> String {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Moscow).date_naive().format("%Y-%m-%d").to_string()
}

/// Every server function that needs a permission, with a valid body, and what it needs.
fn guarded(w: &common::World) -> Vec<(&'static str, String, Permission)> {
    let other = w.user_id(Role::Reader);
    let notice = format!(
        r#"{{"draft":{{"id":null,"kind":"urgent","title":"Отключение ХВС","body":"","works_until":null,"attachment_id":null,"recipients":{{"objects":[{}],"premises":[]}}}}}}"#,
        w.a.object_id
    );
    vec![
        ("my_cabinet", String::new(), Permission::OwnPremises),
        ("my_consumption", String::new(), Permission::OwnPremises),
        ("my_sheets", String::new(), Permission::OwnPremises),
        ("my_requests", String::new(), Permission::OwnPremises),
        ("my_notices", String::new(), Permission::OwnPremises),
        ("desk", "filter[open_only]=false".into(), Permission::HandleRequests),
        ("desk_request_choices", format!("object={}", w.a.object_id), Permission::HandleRequests),
        ("request_limits", String::new(), Permission::ViewCompany),
        (
            "save_request_limits",
            "limits[repair_registration]=2&units[repair_registration]=hour".into(),
            Permission::ManageCompany,
        ),
        (
            "file_desk_request",
            common::form(&[
                ("draft[object]", &w.a.object_id.to_string()),
                ("draft[applicant]", "Иванов"),
                ("draft[phone]", ""),
                ("draft[channel]", "phone"),
                ("draft[specialist]", "lift"),
                ("draft[category]", "repair"),
                ("draft[message]", "Не работает лифт"),
            ]),
            Permission::HandleRequests,
        ),
        ("notices", String::new(), Permission::ViewData),
        ("notice_choices", String::new(), Permission::EditData),
        ("save_notice", notice, Permission::EditData),
        (
            "activation_codes",
            format!("object={}", w.a.object_id),
            Permission::EditData,
        ),
        (
            "create_codes",
            format!("object={}", w.a.object_id),
            Permission::EditData,
        ),
        ("list_objects", String::new(), Permission::ViewObjects),
        (
            "get_object",
            format!("id={}", w.a.object_id),
            Permission::ViewObjects,
        ),
        ("company_card", String::new(), Permission::ViewCompany),
        ("period_terms", String::new(), Permission::ViewCompany),
        (
            "save_period_terms",
            common::form(&[("first_day", "15"), ("last_day", "25"), ("norms[city0_cold_water]", "6,935")]),
            Permission::ManageCompany,
        ),
        ("object_norms", format!("object={}", w.a.object_id), Permission::ViewObjects),
        ("billing_runs", String::new(), Permission::ViewData),
        ("api_tokens", String::new(), Permission::ManageCompany),
        ("create_api_token", "name=1%D0%A1&scope=read".into(), Permission::ManageCompany),
        // the token above made (by the administrator, the first role that may) is number 1
        ("revoke_api_token", "id=1".into(), Permission::ManageCompany),
        ("report", common::form(&[("query", "kind=balance"), ("lang", "ru")]), Permission::ViewData),
        ("run_billing_export", "period=2026-10&template=1c&again=1".into(), Permission::EditData),
        ("save_billing_schedule", "enabled=1&template=gis_zhkh&day=27".into(), Permission::EditData),
        // the run above made (by the dispatcher, the first role that may) is number 1
        ("billing_protocol", "id=1".into(), Permission::ViewData),
        (
            "save_object_norms",
            format!("object={}&{}", w.a.object_id, common::form(&[("norms[heat]", "0,0165")])),
            Permission::ManageObjects,
        ),
        (
            "save_company",
            common::form(&[
                ("name", "УК «А»"),
                ("inn", "7707083893"),
                ("kpp", ""),
                ("ogrn", ""),
                ("legal_address", ""),
                ("actual_address", ""),
                ("phone", ""),
                ("email", ""),
                ("working_hours", ""),
                ("bank_name", ""),
                ("bik", ""),
                ("settlement_account", ""),
                ("correspondent_account", ""),
            ]),
            Permission::ManageCompany,
        ),
        (
            "save_object",
            format!(
                "id={}&{}",
                w.a.object_id,
                common::form(&[
                    ("form[address]", "ул. Тестовая, д. 1"),
                    ("form[name]", ""),
                    ("form[fias_code]", ""),
                    ("form[under_construction]", "true"),
                    ("form[latitude]", ""),
                    ("form[longitude]", ""),
                    ("form[total_area]", ""),
                    ("form[residents]", ""),
                    ("form[floors]", ""),
                    ("form[entrances]", ""),
                    ("form[time_zone]", "Europe/Moscow"),
                    ("form[heating_season]", "false"),
                    ("form[weather_station]", ""),
                    ("form[poll_enabled]", "true"),
                    ("form[poll_time]", "07:00"),
                    ("form[poll_days]", "1234567"),
                ])
            ),
            Permission::ManageObjects,
        ),
        (
            "archive_object",
            format!("id={}&archived=false", w.a.object_id),
            Permission::ManageObjects,
        ),
        ("home_summary", String::new(), Permission::ViewData),
        ("dashboard", "span=month".into(), Permission::ViewData),
        ("polling_console", "category=ElectricityFlats".into(), Permission::ViewData),
        ("not_polled", "days=3".into(), Permission::ViewData),
        ("abnormal_situations", String::new(), Permission::ViewData),
        ("event_journal", "query=kind%3Dsilent".into(), Permission::ViewData),
        ("map_of_meters", "resource=heat".into(), Permission::ViewData),
        ("map_building_meters", format!("object={}", w.a.object_id), Permission::ViewData),
        ("data_arrival", common::form(&[("query", &format!("object={}", w.a.object_id))]), Permission::ViewData),
        ("data_arrival_meter", format!("meter={}&query=", w.a.meter_id), Permission::ViewData),
        ("alert_subscriptions", String::new(), Permission::ViewData),
        (
            "subscribe_alerts",
            common::form(&[("name", "Аварии"), ("email", "a@uk.test"), ("webhook_url", ""), ("kinds", ""), ("severities", "alarm"),
                ("resources", ""), ("objects", ""), ("quiet_from", ""), ("quiet_to", ""), ("remind_hours", "")]),
            Permission::ViewData,
        ),
        ("deviations", common::form(&[("query", &format!("object={}", w.a.object_id))]), Permission::ViewData),
        ("save_deviation_rules", format!(r#"{{"object":{},"rules":[]}}"#, w.a.object_id), Permission::EditData),
        ("group_balance", "query=by%3Dmonth".into(), Permission::ViewData),
        ("premises_consumption", "query=by%3Dmonth&registry=true".into(), Permission::ViewData),
        ("balance_groups", format!("object={}", w.a.object_id), Permission::ViewObjects),
        (
            "create_balance_group",
            format!("object={}&resource=electricity&name=%D0%92%D0%B2%D0%BE%D0%B4", w.a.object_id),
            Permission::ManageObjects,
        ),
        ("verification_calendar", "year=2026&month=12".into(), Permission::ServiceMeters),
        ("meter_inventory", "query=resource%3Dheat".into(), Permission::ViewObjects),
        ("list_communicators", "query=line%3Dtcp".into(), Permission::ViewData),
        ("seasons", String::new(), Permission::ViewData),
        // set by the dispatcher (the only role that may) and undone at once, on its own day
        ("set_season", format!("objects[0]={}&heating=true&starts_on={}", w.a.object_id, moscow_today()), Permission::EditData),
        ("undo_season", format!("object={}", w.a.object_id), Permission::EditData),
        ("building_premises", format!("object={}", w.a.object_id), Permission::ViewObjects),
        // flat 1 is there: allowed callers add nothing, and succeed
        ("add_premise_range", format!("object={}&form[from]=1&form[to]=1", w.a.object_id), Permission::ManageObjects),
        // a new line's form: only for whoever may make one (changing lines: communicators.rs)
        ("open_communicator", String::new(), Permission::ServiceMeters),
        ("open_meter_form", String::new(), Permission::ServiceMeters),
        ("meter_form_places", format!("object={}", w.a.object_id), Permission::ServiceMeters),
        // a form with no model: an allowed caller gets its reasons, nothing is written
        ("save_meter", format!("form[object_id]={}&form[serial]=X", w.a.object_id), Permission::ServiceMeters),
        (
            "poll_now",
            format!("object={}", w.a.object_id),
            Permission::EditData,
        ),
        (
            "readings_table",
            format!("query[object]={}", w.a.object_id),
            Permission::ViewData,
        ),
        (
            "meter_card",
            format!("id={}", w.a.meter_id),
            Permission::ViewData,
        ),
        (
            "device_choices",
            format!("object={}&category=ElectricityFlats", w.a.object_id),
            Permission::EditData,
        ),
        (
            "meter_archive",
            format!("id={}&kind=Hour", w.a.meter_id),
            Permission::ViewData,
        ),
        (
            "save_readings_columns",
            "columns[0]=flat&columns[1]=serial&columns[2]=value".into(),
            Permission::ViewData,
        ),
        ("list_users", String::new(), Permission::ManageUsers),
        // the reader stays a reader: allowed, and nothing changes
        ("set_user_role", format!("user_id={other}&role=reader"), Permission::ManageUsers),
        ("add_member", "login=b-dispatcher&role=reader".into(), Permission::ManageUsers),
        ("audit_log", "query[action]=sign_in".into(), Permission::ManageUsers),
        (
            "subscribers",
            format!("query[object]={}", w.a.object_id),
            Permission::ViewData,
        ),
        (
            "account_card",
            format!("account={}", common::ACCOUNT_A),
            Permission::ViewData,
        ),
        (
            "create_user",
            "login=new-one&full_name=Новый&password=password-123&role=reader".into(),
            Permission::ManageUsers,
        ),
        (
            "set_user_blocked",
            format!("user_id={other}&blocked=false"),
            Permission::ManageUsers,
        ),
        (
            "entry_sheet",
            format!("account={}", common::ACCOUNT_A),
            Permission::EnterReadings,
        ),
        ("field_buildings", String::new(), Permission::EnterReadings),
        (
            "field_sheet",
            format!("object_id={}", w.a.object_id),
            Permission::EnterReadings,
        ),
    ]
}

both_backends!(
    each_role_reaches_exactly_the_functions_its_permissions_allow,
    |w| {
        let mut all = guarded(w);
        // typed readings come from field staff and dispatchers, and from residents
        all.push(("submit_readings", r#"{"entries":[]}"#.into(), Permission::EnterReadings));
        for role in Role::ALL {
            for (endpoint, body, needs) in all.clone() {
                let allowed = role.allows(needs)
                    || (endpoint == "submit_readings" && role.allows(Permission::OwnPremises));
                let (status, text, _) =
                    common::call(&w.app, endpoint, &body, Some(w.cookie(role))).await;
                if allowed {
                    assert!(
                        status.is_success(),
                        "{role:?} → {endpoint}: expected success, got {status} {text}"
                    );
                    assert!(
                        common::error_of(&text).is_none(),
                        "{role:?} → {endpoint}: {text}"
                    );
                } else {
                    assert_eq!(
                        common::error_of(&text),
                        Some(AppError::Forbidden),
                        "{role:?} → {endpoint}: {status} {text}"
                    );
                }
            }
        }
    }
);

both_backends!(
    a_signed_out_caller_gets_not_signed_in_from_every_guarded_function,
    |w| {
        for (endpoint, body, _) in guarded(w) {
            let (_, text, _) = common::call(&w.app, endpoint, &body, None).await;
            assert_eq!(
                common::error_of(&text),
                Some(AppError::NotSignedIn),
                "{endpoint}: {text}"
            );
            let (_, text, _) =
                common::call(&w.app, endpoint, &body, Some("uchet_session=forged")).await;
            assert_eq!(
                common::error_of(&text),
                Some(AppError::NotSignedIn),
                "{endpoint} with a forged token: {text}"
            );
        }
        for endpoint in ["session_info", "signed_in"] {
            let (_, text, _) = common::call(&w.app, endpoint, "", None).await;
            assert_eq!(text.trim(), "null", "{endpoint} when signed out");
        }
    }
);

both_backends!(a_reader_can_change_nothing, |w| {
    let reader = w.cookie(Role::Reader);
    let before = app::storage::user::get_count(&w.db).await.unwrap();
    for (endpoint, body) in [
        (
            "create_user",
            "login=x1&full_name=X&password=password-123&role=administrator".to_string(),
        ),
        (
            "set_user_blocked",
            format!("user_id={}&blocked=true", w.user_id(Role::Dispatcher)),
        ),
    ] {
        let (_, text, _) = common::call(&w.app, endpoint, &body, Some(reader)).await;
        assert_eq!(
            common::error_of(&text),
            Some(AppError::Forbidden),
            "{endpoint}"
        );
    }
    assert_eq!(app::storage::user::get_count(&w.db).await.unwrap(), before);
    let m = app::storage::membership::get(&w.db, w.user_id(Role::Dispatcher), w.a.company_id)
        .await
        .unwrap()
        .unwrap();
    assert!(!m.blocked);
});

both_backends!(a_dispatcher_of_company_b_reads_nothing_of_company_a, |w| {
    let b = w.b_dispatcher.as_str();
    let (_, text, _) = common::call(&w.app, "list_objects", "", Some(b)).await;
    let rows: Vec<app::models::views::ObjectRow> = serde_json::from_str(&text).unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![w.b.object_id]
    );
    let (_, text, _) = common::call(
        &w.app,
        "get_object",
        &format!("id={}", w.a.object_id),
        Some(b),
    )
    .await;
    assert_eq!(
        common::error_of(&text),
        Some(AppError::NotFound),
        "A's object by id: {text}"
    );
    for body in [
        format!("object={}", w.a.object_id),
        format!("object={}&meter={}", w.b.object_id, w.a.meter_id),
    ] {
        let (_, text, _) = common::call(&w.app, "poll_now", &body, Some(b)).await;
        assert_eq!(common::error_of(&text), Some(AppError::NotFound), "poll of A's {body}: {text}");
    }
    let (_, text, _) = common::call(
        &w.app,
        "polling_console",
        &format!("object={}&category=ElectricityFlats", w.a.object_id),
        Some(b),
    )
    .await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "A's console: {text}");
    let (_, text, _) = common::call(
        &w.app,
        "not_polled",
        &format!("object={}&days=3", w.a.object_id),
        Some(b),
    )
    .await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "A's quiet meters: {text}");
    let (_, text, _) = common::call(&w.app, "not_polled", "days=3", Some(b)).await;
    let list: app::models::not_polled::SilentList = serde_json::from_str(&text).unwrap();
    assert!(
        list.objects.iter().all(|(id, _)| *id == w.b.object_id),
        "only B's buildings: {list:?}"
    );
    let (_, text, _) = common::call(&w.app, "company_card", "", Some(b)).await;
    let card: app::models::views::CompanyView = serde_json::from_str(&text).unwrap();
    assert_eq!(card.id, w.b.company_id);
    let (_, text, _) = common::call(&w.app, "home_summary", "", Some(b)).await;
    let s: app::models::views::SummaryView = serde_json::from_str(&text).unwrap();
    assert_eq!((s.objects, s.premises, s.meters_individual), (1, 1, 1));
    let (_, text, _) = common::call(
        &w.app,
        "switch_company",
        &format!("company_id={}", w.a.company_id),
        Some(b),
    )
    .await;
    assert_eq!(
        common::error_of(&text),
        Some(AppError::Forbidden),
        "switching into a company one does not belong to"
    );
});

both_backends!(
    an_administrator_cannot_touch_users_of_another_company,
    |w| {
        let admin = w.cookie(Role::Administrator);
        let (_, text, _) = common::call(
            &w.app,
            "set_user_blocked",
            &format!("user_id={}&blocked=true", w.b_dispatcher_id),
            Some(admin),
        )
        .await;
        assert_eq!(common::error_of(&text), Some(AppError::NotFound));
        let (_, text, _) = common::call(&w.app, "list_users", "", Some(admin)).await;
        let users: Vec<app::models::views::UserRow> = serde_json::from_str(&text).unwrap();
        assert!(users.iter().all(|u| u.login.starts_with("a-")), "{users:?}");
        assert_eq!(users.len(), Role::ALL.len());
    }
);

both_backends!(a_resident_sees_only_their_own_premise, |w| {
    let (_, text, _) =
        common::call(&w.app, "my_cabinet", "", Some(w.cookie(Role::Resident))).await;
    let cabinet: app::models::cabinet::CabinetView = serde_json::from_str(&text).unwrap();
    let premises = cabinet.premises;
    assert_eq!(premises.len(), 1);
    assert_eq!(premises[0].id, w.a.premise_id);
    assert_eq!(premises[0].meters.len(), 1);
    let (_, text, _) = common::call(
        &w.app,
        "get_object",
        &format!("id={}", w.a.object_id),
        Some(w.cookie(Role::Resident)),
    )
    .await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
});

both_backends!(blocking_a_user_ends_their_session_at_once, |w| {
    let admin = w.cookie(Role::Administrator);
    let reader = w.cookie(Role::Reader);
    let (_, text, _) = common::call(&w.app, "list_objects", "", Some(reader)).await;
    assert!(common::error_of(&text).is_none());
    let (status, text, _) = common::call(
        &w.app,
        "set_user_blocked",
        &format!("user_id={}&blocked=true", w.user_id(Role::Reader)),
        Some(admin),
    )
    .await;
    assert!(status.is_success(), "{text}");
    let (_, text, _) = common::call(&w.app, "list_objects", "", Some(reader)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotSignedIn));
    let (_, text, _) = common::call(
        &w.app,
        "set_user_blocked",
        &format!("user_id={}&blocked=true", w.user_id(Role::Administrator)),
        Some(admin),
    )
    .await;
    assert_eq!(
        common::error_of(&text),
        Some(AppError::Forbidden),
        "nobody blocks themselves"
    );
});
