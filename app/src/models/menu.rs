//! The side menu: one table of sections and items, each item with the permission it needs.
//! A role's menu is this table filtered by `Role::allows`; field staff and residents end up
//! with their own short menus because only their items pass.

use crate::i18n::Msg;
use crate::models::{Permission, Role};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MenuItem {
    pub path: &'static str,
    pub label: Msg,
    pub needs: Permission,
    /// False while the page is still being built: shown greyed, not linked.
    pub ready: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MenuSection {
    pub title: Msg,
    pub items: Vec<MenuItem>,
}

const fn item(path: &'static str, label: Msg, needs: Permission, ready: bool) -> MenuItem {
    MenuItem {
        path,
        label,
        needs,
        ready,
    }
}

const MENU: &[(Msg, &[MenuItem])] = {
    use Permission::*;
    &[
        (
            Msg::SectionCabinet,
            &[
                item("/my", Msg::MenuMyPremises, OwnPremises, true),
                item("/my/readings", Msg::MenuSubmitReadings, OwnPremises, true),
                item("/my/consumption", Msg::Consumption, OwnPremises, true),
                item("/my/requests", Msg::MenuRequests, OwnPremises, true),
                item("/my/notices", Msg::MenuNotices, OwnPremises, true),
            ],
        ),
        (
            Msg::SectionAccounting,
            &[
                item("/", Msg::MenuHome, ViewData, true),
                item("/objects", Msg::MenuObjects, ViewObjects, true),
                item("/readings", Msg::MenuReadings, ViewData, true),
                item("/consumption", Msg::MenuConsumption, ViewData, true),
                item("/balance", Msg::MenuBalance, ViewData, true),
                item("/balance/compare", Msg::MenuCompare, ViewData, true),
                item("/subscribers", Msg::MenuSubscribers, ViewData, true),
                item("/entry", Msg::MenuManualEntry, EditData, true),
            ],
        ),
        (
            Msg::SectionField,
            &[item("/field", Msg::MenuFieldEntry, EnterReadings, true)],
        ),
        (
            Msg::SectionMonitoring,
            &[
                item("/monitoring/map", Msg::MenuMap, ViewData, true),
                item("/monitoring/abnormal", Msg::MenuAbnormal, ViewData, true),
                item("/monitoring/events", Msg::MenuEvents, ViewData, true),
                item("/monitoring/not-polled", Msg::MenuNotPolled, ViewData, true),
                item("/monitoring/polling", Msg::MenuPolling, ViewData, true),
                item("/monitoring/arrival", Msg::MenuArrival, ViewData, true),
                item("/monitoring/deviations", Msg::MenuDeviations, ViewData, true),
                item("/monitoring/lora", Msg::MenuLora, ViewData, true),
                item("/monitoring/alerts", Msg::MenuAlerts, ViewData, true),
            ],
        ),
        (
            Msg::SectionReports,
            &[item("/reports", Msg::MenuReports, ViewData, true)],
        ),
        (
            Msg::SectionBilling,
            &[item("/billing/export", Msg::MenuBillingExport, ViewData, true)],
        ),
        (
            Msg::SectionService,
            &[
                item("/service/meters", Msg::MenuMeters, ViewData, true),
                item(
                    "/service/verification",
                    Msg::MenuVerification,
                    ServiceMeters,
                    true,
                ),
                item("/service/communicators", Msg::MenuCommunicators, ViewData, true),
                item("/service/season", Msg::MenuSeason, ViewData, true),
                item("/service/dispatch", Msg::MenuDispatch, HandleRequests, true),
                item("/service/notices", Msg::MenuResidentNotices, ViewData, true),
            ],
        ),
        (
            Msg::SectionSettings,
            &[
                item("/settings/company", Msg::MenuCompany, ViewCompany, true),
                item("/settings/period", Msg::MenuPeriod, ViewCompany, true),
                item("/settings/limits", Msg::MenuLimits, ViewCompany, true),
                item("/settings/import", Msg::MenuImport, ManageObjects, true),
                item("/settings/activation", Msg::MenuActivation, EditData, true),
                item("/settings/users", Msg::MenuUsers, ManageUsers, true),
                item("/settings/audit", Msg::MenuAudit, ManageUsers, true),
                item("/settings/api", Msg::MenuApi, ManageCompany, true),
            ],
        ),
    ]
};

/// The sections this role sees, in menu order, without empty sections.
pub fn menu_for(role: Role) -> Vec<MenuSection> {
    MENU.iter()
        .map(|(title, items)| MenuSection {
            title: *title,
            items: items
                .iter()
                .copied()
                .filter(|i| role.allows(i.needs))
                .collect(),
        })
        .filter(|s| !s.items.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(role: Role) -> Vec<Msg> {
        menu_for(role).into_iter().map(|s| s.title).collect()
    }

    #[test]
    fn a_dispatcher_sees_every_working_section_but_settings_users() {
        let t = titles(Role::Dispatcher);
        for s in [
            Msg::SectionAccounting,
            Msg::SectionMonitoring,
            Msg::SectionReports,
            Msg::SectionBilling,
            Msg::SectionService,
        ] {
            assert!(t.contains(&s), "{s:?} missing");
        }
        let settings = menu_for(Role::Dispatcher)
            .into_iter()
            .find(|s| s.title == Msg::SectionSettings)
            .unwrap();
        assert!(settings.items.iter().all(|i| i.label != Msg::MenuUsers));
    }

    #[test]
    fn field_staff_and_residents_get_short_menus_of_their_own() {
        assert_eq!(
            titles(Role::FieldStaff),
            vec![Msg::SectionAccounting, Msg::SectionField]
        );
        assert_eq!(titles(Role::Resident), vec![Msg::SectionCabinet]);
    }

    #[test]
    fn an_administrator_sees_settings_and_objects_only() {
        assert_eq!(
            titles(Role::Administrator),
            vec![Msg::SectionAccounting, Msg::SectionSettings]
        );
    }
}
