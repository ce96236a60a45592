//! The first-run page (issue 22): on a database without companies, the company's requisites
//! and its administrator; gone once a company exists (the session gate sends every page here
//! before, and this page to /login after). A plain form posted to `first_start`,
//! so it works before hydration too.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ActionError;
use crate::functions::setup::FirstStart;
use crate::components::new_password::NewPasswordFields;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn FirstStartPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<FirstStart>::new();
    let field = move |label: Msg, name: &'static str, kind: &'static str, required: bool, hint: &'static str| {
        view! {
            <label>
                <span>{i18n.tr(label)}</span>
                <input type=kind name=name required=required placeholder=hint autocomplete="off"/>
            </label>
        }
    };
    view! {
        <Title text=i18n.tr(Msg::FirstStartTitle)/>
        <div class="login-page">
            <div class="login-card register-card setup-card">
                <div class="login-brand">
                    <img src="/icons/icon-192.png" alt="" width="56" height="56"/>
                    <div>
                        <h1>{i18n.tr(Msg::FirstStartTitle)}</h1>
                        <p>{i18n.tr(Msg::AppName)} " — " {i18n.tr(Msg::AppTagline)}</p>
                    </div>
                </div>
                <p>{i18n.tr(Msg::FirstStartLead)}</p>
                <ActionForm action=action attr:class="login-form" attr:data-testid="first-start">
                    <fieldset>
                        <legend>{i18n.tr(Msg::CompanyRequisites)}</legend>
                        {field(Msg::Name, "name", "text", true, "ООО «УК …»")}
                        {field(Msg::Inn, "inn", "text", true, "10 или 12 цифр")}
                        {field(Msg::Kpp, "kpp", "text", false, "9 знаков")}
                        {field(Msg::Ogrn, "ogrn", "text", false, "13 цифр")}
                        {field(Msg::LegalAddress, "legal_address", "text", false, "")}
                        {field(Msg::ActualAddress, "actual_address", "text", false, "")}
                        {field(Msg::Phone, "phone", "tel", false, "+7 …")}
                        {field(Msg::Email, "email", "email", false, "")}
                    </fieldset>
                    <fieldset>
                        <legend>{i18n.tr(Msg::FirstStartAdmin)}</legend>
                        {field(Msg::FullName, "full_name", "text", true, "")}
                        <label>
                            <span>{i18n.tr(Msg::Login)}</span>
                            <input type="text" name="login" autocomplete="username" autocapitalize="none" required/>
                        </label>
                        <NewPasswordFields label=Msg::Password/>
                    </fieldset>
                    <ActionError value=action.value()/>
                    <button type="submit" class="primary" disabled=move || action.pending().get()>
                        {i18n.tr(Msg::FirstStartSubmit)}
                    </button>
                </ActionForm>
                <p class="muted small">{i18n.tr(Msg::FirstStartDemoHint)}</p>
                <button type="button" class="link lang" data-testid="lang" on:click=move |_| i18n.set(i18n.lang().other())>
                    {i18n.tr(Msg::Language)}
                </button>
            </div>
        </div>
    }
}
