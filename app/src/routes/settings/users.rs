//! Users of the company: create, block, unblock (SPEC F42).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::users::{list_users, CreateUser, SetUserBlocked};
use crate::i18n::{role_name, use_i18n, Msg};
use crate::models::format;
use crate::models::Role;
use crate::resource::resource;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateUser>::new();
    let block = ServerAction::<SetUserBlocked>::new();
    let users = resource(
        move || (create.version().get(), block.version().get()),
        |_| list_users(),
    );
    let created = move || matches!(create.value().get(), Some(Ok(_)));
    view! {
        <Title text=i18n.tr(Msg::UsersTitle)/>
        <section class="page">
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
                        <select name="role">
                            {Role::ALL
                                .into_iter()
                                .map(|r| view! { <option value=r.as_str() selected=r == Role::Dispatcher>{move || i18n.t(role_name(r))}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <button type="submit" class="primary">{i18n.tr(Msg::Create)}</button>
                </ActionForm>
                <ActionError value=create.value()/>
                {move || created().then(|| view! { <p class="ok">{i18n.tr(Msg::Created)}</p> })}
            </details>
            <ActionError value=block.value()/>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) => {
                            view! {
                                <div class="table-wrap">
                                    <table class="data" data-testid="users">
                                        <thead>
                                            <tr>
                                                <th>{i18n.tr(Msg::FullName)}</th>
                                                <th>{i18n.tr(Msg::Login)}</th>
                                                <th>{i18n.tr(Msg::Role)}</th>
                                                <th>{i18n.tr(Msg::LastSignIn)}</th>
                                                <th>{i18n.tr(Msg::State)}</th>
                                                <th></th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rows
                                                .into_iter()
                                                .map(|u| {
                                                    let (id, blocked, login) = (u.id, u.blocked, u.login.clone());
                                                    view! {
                                                        <tr data-login=login class:blocked=blocked>
                                                            <td>{u.full_name}</td>
                                                            <td>{u.login}</td>
                                                            <td>{move || i18n.t(role_name(u.role))}</td>
                                                            <td>
                                                                {match u.last_sign_in {
                                                                    Some(t) => format::date_time(t),
                                                                    None => i18n.t(Msg::Never).to_string(),
                                                                }}
                                                            </td>
                                                            <td>{move || i18n.t(if blocked { Msg::Blocked } else { Msg::Active })}</td>
                                                            <td>
                                                                <button
                                                                    type="button"
                                                                    class="small"
                                                                    on:click=move |_| {
                                                                        block.dispatch(SetUserBlocked { user_id: id, blocked: !blocked });
                                                                    }
                                                                >
                                                                    {move || i18n.t(if blocked { Msg::Unblock } else { Msg::Block })}
                                                                </button>
                                                            </td>
                                                        </tr>
                                                    }
                                                })
                                                .collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
