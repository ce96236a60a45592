//! A company's users (issue 22, point 8) on both databases: an administrator gives a member
//! another staff role, which holds from their next request; their own role, a resident's
//! and another company's member stay; a person who signs in to another company is added by
//! login; each change is in the journal.

use crate::common;

use app::errors::{AppError, Problem};
use app::i18n::Msg;
use app::models::views::UserRow;
use app::models::Role;
use app::storage::audit;

async fn call(w: &common::World, endpoint: &str, body: &str, cookie: &str) -> Result<String, AppError> {
    let (status, text, _) = common::call(&w.app, endpoint, body, Some(cookie)).await;
    if status.is_success() {
        Ok(text)
    } else {
        Err(common::error_of(&text).unwrap_or_else(|| panic!("{status} {text}")))
    }
}

both_backends!(an_administrator_changes_a_role_adds_a_member_and_the_journal_says_so, |w| {
    let admin = w.cookie(Role::Administrator);
    let dispatcher = w.cookie(Role::Dispatcher);
    // a dispatcher may open a new line's form; as a reader they may not
    assert!(call(w, "open_communicator", "", dispatcher).await.is_ok());
    let body = format!("user_id={}&role=reader", w.user_id(Role::Dispatcher));
    assert!(call(w, "set_user_role", &body, admin).await.is_ok());
    assert_eq!(call(w, "open_communicator", "", dispatcher).await, Err(AppError::Forbidden), "the new role holds at once");

    let own = format!("user_id={}&role=reader", w.user_id(Role::Administrator));
    assert_eq!(call(w, "set_user_role", &own, admin).await, Err(AppError::Forbidden), "one's own role stays");
    let resident = format!("user_id={}&role=dispatcher", w.user_id(Role::Resident));
    assert_eq!(call(w, "set_user_role", &resident, admin).await, Err(AppError::invalid(Msg::Role, Problem::BadFormat)));
    let to_resident = format!("user_id={}&role=resident", w.user_id(Role::Reader));
    assert_eq!(call(w, "set_user_role", &to_resident, admin).await, Err(AppError::invalid(Msg::Role, Problem::BadFormat)));
    let elsewhere = format!("user_id={}&role=reader", w.b_dispatcher_id);
    assert_eq!(call(w, "set_user_role", &elsewhere, admin).await, Err(AppError::NotFound), "company B's member");

    assert!(call(w, "add_member", "login=B-Dispatcher&role=service_engineer", admin).await.is_ok());
    assert_eq!(call(w, "add_member", "login=b-dispatcher&role=reader", admin).await, Err(AppError::invalid(Msg::Login, Problem::AlreadyExists)));
    assert_eq!(call(w, "add_member", "login=nobody-here&role=reader", admin).await, Err(AppError::invalid(Msg::Login, Problem::Unknown)));
    assert_eq!(call(w, "add_member", "login=a-resident&role=resident", admin).await, Err(AppError::invalid(Msg::Role, Problem::BadFormat)));
    let users: Vec<UserRow> = serde_json::from_str(&call(w, "list_users", "", admin).await.unwrap()).unwrap();
    let added = users.iter().find(|u| u.login == "b-dispatcher").expect("listed in company A");
    assert_eq!(added.role, Role::ServiceEngineer);
    assert!(users.iter().find(|u| u.login == "a-administrator").is_some_and(|u| u.me));
    // still a dispatcher in company B
    let b = app::storage::membership::get(&w.db, w.b_dispatcher_id, w.b.company_id).await.unwrap().unwrap();
    assert_eq!(b.role, Role::Dispatcher);

    let log: Vec<(String, String)> = audit::list(&w.db, w.a.company_id, 50).await.unwrap().into_iter().map(|e| (e.action, e.details)).collect();
    assert!(log.contains(&("user.role".into(), "a-dispatcher: dispatcher → reader".into())), "{log:?}");
    assert!(log.contains(&("user.add".into(), "b-dispatcher service_engineer".into())), "{log:?}");
});
