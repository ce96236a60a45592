//! Registration in the residents' cabinet (F41, F44): the code from the company's letter or
//! printed slip (prefilled from an invite link), then name, email and password. A plain form
//! posted to `register_resident`, so it works before hydration too.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::error_view::{ActionError, ErrorBox};
use crate::functions::registration::{code_info, RegisterResident};
use crate::components::new_password::NewPasswordFields;
use crate::i18n::{use_i18n, Msg};
use crate::models::format;
use crate::resource::resource;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RegisterResident>::new();
    let query = use_query_map();
    let code = Memo::new(move |_| query.with(|q| q.get("code").unwrap_or_default()));
    let info = resource(
        move || code.get(),
        |c| async move {
            if c.trim().is_empty() {
                None
            } else {
                Some(code_info(c).await)
            }
        },
    );
    view! {
        <Title text=i18n.tr(Msg::RegTitle)/>
        <div class="login-page">
            <div class="login-card register-card">
                <div class="login-brand">
                    <img src="/icons/icon-192.png" alt="" width="56" height="56"/>
                    <div>
                        <h1>{i18n.tr(Msg::RegTitle)}</h1>
                        <p>{i18n.tr(Msg::RegLead)}</p>
                    </div>
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match info.await {
                            None => ().into_any(),
                            Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                            Some(Ok(c)) => view! {
                                <p class="code-info" data-testid="code-info">
                                    {c.company.clone()} ": " {c.address.clone()} ", " {i18n.tr(Msg::Flat)} " " {c.premise.clone()}
                                    <br/>
                                    <span class="muted small">{i18n.tr(Msg::RegValidUntil)} " " {format::date(c.valid_until)}</span>
                                </p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
                <ActionForm action=action attr:class="login-form">
                    <label>
                        <span>{i18n.tr(Msg::RegCode)}</span>
                        <input type="text" name="code" autocomplete="off" autocapitalize="characters" required
                            placeholder="XXXX-XXXX-XXXX" prop:value=move || code.get()/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::FullName)}</span>
                        <input type="text" name="full_name" autocomplete="name" required/>
                    </label>
                    <label>
                        <span>{i18n.tr(Msg::Email)}</span>
                        <Suspense fallback=|| view! { <input type="email" name="email" autocomplete="email" required/> }>
                            {move || Suspend::new(async move {
                                let email = match info.await {
                                    Some(Ok(c)) => c.email,
                                    _ => String::new(),
                                };
                                view! { <input type="email" name="email" autocomplete="email" required prop:value=email/> }
                            })}
                        </Suspense>
                    </label>
                    <NewPasswordFields label=Msg::Password/>
                    <label class="check">
                        <input type="checkbox" name="consent" value="yes" required/>
                        <span>{i18n.tr(Msg::RegConsentText)}</span>
                    </label>
                    <ActionError value=action.value()/>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {i18n.tr(Msg::RegSubmit)}
                    </button>
                </ActionForm>
                <p class="muted small">{i18n.tr(Msg::RegHaveAccount)} " " <a href="/login">{i18n.tr(Msg::SignIn)}</a></p>
                <button type="button" class="link lang" data-testid="lang" on:click=move |_| i18n.set(i18n.lang().other())>
                    {i18n.tr(Msg::Language)}
                </button>
            </div>
        </div>
    }
}
