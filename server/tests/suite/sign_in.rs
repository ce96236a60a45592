//! Signing in over HTTP: the cookie, the redirect, throttling, sign-out.

use crate::common;

use app::auth::password;
use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::Role;
use app::storage::{membership, user};
use axum::http::StatusCode;

async fn make_user(w: &common::World, login: &str, pass: &str) {
    let u = user::create(
        &w.db,
        &user::User {
            login: login.into(),
            password_hash: password::hash(pass.into()).await,
            full_name: "Тест".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    membership::create(&w.db, u.id, w.a.company_id, Role::Dispatcher)
        .await
        .unwrap();
}

both_backends!(signing_in_sets_a_session_cookie_that_opens_pages, |w| {
    make_user(w, "ivanova", "password-123").await;
    let (status, text, cookies) = common::call(
        &w.app,
        "sign_in",
        "login=Ivanova&password=password-123&next=%2Fobjects",
        None,
    )
    .await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {text}"
    );
    let set = cookies
        .iter()
        .find(|c| c.starts_with("uchet_session="))
        .expect("session cookie");
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Max-Age=43200"),
        "{set}"
    );
    let cookie = set.split(';').next().unwrap().to_string();
    let (status, html, _) = common::get(&w.app, "/objects", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html"), "server-rendered page");
    let (_, text, _) = common::call(&w.app, "session_info", "", Some(&cookie)).await;
    let info: app::models::views::SessionView = serde_json::from_str(&text).unwrap();
    assert_eq!(info.login, "ivanova");
    assert_eq!(info.company_id, w.a.company_id);
    // the field screen's light frame asks for the user and the company's name only
    let (_, text, _) = common::call(&w.app, "signed_in", "", Some(&cookie)).await;
    let user: app::models::views::SignedInUser = serde_json::from_str(&text).unwrap();
    assert_eq!(user.user_id, info.user_id);
    assert_eq!(user.full_name, info.full_name);
    assert_eq!(user.role, info.role);
    assert_eq!(user.company_name, info.company_name);
    assert!(!user.company_name.is_empty());

    let (_, _, cookies) = common::call(&w.app, "sign_out", "", Some(&cookie)).await;
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("uchet_session=;") && c.contains("Max-Age=0")));
    let (_, text, _) = common::call(&w.app, "list_objects", "", Some(&cookie)).await;
    assert_eq!(
        common::error_of(&text),
        Some(AppError::NotSignedIn),
        "the old cookie no longer works"
    );
});

both_backends!(
    repeated_failures_are_slowed_down_even_for_the_right_password,
    |w| {
        make_user(w, "petrov", "password-123").await;
        for _ in 0..3 {
            let (_, text, _) =
                common::call(&w.app, "sign_in", "login=petrov&password=wrong", None).await;
            assert_eq!(common::error_of(&text), Some(AppError::SignInFailed));
        }
        let (_, text, _) = common::call(
            &w.app,
            "sign_in",
            "login=petrov&password=password-123",
            None,
        )
        .await;
        assert!(
            matches!(common::error_of(&text), Some(AppError::TooManyAttempts { wait_seconds }) if wait_seconds >= 1),
            "{text}"
        );
    }
);

both_backends!(an_unknown_login_and_a_wrong_password_look_the_same, |w| {
    make_user(w, "sidorov", "password-123").await;
    let (_, a, _) = common::call(&w.app, "sign_in", "login=nobody&password=x", None).await;
    let (_, b, _) = common::call(&w.app, "sign_in", "login=sidorov&password=x", None).await;
    assert_eq!(common::error_of(&a), Some(AppError::SignInFailed));
    assert_eq!(common::error_of(&b), Some(AppError::SignInFailed));
});

both_backends!(pages_send_a_signed_out_browser_to_sign_in_and_back, |w| {
    let (status, _, location) = common::get(&w.app, "/objects?x=1", None).await;
    assert!(status.is_redirection());
    assert_eq!(location.as_deref(), Some("/login?next=/objects%3Fx%3D1"));
    let (status, html, _) = common::get(&w.app, "/login", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("name=\"password\""));
    let (status, _, location) = common::get(&w.app, "/login", Some(w.cookie(Role::Reader))).await;
    assert!(status.is_redirection());
    assert_eq!(location.as_deref(), Some("/"));
});

both_backends!(health_reports_the_database, |w| {
    let (status, body, _) = common::get(&w.app, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"status\":\"ok\""), "{body}");
});

both_backends!(
    pages_are_rendered_on_the_server_with_their_data_in_russian,
    |w| {
        let (status, html, _) =
            common::get(&w.app, "/objects", Some(w.cookie(Role::Dispatcher))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Объекты"), "Russian by default");
        assert!(
            html.contains("ул. Тестовая, д. 1"),
            "the company's building is in the server-rendered page"
        );
        assert!(
            !html.contains("ул. Тестовая, д. B"),
            "another company's building is not"
        );
        let (_, html, _) = common::get(&w.app, "/", Some(w.cookie(Role::Dispatcher))).await;
        assert!(html.contains("Расход ресурсов"), "the dispatcher's home is the dashboard");
        let (status, html, _) =
            common::get(&w.app, "/no-such-page", Some(w.cookie(Role::Dispatcher))).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("Страница не найдена"));
    }
);

both_backends!(
    the_language_cookie_switches_the_server_render_to_english,
    |w| {
        let cookie = format!("{}; uchet_lang=en", w.cookie(Role::Dispatcher));
        let (_, html, _) = common::get(&w.app, "/objects", Some(&cookie)).await;
        assert!(
            html.contains("Objects") && html.contains("Sign out"),
            "English render"
        );
        assert!(html.contains("lang=\"en\""));
    }
);

/// The route table names only each area's first address segments; the area's chunk draws the
/// page. Every page an area lists must have a route that leads to it, and an address of no
/// area must have none (the router's 404 page, with status 404).
#[test]
fn every_page_of_every_area_has_a_route_and_unknown_addresses_have_none() {
    let routes = leptos_axum::generate_route_list(app::App);
    // axum's `/meters/{id}/{view}` written as the route table's `/meters/:id/:view`, matched
    // by the same rule the area chunks use
    let paths: Vec<String> = routes
        .iter()
        .map(|r| r.path().replace('{', ":").replace('}', ""))
        .collect();
    let leads_to = app::routes::split::path_matches;
    for area in app::routes::split::AREA_PAGES {
        for pattern in *area {
            let address = pattern
                .split('/')
                .map(|s| if s.starts_with(':') { "17" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            let address = if address.is_empty() { "/".to_string() } else { address };
            assert!(
                paths.iter().any(|p| leads_to(p, &address)),
                "no route leads to {pattern}: {paths:?}"
            );
        }
    }
    assert!(paths.iter().any(|p| leads_to(p, "/field")));
    for unknown in ["/no-such-page", "/meters", "/settings", "/a/b/c/d"] {
        assert!(
            !paths.iter().any(|p| leads_to(p, unknown)),
            "{unknown} must be the router's 404"
        );
    }
}

both_backends!(server_function_errors_carry_their_own_http_status, |w| {
    make_user(w, "sidorov", "password-123").await;
    let (status, text, _) =
        common::call(&w.app, "sign_in", "login=sidorov&password=wrong-one", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a wrong password: {text}");
    assert_eq!(common::error_of(&text), Some(AppError::SignInFailed));
    let (status, _, _) = common::call(&w.app, "list_objects", "", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "signed out");
    let reader = w.cookie(Role::Reader).to_string();
    let (status, _, _) = common::call(&w.app, "list_users", "", Some(&reader)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a reader asking for users");
    let dispatcher = w.cookie(Role::Dispatcher).to_string();
    let (status, _, _) = common::call(&w.app, "meter_card", "id=999999", Some(&dispatcher)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a meter that does not exist");
    let admin = w.cookie(Role::Administrator).to_string();
    let (status, text, _) = common::call(
        &w.app,
        "create_user",
        "login=x&full_name=&password=1&role=reader",
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a form with bad fields: {text}");
    let (status, _, _) = common::call(&w.app, "meter_card", "id=not-a-number", Some(&dispatcher)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "arguments that do not decode");
});

both_backends!(a_server_function_answers_503_while_the_database_is_away, |w| {
    let dispatcher = w.cookie(Role::Dispatcher).to_string();
    let (status, _, _) = common::call(&w.app, "list_objects", "", Some(&dispatcher)).await;
    assert_eq!(status, StatusCode::OK);
    w.db.close().await;
    let (status, text, _) = common::call(&w.app, "list_objects", "", Some(&dispatcher)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{text}");
    assert_eq!(common::error_of(&text), Some(AppError::Unavailable));
    assert!(AppError::Unavailable.text(app::i18n::Lang::Ru).contains("недоступна"));
});

/// Signs in and returns the session cookie.
async fn sign_in_as(w: &common::World, login: &str, password: &str) -> String {
    let (status, text, cookies) =
        common::call(&w.app, "sign_in", &common::form(&[("login", login), ("password", password)]), None).await;
    assert!(status.is_success() || status.is_redirection(), "{status} {text}");
    cookies
        .iter()
        .find(|c| c.starts_with("uchet_session="))
        .expect("session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

both_backends!(a_person_changes_their_password_and_their_other_sessions_end, |w| {
    make_user(w, "orlova", "first-password-1").await;
    let here = sign_in_as(w, "orlova", "first-password-1").await;
    let elsewhere = sign_in_as(w, "orlova", "first-password-1").await;
    let change = |current: &str, new: &str, again: &str| {
        common::form(&[("current", current), ("password", new), ("password_again", again)])
    };
    for (body, field, problem) in [
        (change("wrong-one-123", "Brand-new-pass-1", "Brand-new-pass-1"), Msg::PasswordCurrent, Problem::Mismatch),
        (change("first-password-1", "short", "short"), Msg::PasswordNew, Problem::TooShort),
        (change("first-password-1", "qwertyuiop", "qwertyuiop"), Msg::PasswordNew, Problem::TooCommon),
        (change("first-password-1", "Brand-new-pass-1", "Brand-new-pass-2"), Msg::PasswordAgain, Problem::Mismatch),
    ] {
        let (status, text, _) = common::call(&w.app, "change_password", &body, Some(&here)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        assert_eq!(common::error_of(&text), Some(AppError::invalid(field, problem)), "{text}");
    }
    let (status, text, _) = common::call(
        &w.app,
        "change_password",
        &change("first-password-1", "Brand-new-pass-1", "Brand-new-pass-1"),
        Some(&here),
    )
    .await;
    assert!(status.is_success(), "{status} {text}");
    let (status, _, _) = common::call(&w.app, "list_objects", "", Some(&here)).await;
    assert!(status.is_success(), "this session goes on");
    let (status, _, _) = common::call(&w.app, "list_objects", "", Some(&elsewhere)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the other session ended");
    let (_, text, _) = common::call(&w.app, "sign_in", &common::form(&[("login", "orlova"), ("password", "first-password-1")]), None).await;
    assert_eq!(common::error_of(&text), Some(AppError::SignInFailed), "the old password no longer opens");
    sign_in_as(w, "orlova", "Brand-new-pass-1").await;
});

both_backends!(a_password_an_administrator_gave_is_changed_before_anything_else, |w| {
    let admin = w.cookie(Role::Administrator).to_string();
    let (status, text, _) = common::call(
        &w.app,
        "create_user",
        &common::form(&[("login", "novikov"), ("full_name", "Новиков"), ("password", "Given-by-admin-7"), ("role", "dispatcher")]),
        Some(&admin),
    )
    .await;
    assert!(status.is_success(), "{status} {text}");
    let cookie = sign_in_as(w, "novikov", "Given-by-admin-7").await;
    let (status, text, _) = common::call(&w.app, "list_objects", "", Some(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert_eq!(common::error_of(&text), Some(AppError::MustChangePassword));
    let (status, _, location) = common::get(&w.app, "/objects", Some(&cookie)).await;
    assert!(status.is_redirection());
    assert_eq!(location.as_deref(), Some("/settings/password"));
    let (status, html, _) = common::get(&w.app, "/settings/password", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (status, text, _) = common::call(
        &w.app,
        "change_password",
        &common::form(&[("current", "Given-by-admin-7"), ("password", "Chosen-by-me-42"), ("password_again", "Chosen-by-me-42")]),
        Some(&cookie),
    )
    .await;
    assert!(status.is_success(), "{status} {text}");
    let (status, _, _) = common::call(&w.app, "list_objects", "", Some(&cookie)).await;
    assert!(status.is_success(), "open after the change");
});

both_backends!(a_forgotten_password_is_reset_by_a_one_time_link_mailed_to_its_owner, |w| {
    make_user(w, "petrova@mail.ru", "old-password-12").await;
    let before = sign_in_as(w, "petrova@mail.ru", "old-password-12").await;
    // an unknown login is answered the same, and nothing is mailed
    let (status, _, _) = common::call(&w.app, "request_password_reset", &common::form(&[("login", "nobody@mail.ru")]), None).await;
    assert!(status.is_success());
    let (status, text, _) = common::call(&w.app, "request_password_reset", &common::form(&[("login", "Petrova@Mail.ru")]), None).await;
    assert!(status.is_success(), "{status} {text}");
    let letters = w.sink.wait_for(1, 15).await;
    assert_eq!(letters.len(), 1, "one letter, to the person who exists");
    assert_eq!(letters[0].to, vec!["petrova@mail.ru".to_string()]);
    let text = letters[0].text();
    let start = text.find(&format!("{}/reset?token=", common::PUBLIC_URL)).expect("a link to this server");
    let link: String = text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    let token = link.rsplit('=').next().unwrap().to_string();
    let (status, html, _) = common::get(&w.app, &format!("/reset?token={token}"), None).await;
    assert_eq!(status, StatusCode::OK, "the page opens without a session: {html}");
    let (_, valid, _) = common::call(&w.app, "reset_link_valid", &common::form(&[("token", &token)]), None).await;
    assert_eq!(valid, "true");
    // a weak password keeps the link usable
    let (status, text, _) = common::call(
        &w.app,
        "reset_password",
        &common::form(&[("token", &token), ("password", "1234567890"), ("password_again", "1234567890")]),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    let (status, text, _) = common::call(
        &w.app,
        "reset_password",
        &common::form(&[("token", &token), ("password", "Fresh-password-9"), ("password_again", "Fresh-password-9")]),
        None,
    )
    .await;
    assert!(status.is_success(), "{status} {text}");
    let (_, valid, _) = common::call(&w.app, "reset_link_valid", &common::form(&[("token", &token)]), None).await;
    assert_eq!(valid, "false", "spent");
    let (_, text, _) = common::call(
        &w.app,
        "reset_password",
        &common::form(&[("token", &token), ("password", "Another-pass-99"), ("password_again", "Another-pass-99")]),
        None,
    )
    .await;
    assert_eq!(common::error_of(&text), Some(AppError::CodeNotValid), "a link works once");
    let (status, _, _) = common::call(&w.app, "list_objects", "", Some(&before)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "sessions with the old password ended");
    sign_in_as(w, "petrova@mail.ru", "Fresh-password-9").await;
});
