//! The residents' cabinet and the dispatch desk over HTTP, on both databases: activation
//! codes and registration, invites through a real SMTP exchange, requests with photos and
//! their thread, notices with read receipts, readings from residents — and that a resident
//! reaches nothing but their own.

use crate::common;

use app::errors::AppError;
use app::models::cabinet::{CabinetView, CodeTarget, CodeSheet, PremiseConsumption};
use app::models::entry::EntryResult;
use app::models::notice::{MyNotice, NoticeView};
use app::models::request::{AttachmentRef, DeskView, RequestCard, RequestRow, Stage};
use app::models::Role;
use app::storage::{self, activation_code, premise, reading, resident, user};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

/// A premise in company A's building with no resident yet; its id.
async fn empty_flat(w: &common::World, number: &str) -> i64 {
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

fn ok<T: serde::de::DeserializeOwned>(status: StatusCode, text: &str) -> T {
    assert!(status.is_success(), "{status} {text}");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The session cookie a response set.
fn session_of(cookies: &[String]) -> String {
    cookies
        .iter()
        .find(|c| c.starts_with("uchet_session=") && !c.starts_with("uchet_session=;"))
        .map(|c| c.split(';').next().unwrap().to_string())
        .expect("a session cookie")
}

async fn register(w: &common::World, code: &str, email: &str) -> (StatusCode, String, Vec<String>) {
    common::call(
        &w.app,
        "register_resident",
        &common::form(&[
            ("code", code),
            ("full_name", "Сидоров Пётр Ильич"),
            ("email", email),
            ("password", "password-123"),
            ("password_again", "password-123"),
            ("consent", "yes"),
        ]),
        None,
    )
    .await
}

/// A PNG's first bytes and some more: enough to be taken as a photo.
fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend((0..5_000u32).map(|i| (i % 251) as u8));
    b
}

async fn upload(w: &common::World, cookie: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let req = Request::post(format!("/attachments?name={}", app::models::format::url_encode(name)))
        .header(header::CONTENT_TYPE, "image/png")
        .header(header::COOKIE, cookie)
        .body(Body::from(bytes))
        .unwrap();
    let resp = w.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 20).await.unwrap();
    (status, String::from_utf8_lossy(&body).to_string())
}

async fn download(w: &common::World, cookie: &str, id: i64) -> (StatusCode, Vec<u8>) {
    let req = Request::get(format!("/attachments/{id}"))
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let resp = w.app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = axum::body::to_bytes(resp.into_body(), 1 << 24).await.unwrap();
    (status, body.to_vec())
}

both_backends!(codes_are_made_for_premises_without_residents_and_used_once, |w| {
    let d = w.cookie(Role::Dispatcher);
    let flat = empty_flat(w, "2").await;
    let (status, text, _) =
        common::call(&w.app, "create_codes", &format!("object={}", w.a.object_id), Some(d)).await;
    assert_eq!(ok::<usize>(status, &text), 1, "flat 1 has a resident already");
    let (status, text, _) =
        common::call(&w.app, "create_codes", &format!("object={}", w.a.object_id), Some(d)).await;
    assert_eq!(ok::<usize>(status, &text), 0, "a valid code is not made twice");
    let (status, text, _) = common::call(
        &w.app,
        "create_codes",
        &format!("object={}&premise={}", w.a.object_id, w.a.premise_id),
        Some(d),
    )
    .await;
    assert!(matches!(common::error_of(&text), Some(AppError::Invalid { .. })), "{status} {text}");

    let (status, text, _) = common::call(
        &w.app,
        "activation_codes",
        &format!("object={}", w.a.object_id),
        Some(d),
    )
    .await;
    let sheet: CodeSheet = ok(status, &text);
    let row = sheet.rows.iter().find(|r| r.premise_id == flat).unwrap();
    let code = row.code.clone().expect("flat 2 has a code");
    assert!(row.valid_until.is_some());
    assert_eq!(sheet.rows.iter().find(|r| r.premise_id == w.a.premise_id).unwrap().residents, 1);

    // anyone may ask what a code opens; typed in lower case with spaces it still reads
    let typed = code.to_lowercase().replace('-', " ");
    let (status, text, _) = common::call(&w.app, "code_info", &common::form(&[("code", &typed)]), None).await;
    let info: CodeTarget = ok(status, &text);
    assert_eq!((info.premise.as_str(), info.address.as_str()), ("2", "ул. Тестовая, д. 1"));

    // registration signs in and attaches the flat
    let (status, text, cookies) = register(w, &code, "Sidorov@Mail.ru").await;
    assert!(status.is_success() || status.is_redirection(), "{status} {text}");
    let cookie = session_of(&cookies);
    let (status, text, _) = common::call(&w.app, "my_cabinet", "", Some(&cookie)).await;
    let cabinet: CabinetView = ok(status, &text);
    assert_eq!(cabinet.premises.iter().map(|p| p.id).collect::<Vec<_>>(), vec![flat]);
    let u = user::get_by_login(&w.db, "sidorov@mail.ru").await.unwrap().unwrap();
    assert_eq!(u.email, "sidorov@mail.ru");

    // the code is spent, and the flat now needs none
    let (_, text, _) = register(w, &code, "another@mail.ru").await;
    assert_eq!(common::error_of(&text), Some(AppError::CodeNotValid));
    assert!(user::get_by_login(&w.db, "another@mail.ru").await.unwrap().is_none(), "no account without a premise");
    let (_, text, _) = common::call(
        &w.app,
        "create_codes",
        &format!("object={}&premise={flat}", w.a.object_id),
        Some(d),
    )
    .await;
    assert!(matches!(common::error_of(&text), Some(AppError::Invalid { .. })), "{text}");
});

both_backends!(registration_refuses_bad_input_and_guessers_are_slowed_down, |w| {
    let flat = empty_flat(w, "5").await;
    let now = storage::now();
    let c = activation_code::create(&w.db, w.a.company_id, flat, "", None, now).await.unwrap();
    // an address somebody registered already: they sign in and add the premise instead
    user::create(
        &w.db,
        &user::User {
            login: "taken@mail.ru".into(),
            password_hash: "-".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let attempt = |code: String, email: &'static str, again: &'static str, consent: bool| {
        let mut pairs = vec![
            ("code", code),
            ("full_name", "Жилец".to_string()),
            ("email", email.to_string()),
            ("password", "password-123".to_string()),
            ("password_again", again.to_string()),
        ];
        if consent {
            pairs.push(("consent", "yes".to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", app::models::format::url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    for (body, field) in [
        (attempt(c.code.clone(), "not-an-email", "password-123", true), app::i18n::Msg::Email),
        (attempt(c.code.clone(), "a@b.ru", "password-124", true), app::i18n::Msg::PasswordAgain),
        (attempt(c.code.clone(), "a@b.ru", "password-123", false), app::i18n::Msg::RegConsent),
        (attempt(c.code.clone(), "a-dispatcher", "password-123", true), app::i18n::Msg::Email),
        (attempt(c.code.clone(), "taken@mail.ru", "password-123", true), app::i18n::Msg::Email),
    ] {
        let (_, text, _) = common::call(&w.app, "register_resident", &body, None).await;
        match common::error_of(&text) {
            Some(AppError::Invalid { field: f, .. }) => assert_eq!(f, field, "{text}"),
            other => panic!("{other:?} {text}"),
        }
    }
    assert!(activation_code::get_by_code(&w.db, &c.code).await.unwrap().unwrap().is_valid(storage::now()), "refusals spend no code");
    // wrong codes: three free tries, then a wait
    for _ in 0..3 {
        let (_, text, _) = common::call(&w.app, "code_info", "code=AAAA-BBBB-CCCC", None).await;
        assert_eq!(common::error_of(&text), Some(AppError::CodeNotValid));
    }
    let (_, text, _) = common::call(&w.app, "code_info", "code=AAAA-BBBB-CCCC", None).await;
    assert!(matches!(common::error_of(&text), Some(AppError::TooManyAttempts { .. })), "{text}");
});

both_backends!(an_existing_resident_adds_a_premise_by_its_code, |w| {
    let r = w.cookie(Role::Resident);
    let flat = empty_flat(w, "9").await;
    let c = activation_code::create(&w.db, w.a.company_id, flat, "", None, storage::now()).await.unwrap();
    let (status, text, _) = common::call(&w.app, "claim_code", &common::form(&[("code", &c.code)]), Some(r)).await;
    assert!(status.is_success(), "{status} {text}");
    let (status, text, _) = common::call(&w.app, "my_cabinet", "", Some(r)).await;
    let cabinet: CabinetView = ok(status, &text);
    assert_eq!(cabinet.premises.len(), 2, "both premises in one place");
    assert_eq!(cabinet.company.name, "УК «Тест»");
    // a dispatcher cannot turn into a resident with a code
    let c2 = activation_code::create(&w.db, w.a.company_id, empty_flat(w, "10").await, "", None, storage::now())
        .await
        .unwrap();
    let (_, text, _) = common::call(&w.app, "claim_code", &common::form(&[("code", &c2.code)]), Some(w.cookie(Role::Dispatcher))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));
});

both_backends!(an_invite_reaches_the_owner_by_mail_and_its_link_registers_them, |w| {
    let flat = empty_flat(w, "14").await;
    let (status, text, _) = common::call(
        &w.app,
        "invite_resident",
        &common::form(&[("premise", &flat.to_string()), ("email", "Owner@Mail.ru")]),
        Some(w.cookie(Role::Dispatcher)),
    )
    .await;
    assert!(status.is_success(), "{status} {text}");
    let letters = w.sink.wait_for(1, 15).await;
    assert_eq!(letters.len(), 1, "one letter through SMTP");
    let letter = &letters[0];
    assert_eq!(letter.to, vec!["owner@mail.ru".to_string()]);
    let text = letter.text();
    assert!(text.contains("ул. Тестовая, д. 1, кв. 14"), "{text}");
    let link_start = text.find(&format!("{}/register?code=", common::PUBLIC_URL)).expect("a link");
    let link: String = text[link_start..].chars().take_while(|c| !c.is_whitespace()).collect();
    let code = link.rsplit('=').next().unwrap().to_string();
    // the page the link opens is open without a session
    let (status, html, _) = common::get(&w.app, &format!("/register?code={code}"), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (status, text, _) = common::call(&w.app, "code_info", &common::form(&[("code", &code)]), None).await;
    let info: CodeTarget = ok(status, &text);
    assert_eq!(info.email, "owner@mail.ru");
    let (status, text, cookies) = register(w, &code, "owner@mail.ru").await;
    assert!(status.is_success() || status.is_redirection(), "{status} {text}");
    let (status, text, _) = common::call(&w.app, "my_cabinet", "", Some(&session_of(&cookies))).await;
    assert_eq!(ok::<CabinetView>(status, &text).premises[0].id, flat);
    // the invite list says the letter left
    let (status, text, _) = common::call(
        &w.app,
        "activation_codes",
        &format!("object={}", w.a.object_id),
        Some(w.cookie(Role::Dispatcher)),
    )
    .await;
    let sheet: CodeSheet = ok(status, &text);
    assert_eq!(sheet.rows.iter().find(|r| r.premise_id == flat).unwrap().residents, 1);
});

/// A second resident of company A, in another flat; their cookie.
async fn neighbour(w: &common::World) -> String {
    let flat = empty_flat(w, "20").await;
    let c = activation_code::create(&w.db, w.a.company_id, flat, "", None, storage::now()).await.unwrap();
    let (_, _, cookies) = register(w, &c.code, "neighbour@mail.ru").await;
    session_of(&cookies)
}

both_backends!(a_request_with_a_photo_goes_through_the_desk_and_back, |w| {
    let r = w.cookie(Role::Resident);
    let d = w.cookie(Role::Dispatcher);
    let (status, text) = upload(w, r, "течь.png", png()).await;
    let photo: AttachmentRef = ok(status, &text);
    assert_eq!((photo.mime.as_str(), photo.name.as_str()), ("image/png", "течь.png"));
    let (status, text) = upload(w, r, "virus.exe", b"MZ\x90\x00binary".to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");

    let (status, text, _) = common::call(
        &w.app,
        "file_request",
        &common::form(&[
            ("premise", &w.a.premise_id.to_string()),
            ("specialist", "plumber"),
            ("message", "Течёт кран на кухне"),
            ("attachment", &photo.id.to_string()),
        ]),
        Some(r),
    )
    .await;
    let id: i64 = ok(status, &text);
    // the same photo cannot be attached twice, nor a request filed for someone else's flat
    let (_, text, _) = common::call(
        &w.app,
        "file_request",
        &common::form(&[("premise", &w.b.premise_id.to_string()), ("specialist", "plumber"), ("message", "x")]),
        Some(r),
    )
    .await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));

    let (status, text, _) = common::call(&w.app, "menu_badges", "", Some(d)).await;
    let badges: Vec<(String, i64)> = ok(status, &text);
    assert_eq!(badges, vec![("/service/dispatch".to_string(), 1)]);
    let (status, text, _) = common::call(&w.app, "desk", "filter[open_only]=true", Some(d)).await;
    let desk: DeskView = ok(status, &text);
    assert_eq!((desk.new_count, desk.rows.len()), (1, 1));
    assert_eq!(desk.rows[0].stage, Stage::Registration);
    let (status, text, _) = common::call(&w.app, "desk_request", &format!("id={id}"), Some(d)).await;
    let card: RequestCard = ok(status, &text);
    assert_eq!(card.message, "Течёт кран на кухне");
    assert_eq!(card.opening_attachment.as_ref().map(|a| a.id), Some(photo.id));
    assert!(card.thread.is_empty(), "the photo opens the request, the thread is for answers");
    let engineer = w.user_id(Role::ServiceEngineer);
    assert!(card.assignees.iter().any(|(uid, _)| *uid == engineer));

    for (endpoint, body) in [
        ("staff_reply", format!("id={id}&body=Мастер придёт завтра с 10 до 12")),
        ("assign_request", format!("id={id}&assignee={engineer}")),
        ("set_request_stage", format!("id={id}&stage=execution")),
    ] {
        let (status, text, _) = common::call(&w.app, endpoint, &body, Some(d)).await;
        assert!(status.is_success(), "{endpoint}: {status} {text}");
    }
    let (_, text, _) = common::call(&w.app, "set_request_stage", &format!("id={id}&stage=registration"), Some(d)).await;
    assert!(matches!(common::error_of(&text), Some(AppError::Invalid { .. })), "no way back: {text}");
    // a reader sees the desk's data elsewhere but cannot answer
    let (_, text, _) = common::call(&w.app, "staff_reply", &format!("id={id}&body=x"), Some(w.cookie(Role::Reader))).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden));

    // the resident sees the answer and the stage
    let (status, text, _) = common::call(&w.app, "my_requests", "", Some(r)).await;
    let mine: Vec<RequestRow> = ok(status, &text);
    assert_eq!((mine[0].stage, mine[0].unread), (Stage::Execution, true));
    let (status, text, _) = common::call(&w.app, "menu_badges", "", Some(r)).await;
    assert!(ok::<Vec<(String, i64)>>(status, &text).contains(&("/my/requests".to_string(), 1)));
    let (status, text, _) = common::call(&w.app, "my_request", &format!("id={id}"), Some(r)).await;
    let card: RequestCard = ok(status, &text);
    assert!(card.thread.iter().any(|t| t.staff && t.body.starts_with("Мастер придёт завтра")));
    assert!(card.assignees.is_empty(), "a resident does not see the staff list");
    let (status, text, _) = common::call(&w.app, "my_requests", "", Some(r)).await;
    assert!(!ok::<Vec<RequestRow>>(status, &text)[0].unread, "seen once opened");
    let (status, photo_back) = download(w, r, photo.id).await;
    assert_eq!((status, photo_back), (StatusCode::OK, png()));

    // the work is done
    let (_, text, _) = common::call(&w.app, "set_request_stage", &format!("id={id}&stage=completion"), Some(d)).await;
    assert!(common::error_of(&text).is_none(), "{text}");
    let (status, text, _) = common::call(&w.app, "my_request", &format!("id={id}"), Some(r)).await;
    assert_eq!(ok::<RequestCard>(status, &text).row.stage, Stage::Completion);
    let (_, text, _) = common::call(&w.app, "cancel_my_request", &format!("id={id}"), Some(r)).await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden), "a finished request stays finished");
});

both_backends!(a_resident_cannot_reach_another_residents_request_or_files, |w| {
    let r = w.cookie(Role::Resident);
    let (status, text) = upload(w, r, "фото.png", png()).await;
    let photo: AttachmentRef = ok(status, &text);
    let (status, text, _) = common::call(
        &w.app,
        "file_request",
        &common::form(&[
            ("premise", &w.a.premise_id.to_string()),
            ("specialist", "electrician"),
            ("message", "Искрит розетка"),
            ("attachment", &photo.id.to_string()),
        ]),
        Some(r),
    )
    .await;
    let id: i64 = ok(status, &text);
    let other = neighbour(w).await;
    for (endpoint, body) in [
        ("my_request", format!("id={id}")),
        ("reply_my_request", format!("id={id}&body=Это не моя заявка")),
        ("cancel_my_request", format!("id={id}")),
    ] {
        let (status, text, _) = common::call(&w.app, endpoint, &body, Some(&other)).await;
        assert_eq!(common::error_of(&text), Some(AppError::NotFound), "{endpoint}: {status} {text}");
        assert!(!text.contains("Искрит"), "nothing of it is revealed: {text}");
    }
    let (status, text, _) = common::call(&w.app, "my_requests", "", Some(&other)).await;
    assert!(ok::<Vec<RequestRow>>(status, &text).is_empty());
    let (status, _) = download(w, &other, photo.id).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another resident's photo");
    // someone else's unattached upload cannot be attached either
    let (status, text) = upload(w, r, "ещё.png", png()).await;
    let spare: AttachmentRef = ok(status, &text);
    let (_, text, _) = common::call(
        &w.app,
        "reply_my_request",
        &format!("id={id}&body=x&attachment={}", spare.id),
        Some(w.cookie(Role::Dispatcher)),
    )
    .await;
    assert_eq!(common::error_of(&text), Some(AppError::Forbidden), "staff use staff_reply");
    let (_, text, _) = common::call(&w.app, "staff_reply", &format!("id={id}&body=x&attachment={}", spare.id), Some(w.cookie(Role::Dispatcher))).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound), "not their upload");
    // company B sees nothing of company A's request
    let (_, text, _) = common::call(&w.app, "desk_request", &format!("id={id}"), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
    let (status, _) = download(w, &w.b_dispatcher, photo.id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, text, _) = common::call(&w.app, "desk", "filter[open_only]=false", Some(&w.b_dispatcher)).await;
    assert!(ok::<DeskView>(status, &text).rows.is_empty());
});

both_backends!(a_notice_to_a_building_reaches_its_residents_with_read_receipts, |w| {
    let d = w.cookie(Role::Dispatcher);
    let r = w.cookie(Role::Resident);
    // a resident of another building of the same company
    let there = fixtures_building(w).await;
    let body = format!(
        r#"{{"draft":{{"id":null,"kind":"urgent","title":"Отключение ХВС","body":"С 10 до 14","works_until":"2026-12-20","attachment_id":null,"recipients":{{"objects":[{}],"premises":[]}}}}}}"#,
        w.a.object_id
    );
    let (status, text, _) = common::call(&w.app, "save_notice", &body, Some(d)).await;
    let id: i64 = ok(status, &text);
    let (status, text, _) = common::call(&w.app, "my_notices", "", Some(r)).await;
    assert!(ok::<Vec<MyNotice>>(status, &text).is_empty(), "not published yet");
    let (_, text, _) = common::call(&w.app, "publish_notice", &format!("id={id}&published=true"), Some(d)).await;
    assert!(common::error_of(&text).is_none(), "{text}");

    let (status, text, _) = common::call(&w.app, "my_notices", "", Some(r)).await;
    let mine: Vec<MyNotice> = ok(status, &text);
    assert_eq!((mine.len(), mine[0].read), (1, false));
    assert_eq!(mine[0].works_until, chrono::NaiveDate::from_ymd_opt(2026, 12, 20));
    let (status, text, _) = common::call(&w.app, "my_notices", "", Some(&there)).await;
    assert!(ok::<Vec<MyNotice>>(status, &text).is_empty(), "another building's resident");
    let (_, text, _) = common::call(&w.app, "read_notice", &format!("id={id}"), Some(&there)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));

    let (status, text, _) = common::call(&w.app, "notice_card", &format!("id={id}"), Some(d)).await;
    let card: NoticeView = ok(status, &text);
    assert_eq!((card.row.recipients, card.row.read), (1, 0));
    let (_, text, _) = common::call(&w.app, "read_notice", &format!("id={id}"), Some(r)).await;
    assert!(common::error_of(&text).is_none(), "{text}");
    let (status, text, _) = common::call(&w.app, "notice_card", &format!("id={id}"), Some(d)).await;
    let card: NoticeView = ok(status, &text);
    assert_eq!((card.row.recipients, card.row.read), (1, 1));
    assert!(card.receipts[0].read_at.is_some());
    // a notice to another company's building is refused
    let foreign = body.replace(&format!("[{}]", w.a.object_id), &format!("[{}]", w.b.object_id));
    let (_, text, _) = common::call(&w.app, "save_notice", &foreign, Some(d)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
    let (_, text, _) = common::call(&w.app, "notice_card", &format!("id={id}"), Some(&w.b_dispatcher)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
});

/// A resident of a second building of company A; their cookie.
async fn fixtures_building(w: &common::World) -> String {
    let other = app::storage::testing::fixtures::building_of(&w.db, w.a.company_id, "2").await;
    let c = activation_code::create(&w.db, w.a.company_id, other.premise_id, "", None, storage::now())
        .await
        .unwrap();
    let (_, _, cookies) = register(w, &c.code, "there@mail.ru").await;
    session_of(&cookies)
}

both_backends!(residents_submit_readings_of_their_own_meters_only, |w| {
    let r = w.cookie(Role::Resident);
    let (status, text, _) = common::call(&w.app, "my_sheets", "", Some(r)).await;
    let sheets: Vec<app::models::field::FieldSheet> = ok(status, &text);
    assert_eq!(sheets.len(), 1);
    let meters: Vec<i64> = sheets[0].meters().map(|m| m.meter_id).collect();
    assert_eq!(meters, vec![w.a.meter_id]);
    let body = serde_json::json!({ "entries": [
        { "entry_id": "cab-1", "meter_id": w.a.meter_id, "values": [{ "tariff": 0, "text": "123,45" }], "typed_at": null },
        { "entry_id": "cab-2", "meter_id": w.b.meter_id, "values": [{ "tariff": 0, "text": "5" }], "typed_at": null },
    ]})
    .to_string();
    let (status, text, _) = common::call(&w.app, "submit_readings", &body, Some(r)).await;
    let results: Vec<EntryResult> = ok(status, &text);
    assert!(results[0].stored, "{results:?}");
    assert!(!results[1].stored);
    assert_eq!(results[1].refused[0].problem, app::models::entry::EntryProblem::UnknownMeter);
    let stored = reading::latest_integral_before(&w.db, w.a.company_id, w.a.channel_id, storage::now() + 10, false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.total, Some("123.45".parse().unwrap()));
    assert_eq!(stored.source, reading::Source::Resident);
    assert_eq!(stored.entered_by, Some(w.user_id(Role::Resident)));
    // the same send again stores nothing twice
    let (status, text, _) = common::call(&w.app, "submit_readings", &body, Some(r)).await;
    let again: Vec<EntryResult> = ok(status, &text);
    assert!(again[0].duplicate);
    // and the cabinet shows it as the last reading
    let (status, text, _) = common::call(&w.app, "my_cabinet", "", Some(r)).await;
    let cabinet: CabinetView = ok(status, &text);
    let last = cabinet.premises[0].meters[0].last.clone().expect("a last reading");
    assert_eq!(last.values[0], Some("123.45".parse().unwrap()));
});

both_backends!(consumption_is_shown_for_own_premises_only, |w| {
    let r = w.cookie(Role::Resident);
    let (status, text, _) = common::call(&w.app, "my_consumption", "year=2026", Some(r)).await;
    let c: PremiseConsumption = ok(status, &text);
    assert_eq!((c.premise_id, c.labels.len(), c.year), (w.a.premise_id, 12, 2026));
    let (status, text, _) = common::call(&w.app, "my_consumption", "month=2026-11-01", Some(r)).await;
    assert_eq!(ok::<PremiseConsumption>(status, &text).labels.len(), 30);
    let (_, text, _) = common::call(&w.app, "my_consumption", &format!("premise={}", w.b.premise_id), Some(r)).await;
    assert_eq!(common::error_of(&text), Some(AppError::NotFound));
    let p = premise::get(&w.db, w.a.company_id, w.a.premise_id).await.unwrap();
    assert!(resident::holds(&w.db, w.a.company_id, w.user_id(Role::Resident), p.id).await.unwrap());
});

both_backends!(uploads_never_sent_stop_at_the_quota_with_a_clear_message, |w| {
    let r = w.cookie(Role::Resident);
    for i in 0..app::attachments::MAX_WAITING_FILES {
        let (status, text) = upload(w, r, &format!("{i}.png"), png()).await;
        assert_eq!(status, StatusCode::CREATED, "upload {i}: {text}");
    }
    let (status, text) = upload(w, r, "ещё.png", png()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{text}");
    // the upload answers in the person's words, not in codes
    assert_eq!(text, AppError::UploadQuota.text(app::i18n::Lang::Ru));
    assert!(text.contains("не отправлено"), "the resident reads what to do: {text}");
    // another resident's quota is their own
    let other = neighbour(w).await;
    let (status, text) = upload(w, &other, "своё.png", png()).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
    // the sweep removes what waited longer than a day; the quota is free again
    let removed = storage::attachment::delete_unattached_before(
        &w.db,
        storage::now() + app::attachments::KEEP_UNSENT_SECONDS,
    )
    .await
    .unwrap();
    assert_eq!(removed, app::attachments::MAX_WAITING_FILES as u64 + 1);
    let (status, text) = upload(w, r, "ещё.png", png()).await;
    assert_eq!(status, StatusCode::CREATED, "{text}");
});
