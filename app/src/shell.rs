//! The HTML document and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Html, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;

use crate::components::field_frame::FieldFrame;
use crate::i18n::{I18n, Msg};
use crate::routes::split::{
    AccountingRoute, CabinetRoute, FrameRoute, HomeRoute, PublicRoute, ServiceRoute, SettingsRoute,
};
use crate::routes::not_found::NotFound;
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
                <Route path=path!("/login") view={Lazy::<PublicRoute>::new()}/>
                <Route path=path!("/register") view={Lazy::<PublicRoute>::new()}/>
                <Route path=path!("/reset") view={Lazy::<PublicRoute>::new()}/>
                <Route path=path!("/setup") view={Lazy::<PublicRoute>::new()}/>
                // field staff's screen has its own light frame: a phone's first load is that
                // screen only
                <Route path=path!("/field") view=FieldFrame/>
                <ParentRoute path=path!("") view={Lazy::<FrameRoute>::new()}>
                    // one route per area and first address segment; the area's chunk draws
                    // the page the whole address names (`routes::split`)
                    <Route path=path!("") view={Lazy::<HomeRoute>::new()}/>
                    <Route path=path!("objects") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("objects/:id/:view?") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("readings") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("entry") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("subscribers/:account?") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("meters/:id/:view?") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("monitoring/:view") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("reports") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("balance/:view?") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("consumption/:view?") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("billing/:view/:id?") view={Lazy::<AccountingRoute>::new()}/>
                    <Route path=path!("settings/:view") view={Lazy::<SettingsRoute>::new()}/>
                    <Route path=path!("service/:view/:id?") view={Lazy::<ServiceRoute>::new()}/>
                    // two routes: two optional segments would also expand to `/my/{id}`,
                    // which axum refuses beside `/my/{view}`
                    <Route path=path!("my/:view?") view={Lazy::<CabinetRoute>::new()}/>
                    <Route path=path!("my/:view/:id") view={Lazy::<CabinetRoute>::new()}/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
