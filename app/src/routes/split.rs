//! Pages loaded on demand. With `cargo leptos build --split` each one is cut into its own
//! wasm chunk fetched when the page is first opened, so the bundle a phone loads first holds
//! the frame and field staff's offline entry screen only. Without `--split` they behave as ordinary routes.

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
lazy_page!(
    /// Sign-in: a plain form that works before its chunk arrives.
    LoginRoute,
    crate::routes::login::LoginPage
);
lazy_page!(ObjectsRoute, crate::routes::objects::ObjectsPage);
lazy_page!(ReadingsRoute, crate::routes::readings::ReadingsPage);
lazy_page!(EntryRoute, crate::routes::entry::EntryPage);
lazy_page!(MeterRoute, crate::routes::meter::MeterPage);
lazy_page!(MeterArchiveRoute, crate::routes::meter_archive::MeterArchivePage);
lazy_page!(PollingRoute, crate::routes::polling::PollingPage);
lazy_page!(NotPolledRoute, crate::routes::not_polled::NotPolledPage);
lazy_page!(CompanyRoute, crate::routes::settings::company::CompanyPage);
lazy_page!(UsersRoute, crate::routes::settings::users::UsersPage);
lazy_page!(
    MyPremisesRoute,
    crate::routes::resident::premises::MyPremisesPage
);
lazy_page!(
    MyReadingsRoute,
    crate::routes::resident::readings::MyReadingsPage
);
lazy_page!(RegisterRoute, crate::routes::register::RegisterPage);
lazy_page!(
    MyConsumptionRoute,
    crate::routes::resident::consumption::MyConsumptionPage
);
lazy_page!(
    MyRequestsRoute,
    crate::routes::resident::requests::MyRequestsPage
);
lazy_page!(
    MyRequestRoute,
    crate::routes::resident::requests::MyRequestPage
);
lazy_page!(
    MyNoticesRoute,
    crate::routes::resident::notices::MyNoticesPage
);
lazy_page!(DispatchRoute, crate::routes::service::dispatch::DispatchPage);
lazy_page!(
    DispatchRequestRoute,
    crate::routes::service::dispatch_request::DispatchRequestPage
);
lazy_page!(NoticesRoute, crate::routes::service::notices::NoticesPage);
lazy_page!(NoticeRoute, crate::routes::service::notice::NoticePage);
lazy_page!(AuditRoute, crate::routes::settings::audit::AuditPage);
lazy_page!(
    SubscribersRoute,
    crate::routes::subscribers::SubscribersListPage
);
lazy_page!(AccountRoute, crate::routes::account::AccountPage);
lazy_page!(
    ActivationRoute,
    crate::routes::settings::activation::ActivationPage
);
