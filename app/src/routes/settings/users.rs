//! Users of the company (SPEC F42, EK 4.6.1): create one, add a person who already signs in
//! to another company, change a member's role, block and unblock, and open a member's
//! actions in the journal. The list is searched, sorted and downloaded like every list.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::export::csv_href;
use crate::components::table::{all_words_in, shown_rows, Sort, SortTh};
use crate::functions::users::{list_users, AddMember, CreateUser, SetUserBlocked, SetUserRole};
use crate::i18n::{role_name, use_i18n, Lang, Msg};
use crate::models::format;
use crate::models::views::UserRow;
use crate::models::Role;
use crate::resource::{kept, resource};

/// The roles a staff member may be given here (residents come through the cabinet).
const STAFF: [Role; 5] = [Role::Administrator, Role::Dispatcher, Role::ServiceEngineer, Role::Reader, Role::FieldStaff];

/// A `<select name="role">` of the staff roles, `chosen` selected.
fn role_options(chosen: Role) -> impl IntoView {
    let i18n = use_i18n();
    STAFF
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == chosen>{move || i18n.t(role_name(r))}</option> })
        .collect_view()
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let create_kept = kept(*create);
    let add = ServerAction::<AddMember>::new();
    let add_kept = kept(*add);
    let block = ServerAction::<SetUserBlocked>::new();
    let block_kept = kept(*block);
    let role = ServerAction::<SetUserRole>::new();
    let role_kept = kept(*role);
    let users = resource(
        move || (create_kept.get(), add_kept.get(), block_kept.get(), role_kept.get()),
        |_| list_users(),
    );
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    let added = move || matches!(add.value().get(), Some(Ok(_)));
    let role_saved = move || matches!(role.value().get(), Some(Ok(())));
    view! {
        <Title text=i18n.tr(Msg::UsersTitle)/>
        <section class="page users">
            <h1>{i18n.tr(Msg::UsersTitle)}</h1>
            <details class="panel" open=false>
                <summary>{i18n.tr(Msg::NewUser)}</summary>
                <ActionForm action=create attr:class="form-grid" attr:data-testid="new-user">
                    <label>
                        <span>{i18n.tr(Msg::Login)}</span>
                        <input type="text" name="login" required autocapitalize="none"/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::FullName)}</span>
                        <input type="text" name="full_name" required/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::Password)}</span>
                        <input type="password" name="password" required minlength="10" autocomplete="new-password"/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::Role)}</span>
                        <select name="role">{role_options(Role::Dispatcher)}</select>
                    </label>
                    <button type="submit" class="primary">{i18n.tr(Msg::Create)}</button>
                </ActionForm>
                <ActionError value=create.value()/>
                {move || created().then(|| view! { <p class="ok">{i18n.tr(Msg::Created)}</p> })}
            </details>
            <details class="panel" open=false data-testid="add-member">
                <summary>{i18n.tr(Msg::UsAddMember)}</summary>
                <p class="note">{i18n.tr(Msg::UsAddMemberHint)}</p>
                <ActionForm action=add attr:class="form-grid" attr:data-testid="add-member-form">
                    <label>
                        <span>{i18n.tr(Msg::Login)}</span>
                        <input type="text" name="login" required autocapitalize="none" data-testid="add-member-login"/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::Role)}</span>
                        <select name="role" data-testid="add-member-role">{role_options(Role::Dispatcher)}</select>
                    </label>
                    <button type="submit" class="primary" data-testid="add-member-submit">{i18n.tr(Msg::UsAdd)}</button>
                </ActionForm>
                <ActionError value=add.value()/>
                {move || added().then(|| view! { <p class="ok" data-testid="member-added">{i18n.tr(Msg::UsAdded)}</p> })}
            </details>
            <ActionError value=block.value()/>
            <ActionError value=role.value()/>
            {move || role_saved().then(|| view! { <p class="ok" role="status" data-testid="role-saved">{i18n.tr(Msg::UsRoleSaved)}</p> })}
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) => view! { <UsersTable rows block role/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The columns a click sorts by.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    Login,
    Role,
    SignIn,
    State,
}

fn text_of(u: &UserRow, lang: Lang) -> [String; 5] {
    [
        u.full_name.clone(),
        u.login.clone(),
        role_name(u.role).text(lang).to_string(),
        u.last_sign_in.map(format::date_time).unwrap_or_else(|| Msg::Never.text(lang).to_string()),
        (if u.blocked { Msg::Blocked } else { Msg::Active }).text(lang).to_string(),
    ]
}

#[component]
fn UsersTable(rows: Vec<UserRow>, block: ServerAction<SetUserBlocked>, role: ServerAction<SetUserRole>) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort { key: Column::Name, ascending: true });
    let all = StoredValue::new(rows);
    let shown = Memo::new(move |_| {
        let lang = i18n.lang();
        let words = search.get();
        all.with_value(|rows| {
            shown_rows(rows, |u| all_words_in(&text_of(u, lang).join(" "), words.trim()), sort.get(), |a, b, column| match column {
                Column::Name => a.full_name.cmp(&b.full_name),
                Column::Login => a.login.cmp(&b.login),
                Column::Role => a.role.as_str().cmp(b.role.as_str()),
                Column::SignIn => a.last_sign_in.cmp(&b.last_sign_in),
                Column::State => a.blocked.cmp(&b.blocked),
            })
        })
    });
    let csv = move || {
        let lang = i18n.lang();
        let header = [Msg::FullName, Msg::Login, Msg::Role, Msg::LastSignIn, Msg::State].map(|m| m.text(lang).to_string()).to_vec();
        let mut table = vec![header];
        table.extend(shown.get().iter().map(|u| text_of(u, lang).to_vec()));
        csv_href(&table)
    };
    view! {
        <div class="toolbar">
            <input type="search" class="search" placeholder=i18n.tr(Msg::UsSearch) aria-label=i18n.tr(Msg::Search)
                on:input=move |ev| search.set(event_target_value(&ev)) data-testid="users-search"/>
            <span class="spacer"></span>
            <a class="button" href=csv download="users.csv" data-testid="users-csv">{i18n.tr(Msg::ExportCsv)}</a>
        </div>
        <div class="table-wrap">
            <table class="data" data-testid="users">
                <thead>
                    <tr>
                        <SortTh label=Msg::FullName key=Column::Name sort/>
                        <SortTh label=Msg::Login key=Column::Login sort/>
                        <SortTh label=Msg::Role key=Column::Role sort/>
                        <SortTh label=Msg::LastSignIn key=Column::SignIn sort/>
                        <SortTh label=Msg::State key=Column::State sort/>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || shown.get() key=|u| (u.id, u.role, u.blocked) let:u>
                        {user_row(u, block, role)}
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// One member: their role as a choice (not one's own, not a resident's), their block, and
/// their actions in the journal.
fn user_row(u: UserRow, block: ServerAction<SetUserBlocked>, role: ServerAction<SetUserRole>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, blocked, me) = (u.id, u.blocked, u.me);
    let role_cell = if me || u.role == Role::Resident {
        view! { <span>{move || i18n.t(role_name(u.role))}</span> }.into_any()
    } else {
        view! {
            <select data-testid="user-role" aria-label=i18n.tr(Msg::Role)
                on:change=move |ev| {
                    if let Some(r) = Role::parse(&event_target_value(&ev)) {
                        role.dispatch(SetUserRole { user_id: id, role: r });
                    }
                }>
                {role_options(u.role)}
            </select>
        }
        .into_any()
    };
    view! {
        <tr data-login=u.login.clone() class:blocked=blocked>
            <td>{u.full_name.clone()}</td>
            <td>{u.login.clone()}</td>
            <td>{role_cell}</td>
            <td>
                {match u.last_sign_in {
                    Some(t) => format::date_time(t),
                    None => i18n.t(Msg::Never).to_string(),
                }}
            </td>
            <td>{move || i18n.t(if blocked { Msg::Blocked } else { Msg::Active })}</td>
            <td class="actions">
                <a class="button small" href=format!("/settings/audit?user={id}") data-testid="user-history">{i18n.tr(Msg::UsHistory)}</a>
                {(!me).then(|| view! {
                    <button type="button" class="small" on:click=move |_| { block.dispatch(SetUserBlocked { user_id: id, blocked: !blocked }); }>
                        {move || i18n.t(if blocked { Msg::Unblock } else { Msg::Block })}
                    </button>
                })}
            </td>
        </tr>
    }
}
