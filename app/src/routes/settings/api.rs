//! «Доступ по API»: the administrator's tokens for 1С and other systems — make one with a name
//! and a scope (the whole token shown once), see when each was last used, revoke it. The
//! reference of the API itself is a plain page at /api/v1/docs.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::confirm::confirmed;
use crate::components::error_view::{ActionError, ErrorBox};
use crate::components::table::all_words_in;
use crate::functions::api::{api_tokens, CreateApiToken, RevokeApiToken};
use crate::i18n::{use_i18n, Msg};
use crate::models::api::{ApiScope, ApiTokenRow};
use crate::models::format;
use crate::resource::{kept, resource};

fn scope_name(s: ApiScope) -> Msg {
    match s {
        ApiScope::Read => Msg::ApiScopeRead,
        ApiScope::Write => Msg::ApiScopeWrite,
    }
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateApiToken>::new();
    let create_kept = kept(*create);
    let revoke = ServerAction::<RevokeApiToken>::new();
    let revoke_kept = kept(*revoke);
    let tokens = resource(
        move || (create_kept.get(), revoke_kept.get()),
        |_| api_tokens(),
    );
    let made = move || create.value().get().and_then(Result::ok);
    view! {
        <Title text=i18n.tr(Msg::MenuApi)/>
        <section class="page">
            <h1>{i18n.tr(Msg::MenuApi)}</h1>
            <p class="lead">
                {i18n.tr(Msg::ApiLead)} " "
                <a href="/api/v1/docs" target="_blank" rel="noopener" data-testid="api-docs">{i18n.tr(Msg::ApiDocs)}</a>
            </p>
            <details class="panel">
                <summary>{i18n.tr(Msg::ApiCreate)}</summary>
                <ActionForm action=create attr:class="form-grid" attr:data-testid="new-token">
                    <label>
                        <span>{i18n.tr(Msg::ApiTokenName)}</span>
                        <input type="text" name="name" required maxlength="100" placeholder="1С: Учёт в управляющих компаниях ЖКХ"/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::ApiScope)}</span>
                        <select name="scope">
                            <option value="read" selected>{i18n.tr(Msg::ApiScopeRead)}</option>
                            <option value="write">{i18n.tr(Msg::ApiScopeWrite)}</option>
                        </select>
                    </label>
                    <button type="submit" class="button primary" disabled=move || create.pending().get()>{i18n.tr(Msg::Create)}</button>
                </ActionForm>
                <ActionError value=create.value()/>
            </details>
            {move || made().map(|m| view! {
                <div class="panel ok" role="status" data-testid="new-token-shown">
                    <p><strong>{m.row.name.clone()}</strong> " — " {i18n.tr(Msg::ApiShownOnce)}</p>
                    <p><code class="token" data-testid="token">{m.token.clone()}</code></p>
                </div>
            })}
            <ActionError value=revoke.value()/>
            <Transition fallback=move || view! { <p class="loading">{i18n.tr(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! { <p class="muted" data-testid="no-tokens">{i18n.tr(Msg::ApiNone)}</p> }.into_any(),
                        Ok(rows) => view! { <Tokens rows revoke/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Tokens(rows: Vec<ApiTokenRow>, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = StoredValue::new(rows);
    let search = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        let q = search.get();
        rows.with_value(|r| {
            r.iter()
                .filter(|t| all_words_in(&format!("{} {} {}", t.name, t.hint, t.created_by), &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let when = move |t: Option<chrono::NaiveDateTime>| t.map(format::date_time).unwrap_or_else(|| i18n.t(Msg::Never).to_string());
    view! {
        <div class="toolbar">
            <input type="search" class="search" bind:value=search placeholder=i18n.tr(Msg::ApiSearch)/>
        </div>
        <div class="table-wrap">
            <table class="data" data-testid="tokens">
                <thead><tr>
                    <th>{i18n.tr(Msg::ApiTokenName)}</th>
                    <th>{i18n.tr(Msg::ApiScope)}</th>
                    <th>{i18n.tr(Msg::ApiHint)}</th>
                    <th>{i18n.tr(Msg::ApiCreatedAt)}</th>
                    <th>{i18n.tr(Msg::ApiCreatedBy)}</th>
                    <th>{i18n.tr(Msg::ApiLastUsed)}</th>
                    <th>{i18n.tr(Msg::State)}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    <For each=move || shown.get() key=|t| (t.id, t.revoked_at.is_some()) let:t>
                        {
                            let (id, revoked) = (t.id, t.revoked_at);
                            view! {
                                <tr data-token=t.name.clone() class:blocked=revoked.is_some()>
                                    <td>{t.name.clone()}</td>
                                    <td>{move || i18n.t(scope_name(t.scope))}</td>
                                    <td><code>{t.hint.clone()} "…"</code></td>
                                    <td>{format::date_time(t.created_at)}</td>
                                    <td>{t.created_by.clone()}</td>
                                    <td>{when(t.last_used_at)}</td>
                                    <td>{move || match revoked {
                                        Some(at) => format!("{} {}", i18n.t(Msg::ApiRevoked), format::date_time(at)),
                                        None => i18n.t(Msg::Active).to_string(),
                                    }}</td>
                                    <td>
                                        {revoked.is_none().then(|| view! {
                                            <button type="button" class="small" data-testid="revoke" on:click=move |_| {
                                                if confirmed(i18n.t(Msg::ApiRevokeConfirm)) {
                                                    revoke.dispatch(RevokeApiToken { id });
                                                }
                                            }>{i18n.tr(Msg::ApiRevoke)}</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}
