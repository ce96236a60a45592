//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::layout::Layout;
use crate::i18n::{I18n, Msg};
use crate::routes::split::{
    AccountRoute, ActivationRoute, LoginRoute, AuditRoute, CompanyRoute, DispatchRequestRoute, DispatchRoute, EntryRoute, HomeRoute,
    MeterArchiveRoute, MeterRoute, MyConsumptionRoute, MyNoticesRoute, MyPremisesRoute, MyReadingsRoute, MyRequestRoute,
    MyRequestsRoute, NoticeRoute, NoticesRoute, NotPolledRoute, ObjectsRoute, PollingRoute,
    ReadingsRoute, RegisterRoute, SubscribersRoute, UsersRoute,
};
use crate::routes::{field::FieldPage, not_found::NotFound};
use leptos_router::Lazy;

/// The whole document the server renders; the browser hydrates `<App/>` inside it.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ru">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f91"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/favicon.ico" sizes="any"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <HashedStylesheet options=options.clone() id="leptos"/>
                // the device store (IndexedDB) the offline screens use; before the app starts
                <script src="/store.js" defer></script>
                <HydrationScripts options/>
                <MetaTags/>
                <script src="/register-sw.js" defer></script>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n::provide();
    view! {
        <Html {..} lang=move || i18n.lang().code()/>
        <Title formatter=move |page: String| {
            let app = Msg::AppName.text(i18n.lang());
            if page.is_empty() { app.to_string() } else { format!("{page} — {app}") }
        }/>
        <Router>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()}/>
                <Route path=path!("/register") view={Lazy::<RegisterRoute>::new()}/>
                <ParentRoute path=path!("") view=Layout>
                    <Route path=path!("") view={Lazy::<HomeRoute>::new()}/>
                    <Route path=path!("objects") view={Lazy::<ObjectsRoute>::new()}/>
                    <Route path=path!("readings") view={Lazy::<ReadingsRoute>::new()}/>
                    <Route path=path!("entry") view={Lazy::<EntryRoute>::new()}/>
                    <Route path=path!("subscribers") view={Lazy::<SubscribersRoute>::new()}/>
                    <Route path=path!("subscribers/:account") view={Lazy::<AccountRoute>::new()}/>
                    <Route path=path!("field") view=FieldPage/>
                    <Route path=path!("meters/:id") view={Lazy::<MeterRoute>::new()}/>
                    <Route path=path!("meters/:id/archive") view={Lazy::<MeterArchiveRoute>::new()}/>
                    <Route path=path!("monitoring/polling") view={Lazy::<PollingRoute>::new()}/>
                    <Route path=path!("monitoring/not-polled") view={Lazy::<NotPolledRoute>::new()}/>
                    <Route path=path!("settings/company") view={Lazy::<CompanyRoute>::new()}/>
                    <Route path=path!("settings/users") view={Lazy::<UsersRoute>::new()}/>
                    <Route path=path!("settings/activation") view={Lazy::<ActivationRoute>::new()}/>
                    <Route path=path!("settings/audit") view={Lazy::<AuditRoute>::new()}/>
                    <Route path=path!("service/dispatch") view={Lazy::<DispatchRoute>::new()}/>
                    <Route path=path!("service/dispatch/:id") view={Lazy::<DispatchRequestRoute>::new()}/>
                    <Route path=path!("service/notices") view={Lazy::<NoticesRoute>::new()}/>
                    <Route path=path!("service/notices/:id") view={Lazy::<NoticeRoute>::new()}/>
                    <Route path=path!("my") view={Lazy::<MyPremisesRoute>::new()}/>
                    <Route path=path!("my/readings") view={Lazy::<MyReadingsRoute>::new()}/>
                    <Route path=path!("my/consumption") view={Lazy::<MyConsumptionRoute>::new()}/>
                    <Route path=path!("my/requests") view={Lazy::<MyRequestsRoute>::new()}/>
                    <Route path=path!("my/requests/:id") view={Lazy::<MyRequestRoute>::new()}/>
                    <Route path=path!("my/notices") view={Lazy::<MyNoticesRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
