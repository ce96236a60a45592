//! Requests at the desk, the rest of F35, over HTTP on both databases: staff take a call for a
//! flat on behalf of its resident or for the whole building; a group request's reply and
//! stages reach every attached resident and no one else; a stage's time limit marks it
//! overdue.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::request::{Category, Channel, DeskView, Grouping, RequestCard, RequestRow, Stage, ThreadEvent};
use app::models::Role;
use app::storage::{premise, resident};
use axum::http::StatusCode;

fn ok<T: serde::de::DeserializeOwned>(status: StatusCode, text: &str) -> T {
    assert!(status.is_success(), "{status} {text}");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A resident of a new flat `number` in company A's building: their cookie and the flat.
async fn resident_of(w: &common::World, number: &str) -> (String, i64) {
    let p = premise::create(
        &w.db,
        &premise::Premise {
            company_id: w.a.company_id,
            object_id: w.a.object_id,
            number: number.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (cookie, id) = common::session_for(&w.db, &format!("resident-{number}"), w.a.company_id, Role::Resident).await;
    resident::attach(&w.db, id, &p).await.unwrap();
    (cookie, p.id)
}

/// A request the resident files for their flat; its id.
async fn file(w: &common::World, cookie: &str, premise: i64, message: &str) -> i64 {
    let (status, text, _) = common::call(
        &w.app,
        "file_request",
        &common::form(&[("premise", &premise.to_string()), ("specialist", "plumber"), ("message", message)]),
        Some(cookie),
    )
    .await;
    ok(status, &text)
}

/// The staff form's fields; `premise` and `resident` left out when none.
fn draft(object: i64, premise: Option<i64>, resident: Option<i64>, fields: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = vec![("object".into(), object.to_string())];
    if let Some(p) = premise {
        pairs.push(("premise".into(), p.to_string()));
    }
    if let Some(r) = resident {
        pairs.push(("resident".into(), r.to_string()));
    }
    let defaults = [
        ("applicant", ""),
        ("phone", ""),
        ("channel", "phone"),
        ("specialist", "plumber"),
        ("category", "repair"),
        ("message", "Течёт стояк"),
    ];
    for (k, v) in defaults {
        let v = fields.iter().find(|(f, _)| *f == k).map(|(_, v)| *v).unwrap_or(v);
        pairs.push((k.into(), v.into()));
    }
    let named: Vec<(String, &str)> = pairs.iter().map(|(k, v)| (format!("draft[{k}]"), v.as_str())).collect();
    common::form(&named.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>())
}

async fn take(w: &common::World, cookie: &str, body: &str) -> Result<i64, AppError> {
    let (status, text, _) = common::call(&w.app, "file_desk_request", body, Some(cookie)).await;
    match common::error_of(&text) {
        Some(e) => Err(e),
        None => Ok(ok(status, &text)),
    }
}

async fn card(w: &common::World, cookie: &str, endpoint: &str, id: i64) -> RequestCard {
    let (status, text, _) = common::call(&w.app, endpoint, &format!("id={id}"), Some(cookie)).await;
    ok(status, &text)
}

async fn mine(w: &common::World, cookie: &str) -> Vec<RequestRow> {
    let (status, text, _) = common::call(&w.app, "my_requests", "", Some(cookie)).await;
    ok(status, &text)
}

async fn desk(w: &common::World, query: &str) -> DeskView {
    let (status, text, _) = common::call(&w.app, "desk", query, Some(w.cookie(Role::Dispatcher))).await;
    ok(status, &text)
}

async fn count_requests(w: &common::World) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM service_requests").fetch_one(w.db.pool()).await.unwrap()
}

both_backends!(staff_take_a_call_on_behalf_of_a_flats_resident_and_a_walk_round_finding_for_the_building, |w| {
    let d = w.cookie(Role::Dispatcher);
    let resident_id = w.user_id(Role::Resident);
    let id = take(
        w,
        d,
        &draft(
            w.a.object_id,
            Some(w.a.premise_id),
            Some(resident_id),
            &[("phone", "+7 (900) 123-45-67"), ("specialist", "electrician"), ("category", "emergency"), ("message", "Нет света в квартире")],
        ),
    )
    .await
    .unwrap();
    // the resident follows it in the cabinet as their own
    let rows = mine(w, w.cookie(Role::Resident)).await;
    let row = rows.iter().find(|r| r.id == id).expect("the resident sees the request taken for them");
    assert_eq!((row.category, row.channel, row.stage), (Category::Emergency, Channel::Phone, Stage::Registration));
    let c = card(w, d, "desk_request", id).await;
    assert_eq!(c.filed_by, "a-dispatcher");
    assert_eq!(c.phone, "+7 (900) 123-45-67");
    assert_eq!(c.row.author, "a-resident");
    assert!(c.row.due.is_some() && !c.row.overdue, "an emergency just taken is due in ten minutes");

    // a walk round's finding for the whole building: no flat, no resident, the finder's words
    let walk = take(
        w,
        w.cookie(Role::ServiceEngineer),
        &draft(w.a.object_id, None, None, &[("applicant", "Обход, инженер Петров"), ("channel", "walk_round"), ("message", "Протечка в подвале")]),
    )
    .await
    .unwrap();
    let c = card(w, d, "desk_request", walk).await;
    assert_eq!((c.row.flat.as_str(), c.row.author.as_str(), c.row.channel), ("", "Обход, инженер Петров", Channel::WalkRound));
    assert_eq!(c.row.place("кв."), c.row.object, "a building's request names the building alone");

    // refusals write nothing
    let before = count_requests(w).await;
    let (_, other_flat) = resident_of(w, "30").await;
    let refused = [
        (draft(w.a.object_id, Some(other_flat), Some(resident_id), &[]), AppError::NotFound),
        (draft(w.a.object_id, Some(w.b.premise_id), None, &[]), AppError::NotFound),
        (draft(w.b.object_id, None, None, &[]), AppError::NotFound),
        (draft(w.a.object_id, None, Some(resident_id), &[]), AppError::NotFound),
        (draft(w.a.object_id, None, None, &[("phone", "позвонить вечером")]), AppError::invalid(Msg::ReqPhone, Problem::BadFormat)),
        (draft(w.a.object_id, None, None, &[("channel", "cabinet")]), AppError::invalid(Msg::ReqChannel, Problem::BadFormat)),
        (draft(w.a.object_id, None, None, &[("message", "   ")]), AppError::invalid(Msg::ReqMessage, Problem::Required)),
        (draft(w.a.object_id, None, None, &[("applicant", &"Я".repeat(201))]), AppError::invalid(Msg::ReqAuthor, Problem::TooLong)),
    ];
    for (body, expected) in refused {
        assert_eq!(take(w, d, &body).await, Err(expected.clone()), "{body}");
    }
    for role in [Role::Resident, Role::Reader] {
        assert_eq!(take(w, w.cookie(role), &draft(w.a.object_id, None, None, &[])).await, Err(AppError::Forbidden), "{role:?}");
    }
    assert_eq!(take(w, &w.b_dispatcher, &draft(w.a.object_id, None, None, &[])).await, Err(AppError::NotFound));
    assert_eq!(count_requests(w).await, before, "nothing half-written");

    // the form's choices: the building's flats and who of them has a cabinet
    let (status, text, _) = common::call(&w.app, "desk_request_choices", &format!("object={}", w.a.object_id), Some(d)).await;
    let choices: app::models::request::DeskChoices = ok(status, &text);
    assert!(choices.premises.iter().any(|(p, _)| *p == other_flat));
    assert!(choices.residents.contains(&(w.a.premise_id, resident_id, "a-resident".to_string())));
    let (_, text, _) = common::call(&w.app, "desk_request_choices", &format!("object={}", w.a.object_id), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "another company's building");
});

both_backends!(a_group_requests_reply_and_stages_reach_every_attached_resident_and_no_one_else, |w| {
    let d = w.cookie(Role::Dispatcher);
    let r1 = w.cookie(Role::Resident).to_string();
    let (r2, flat2) = resident_of(w, "20").await;
    let (r3, flat3) = resident_of(w, "21").await;
    let q1 = file(w, &r1, w.a.premise_id, "Нет холодной воды").await;
    let q2 = file(w, &r2, flat2, "Нет воды с утра").await;
    let q3 = file(w, &r3, flat3, "Течёт кран").await;
    let group = take(
        w,
        d,
        &draft(w.a.object_id, None, None, &[("applicant", "Диспетчер"), ("category", "emergency"), ("message", "Авария на вводе ХВС")]),
    )
    .await
    .unwrap();
    let attach = |ids: &[i64]| {
        let mut pairs = vec![("group".to_string(), group.to_string())];
        pairs.extend(ids.iter().enumerate().map(|(i, id)| (format!("requests[{i}]"), id.to_string())));
        common::form(&pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>())
    };
    let (status, text, _) = common::call(&w.app, "attach_requests", &attach(&[q1, q2]), Some(d)).await;
    assert!(status.is_success() && common::error_of(&text).is_none(), "{status} {text}");
    let g = card(w, d, "desk_request", group).await;
    assert_eq!(g.row.grouping, Grouping::Group(2));
    assert_eq!(g.members.iter().map(|m| m.id).collect::<Vec<_>>(), vec![q1, q2]);
    assert_eq!(g.candidates.iter().map(|m| m.id).collect::<Vec<_>>(), vec![q3], "only the one left alone may still join");

    let (status, text, _) = common::call(
        &w.app,
        "staff_reply",
        &common::form(&[("id", &group.to_string()), ("body", "Авария на вводе, воду дадут к 18:00")]),
        Some(d),
    )
    .await;
    assert!(status.is_success(), "{status} {text}");
    for (cookie, id) in [(&r1, q1), (&r2, q2)] {
        let row = mine(w, cookie).await.into_iter().find(|r| r.id == id).unwrap();
        assert!(row.unread, "the group's answer is new for each attached resident");
        assert_eq!(row.grouping, Grouping::Member { id: group, number: g.row.number });
        let c = card(w, cookie, "my_request", id).await;
        assert!(c.thread.iter().any(|t| t.staff && t.body == "Авария на вводе, воду дадут к 18:00"));
        assert!(c.thread.iter().any(|t| t.event == ThreadEvent::Joined(g.row.number)));
    }
    let third = mine(w, &r3).await;
    assert!(!third[0].unread, "a resident not attached hears nothing");
    assert!(card(w, &r3, "my_request", q3).await.thread.is_empty());
    let (_, text, _) = common::call(&w.app, "my_request", &format!("id={group}"), Some(&r1)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "the group request itself is the staff's");

    // what may not join, each refused whole
    let not_attachable = AppError::invalid(Msg::ReqAttached, Problem::NotAttachable);
    for (ids, expected) in [
        (vec![q3, q1], not_attachable.clone()),
        (vec![group], not_attachable.clone()),
        (vec![], AppError::invalid(Msg::ReqAttached, Problem::Required)),
    ] {
        let (_, text, _) = common::call(&w.app, "attach_requests", &attach(&ids), Some(d)).await;
        assert_eq!(common::error_of(&text), Some(expected), "{ids:?}");
    }
    assert_eq!(card(w, d, "desk_request", q3).await.row.grouping, Grouping::Alone, "q3 was not attached with q1's refusal");
    // a group cannot join another, nor a request of another company
    let (_, text, _) = common::call(&w.app, "attach_requests", &format!("group={q3}&requests[0]={group}"), Some(d)).await;
    assert_eq!(common::error_of(&text), Some(not_attachable.clone()));
    let (_, text, _) = common::call(&w.app, "attach_requests", &attach(&[q3]), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
    let (_, text, _) = common::call(&w.app, "attach_requests", &attach(&[q3]), Some(&r3)).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));

    let desk_view = desk(w, "filter[grouped]=true").await;
    let mut grouped: Vec<i64> = desk_view.rows.iter().map(|r| r.id).collect();
    grouped.sort();
    assert_eq!(grouped, vec![q1, q2, group]);

    // the group's stages carry its members; the one left alone stays
    for stage in ["execution", "completion"] {
        let (_, text, _) =
            common::call(&w.app, "set_request_stage", &format!("id={group}&stage={stage}"), Some(d)).await;
        assert!(common::error_of(&text).is_none(), "{text}");
    }
    for (cookie, id) in [(&r1, q1), (&r2, q2)] {
        assert_eq!(card(w, cookie, "my_request", id).await.row.stage, Stage::Completion);
    }
    assert_eq!(card(w, &r3, "my_request", q3).await.row.stage, Stage::Registration);

    // reopened, one taken out: it stands alone and says so
    let (_, text, _) = common::call(&w.app, "set_request_stage", &format!("id={group}&stage=execution"), Some(d)).await;
    assert!(common::error_of(&text).is_none(), "{text}");
    let (_, text, _) = common::call(&w.app, "detach_request", &format!("id={q2}"), Some(d)).await;
    assert!(common::error_of(&text).is_none(), "{text}");
    let c2 = card(w, &r2, "my_request", q2).await;
    assert_eq!(c2.row.grouping, Grouping::Alone);
    assert!(c2.thread.iter().any(|t| t.event == ThreadEvent::Left(g.row.number)));
    assert_eq!(card(w, d, "desk_request", group).await.row.grouping, Grouping::Group(1));
    // cancelled (taken in error), the group lets the rest go
    let (_, text, _) = common::call(&w.app, "set_request_stage", &format!("id={group}&stage=cancelled"), Some(d)).await;
    assert!(common::error_of(&text).is_none(), "{text}");
    let c1 = card(w, &r1, "my_request", q1).await;
    assert_eq!((c1.row.grouping, c1.row.stage), (Grouping::Alone, Stage::Execution));
});

both_backends!(a_stage_past_its_time_limit_is_overdue_until_the_request_moves_on, |w| {
    let d = w.cookie(Role::Dispatcher);
    let urgent = take(w, d, &draft(w.a.object_id, None, None, &[("category", "emergency"), ("message", "Запах газа в подъезде")]))
        .await
        .unwrap();
    let routine = take(w, d, &draft(w.a.object_id, None, None, &[("message", "Не закрывается дверь подъезда")])).await.unwrap();
    // the emergency was registered a quarter of an hour ago: ten minutes is its limit
    sqlx::query("UPDATE service_requests SET stage_at = stage_at - 900 WHERE id = $1")
        .bind(urgent)
        .execute(w.db.pool())
        .await
        .unwrap();
    let all = desk(w, "filter[open_only]=true").await;
    assert_eq!(all.overdue_count, 1);
    let late = desk(w, "filter[overdue]=true").await;
    assert_eq!(late.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![urgent]);
    assert!(all.rows.iter().find(|r| r.id == routine).is_some_and(|r| !r.overdue && r.due.is_some()));
    let emergencies = desk(w, "filter[category]=emergency").await;
    assert_eq!(emergencies.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![urgent]);

    // taken up, its next stage's clock starts now
    let (_, text, _) = common::call(&w.app, "set_request_stage", &format!("id={urgent}&stage=qualification"), Some(d)).await;
    assert!(common::error_of(&text).is_none(), "{text}");
    assert_eq!(desk(w, "filter[open_only]=true").await.overdue_count, 0);
    // a category changed by staff changes the limit
    let (_, text, _) =
        common::call(&w.app, "set_request_category", &format!("id={routine}&category=consultation"), Some(d)).await;
    assert!(common::error_of(&text).is_none(), "{text}");
    assert_eq!(card(w, d, "desk_request", routine).await.row.category, Category::Consultation);
    let (_, text, _) =
        common::call(&w.app, "set_request_category", &format!("id={routine}&category=consultation"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
});

both_backends!(a_company_sets_its_own_stage_limits_and_the_desk_counts_by_them, |w| {
    let admin = w.cookie(Role::Administrator);
    let d = w.cookie(Role::Dispatcher);
    let routine = take(w, d, &draft(w.a.object_id, None, None, &[("message", "Скрипит дверь в подъезде")])).await.unwrap();
    sqlx::query("UPDATE service_requests SET stage_at = stage_at - 2700 WHERE id = $1")
        .bind(routine)
        .execute(w.db.pool())
        .await
        .unwrap();
    assert_eq!(desk(w, "filter[open_only]=true").await.overdue_count, 0, "a repair is taken up within 2 hours by default");

    let save = |body: &'static str, cookie: &str| {
        let cookie = cookie.to_string();
        async move { common::call(&w.app, "save_request_limits", body, Some(&cookie)).await }
    };
    for bad in [
        "limits[repair_registration]=0&units[repair_registration]=min",
        "limits[repair_registration]=91&units[repair_registration]=day",
        "limits[repair_registration]=полчаса&units[repair_registration]=min",
        "limits[repair_completion]=5&units[repair_completion]=min",
    ] {
        let (_, text, _) = save(bad, admin).await;
        assert!(matches!(common::error_of(&text), Some(AppError::Invalid { field: Msg::LimitsTitle, .. })), "{bad}: {text}");
    }
    let (_, text, _) = save("limits[repair_registration]=30&units[repair_registration]=min", d).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden), "a dispatcher reads the limits, the administrator sets them");
    assert_eq!(desk(w, "filter[open_only]=true").await.overdue_count, 0, "nothing refused was kept");

    let (status, text, _) = save("limits[repair_registration]=30&units[repair_registration]=min&limits[complaint_execution]=5&units[complaint_execution]=day", admin).await;
    assert!(status.is_success() && common::error_of(&text).is_none(), "{status} {text}");
    let (status, text, _) = common::call(&w.app, "request_limits", "", Some(w.cookie(Role::Reader))).await;
    let view: app::models::request::LimitsView = ok(status, &text);
    assert!(!view.editable);
    assert_eq!(view.limits.minutes(Category::Repair, Stage::Registration), Some(30));
    assert_eq!(view.limits.minutes(Category::Complaint, Stage::Execution), Some(5 * 24 * 60));
    assert_eq!(view.limits.minutes(Category::Emergency, Stage::Registration), Some(10), "one not sent keeps its default");
    let late = desk(w, "filter[overdue]=true").await;
    assert_eq!(late.rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![routine], "45 minutes at registration is past 30");
    // another company keeps the defaults
    let (status, text, _) = common::call(&w.app, "request_limits", "", Some(&w.b_dispatcher)).await;
    let theirs: app::models::request::LimitsView = ok(status, &text);
    assert_eq!(theirs.limits, app::models::request::StageLimits::default());
});
