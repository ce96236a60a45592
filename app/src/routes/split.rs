//! The dispatcher's pages, loaded on demand. With `cargo leptos build --split` each one is
//! cut into its own wasm chunk fetched when the page is first opened, so the bundle a phone
//! loads first holds the frame, sign-in and the field screen only. Without `--split` they
//! behave as ordinary routes.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

macro_rules! lazy_page {
    ($(#[$doc:meta])* $route:ident, $page:path) => {
        $(#[$doc])*
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                view! { <$page/> }.into_any()
            }
        }
    };
}

lazy_page!(
    /// The role's start page (a dispatcher's summary, an administrator's company card…).
    HomeRoute,
    crate::routes::home::HomePage
);
lazy_page!(ObjectsRoute, crate::routes::objects::ObjectsPage);
lazy_page!(ReadingsRoute, crate::routes::readings::ReadingsPage);
lazy_page!(EntryRoute, crate::routes::entry::EntryPage);
lazy_page!(MeterRoute, crate::routes::meter::MeterPage);
lazy_page!(PollingRoute, crate::routes::polling::PollingPage);
lazy_page!(NotPolledRoute, crate::routes::not_polled::NotPolledPage);
lazy_page!(CompanyRoute, crate::routes::settings::company::CompanyPage);
lazy_page!(UsersRoute, crate::routes::settings::users::UsersPage);
lazy_page!(
    MyPremisesRoute,
    crate::routes::resident::premises::MyPremisesPage
);
