//! Pages loaded on demand. With `cargo leptos build --split` the full frame and each area
//! (the public pages, the dispatcher's accounting, settings, service, the resident's cabinet)
//! are cut into wasm chunks, fetched when one of their pages is first opened, so the bundle a
//! phone loads first holds field staff's offline entry screen and its light frame only.
//! Without `--split` they behave as ordinary routes.
//!
//! One chunk per area, not per page: the splitter makes a shared chunk for every set of
//! split points that use the same code, and its loader lists them all. With a split point
//! per page that was about 620 chunk files and a 20 KB loader on every first load.
//!
//! The route table names each area's first address segments only; the area's chunk draws the
//! page the whole address names, from the patterns listed here.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// Whether `path` (`/my/requests/7`) is an address of `pattern` (`/my/requests/:id`), the
/// pattern written as in the route table.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let mut pattern = pattern.trim_end_matches('/').split('/');
    let mut path = path.trim_end_matches('/').split('/');
    loop {
        match (pattern.next(), path.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) if p.starts_with(':') && !s.is_empty() || p == s => {}
            _ => return false,
        }
    }
}

macro_rules! lazy_area {
    ($(#[$doc:meta])* $route:ident { $($pattern:literal => $page:path),+ $(,)? }) => {
        $(#[$doc])*
        pub struct $route;

        impl $route {
            /// The addresses of the area, as in the route table.
            pub const PATTERNS: &'static [&'static str] = &[$($pattern),+];
        }

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                // one route of the table serves several pages of the area (`meters/:id/:view?`)
                // and the router keeps its view while only the parameters change, so the page
                // follows the address; a new page is drawn only when another pattern matches.
                // Leaving the area keeps the page until the router drops it (no 404 flash); an
                // address of no page is the 404 page when the area is entered with it.
                let location = leptos_router::hooks::use_location();
                let page = Memo::new(move |before: Option<&Option<usize>>| {
                    let path = location.pathname.get();
                    $route::PATTERNS
                        .iter()
                        .position(|p| path_matches(p, &path))
                        .or_else(|| before.copied().flatten())
                });
                (move || {
                    let mut patterns = 0..;
                    let page = page.get();
                    $(
                        if page == patterns.next() {
                            return view! { <$page/> }.into_any();
                        }
                    )+
                    view! { <crate::routes::not_found::NotFound/> }.into_any()
                })
                .into_any()
            }
        }
    };
}

/// The address patterns of every page drawn by an area's chunk, area by area. The route
/// table (`shell.rs`) routes each area's first address segments to its chunk; a server test
/// checks that every pattern here has a route there.
pub const AREA_PAGES: &[&[&str]] = &[
    HomeRoute::PATTERNS,
    PublicRoute::PATTERNS,
    AccountingRoute::PATTERNS,
    SettingsRoute::PATTERNS,
    ServiceRoute::PATTERNS,
    CabinetRoute::PATTERNS,
];

/// The full frame (top bar with pickers, side menu with counts) of every signed-in page
/// but the field screen, which has its own lighter one.
pub struct FrameRoute;

#[lazy_route]
impl LazyRoute for FrameRoute {
    fn data() -> Self {
        FrameRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <crate::components::layout::Layout/> }.into_any()
    }
}

lazy_area!(
    /// The role's start page (a dispatcher's summary, an administrator's company card…).
    HomeRoute {
        "/" => crate::routes::home::HomePage,
    }
);
lazy_area!(
    /// Sign-in (a plain form that works before its chunk arrives), a resident's sign-up and the
    /// first start.
    PublicRoute {
        "/login" => crate::routes::login::LoginPage,
        "/register" => crate::routes::register::RegisterPage,
        "/reset" => crate::routes::reset::ResetPage,
        "/setup" => crate::routes::setup::FirstStartPage,
    }
);
lazy_area!(
    /// The dispatcher's desk: buildings, readings, entry, accounts, meters, monitoring, reports,
    /// billing.
    AccountingRoute {
        "/objects" => crate::routes::objects::ObjectsPage,
        "/objects/:id" => crate::routes::building::BuildingPage,
        "/objects/:id/premises" => crate::routes::premises::PremisesPage,
        "/readings" => crate::routes::readings::ReadingsPage,
        "/entry" => crate::routes::entry::EntryPage,
        "/subscribers" => crate::routes::subscribers::SubscribersListPage,
        "/subscribers/:account" => crate::routes::account::AccountPage,
        "/meters/:id" => crate::routes::meter::MeterPage,
        "/meters/:id/archive" => crate::routes::meter_archive::MeterArchivePage,
        "/monitoring/abnormal" => crate::routes::monitoring::abnormal::AbnormalPage,
        "/monitoring/map" => crate::routes::monitoring::map::MapPage,
        "/monitoring/lora" => crate::routes::monitoring::lora::LoraPage,
        "/monitoring/arrival" => crate::routes::monitoring::arrival::ArrivalPage,
        "/monitoring/deviations" => crate::routes::monitoring::deviations::DeviationsPage,
        "/monitoring/alerts" => crate::routes::monitoring::alerts::AlertsPage,
        "/monitoring/events" => crate::routes::monitoring::events::EventJournalPage,
        "/monitoring/polling" => crate::routes::monitoring::polling::PollingPage,
        "/monitoring/not-polled" => crate::routes::monitoring::not_polled::NotPolledPage,
        "/billing/export" => crate::routes::billing::export::BillingExportPage,
        "/billing/export/:id" => crate::routes::billing::protocol::BillingProtocolPage,
        "/reports" => crate::routes::reports::ReportsPage,
        "/balance" => crate::routes::balance::page::BalancePage,
        "/balance/groups" => crate::routes::balance::groups::BalanceGroupsPage,
        "/balance/compare" => crate::routes::balance::compare::ComparePage,
        "/consumption" => crate::routes::consumption::registry::RegistryPage,
        "/consumption/premises" => crate::routes::consumption::premises::PremisesPage,
    }
);
lazy_area!(
    /// The company's settings: card, users, activation codes, audit.
    SettingsRoute {
        "/settings/company" => crate::routes::settings::company::CompanyPage,
        "/settings/import" => crate::routes::settings::import::ImportPage,
        "/settings/period" => crate::routes::settings::period::PeriodPage,
        "/settings/limits" => crate::routes::settings::limits::LimitsPage,
        "/settings/users" => crate::routes::settings::users::UsersPage,
        "/settings/activation" => crate::routes::settings::activation::ActivationPage,
        "/settings/audit" => crate::routes::settings::audit::AuditPage,
        "/settings/api" => crate::routes::settings::api::ApiTokensPage,
        "/settings/password" => crate::routes::settings::password::PasswordPage,
    }
);
lazy_area!(
    /// The service desk: residents' requests, notices and the verification calendar.
    ServiceRoute {
        "/service/dispatch" => crate::routes::service::dispatch::DispatchPage,
        "/service/dispatch/new" => crate::routes::service::dispatch_new::DispatchNewPage,
        "/service/dispatch/:id" => crate::routes::service::dispatch_request::DispatchRequestPage,
        "/service/notices" => crate::routes::service::notices::NoticesPage,
        "/service/notices/:id" => crate::routes::service::notice::NoticePage,
        "/service/meters" => crate::routes::service::inventory::InventoryPage,
        "/service/meters/:id" => crate::routes::service::meter_form::MeterFormPage,
        "/service/verification" => crate::routes::service::verification::VerificationPage,
        "/service/communicators" => crate::routes::service::communicators::CommunicatorsPage,
        "/service/communicators/:id" => crate::routes::service::communicator::CommunicatorPage,
        "/service/season" => crate::routes::service::season::SeasonPage,
    }
);
lazy_area!(
    /// The resident's cabinet.
    CabinetRoute {
        "/my" => crate::routes::resident::premises::MyPremisesPage,
        "/my/readings" => crate::routes::resident::readings::MyReadingsPage,
        "/my/consumption" => crate::routes::resident::consumption::MyConsumptionPage,
        "/my/requests" => crate::routes::resident::requests::MyRequestsPage,
        "/my/requests/:id" => crate::routes::resident::requests::MyRequestPage,
        "/my/notices" => crate::routes::resident::notices::MyNoticesPage,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_page_is_found_by_its_address() {
        assert!(path_matches("/", "/"));
        assert!(path_matches("/my", "/my"));
        assert!(path_matches("/my", "/my/"));
        assert!(path_matches("/my/requests/:id", "/my/requests/17"));
        assert!(!path_matches("/my/requests/:id", "/my/requests"));
        assert!(!path_matches("/my/requests", "/my/requests/17"));
        assert!(!path_matches("/meters/:id", "/meters/5/archive"));
        assert!(path_matches("/meters/:id/archive", "/meters/5/archive"));
        assert!(!path_matches("/objects", "/readings"));
    }

    #[test]
    fn no_two_pages_of_an_area_share_an_address() {
        for patterns in AREA_PAGES {
            for (i, a) in patterns.iter().enumerate() {
                let sample = a.replace(":id", "1").replace(":account", "1");
                let first = patterns.iter().position(|p| path_matches(p, &sample));
                assert_eq!(first, Some(i), "{a}");
            }
        }
    }
}
